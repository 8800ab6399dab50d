"""The change history as people read it (issue 14, point 9): an audit row's action as an
Indonesian verb and its changes as "Label: lama → baru" — the field's own name, a choice's label,
"ya"/"tidak" for a yes/no — never the code's field names and values ("status: not_started →
initiated", "child_profile: – → True").

A key that is no field of the target model is looked up in the model's `AUDIT_KEYS` (a mapping,
or a callable taking the key and returning a label or None); keys that are codes people know
(a region code, a question number such as "2.4") are shown as they are.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import numbers

DASH = "–"

ACTION_LABELS = {
    "agency.create": _("menambah perangkat daerah"),
    "agency.update": _("memperbarui perangkat daerah"),
    "api_token.issue": _("membuat token API"),
    "api_token.revoke": _("mencabut token API"),
    "api_token.revoke_all": _("mencabut semua token API"),
    "case.anonymise": _("menganonimkan kasus"),
    "case.assign": _("menugaskan pendamping"),
    "case.break_glass": _("membuka akses darurat"),
    "case.child_add": _("menambah anak pada kasus"),
    "case.consent": _("mencatat persetujuan"),
    "case.open": _("membuka kasus"),
    "case.perpetrator_add": _("menambah terlapor"),
    "case.perpetrator_remove": _("menghapus terlapor"),
    "case.refer": _("merujuk kasus"),
    "case.referral_update": _("memperbarui rujukan"),
    "case.reopen": _("membuka kembali kasus"),
    "case.service": _("mencatat layanan"),
    "case.transition": _("mengubah tahap kasus"),
    "case.update": _("memperbarui kasus"),
    "child_forum.activity_add": _("mencatat kegiatan Forum Anak"),
    "child_forum.activity_delete": _("menghapus kegiatan Forum Anak"),
    "child_forum.activity_update": _("memperbarui kegiatan Forum Anak"),
    "child_forum.create": _("mendaftarkan Forum Anak"),
    "child_forum.update": _("memperbarui Forum Anak"),
    "complaint.dismiss": _("menutup pengaduan"),
    "complaint.receive": _("menerima pengaduan"),
    "complaint.triage": _("melakukan triase pengaduan"),
    "consultation.create": _("mencatat konsultasi anak"),
    "consultation.input_add": _("mencatat masukan anak"),
    "consultation.input_delete": _("menghapus masukan anak"),
    "consultation.input_update": _("memperbarui masukan anak"),
    "consultation.update": _("memperbarui konsultasi anak"),
    "evaluation.answer": _("menjawab pertanyaan evaluasi"),
    "evaluation.correction_window": _("membuka masa perbaikan"),
    "evaluation.report": _("membuat laporan evaluasi"),
    "evaluation.review": _("memverifikasi jawaban"),
    "evaluation.scenario": _("menyimpan simulasi"),
    "evaluation.scenario_delete": _("menghapus simulasi"),
    "evaluation.stage": _("menyelesaikan tahap evaluasi"),
    "evidence.correction": _("memperbaiki bukti dukung"),
    "evidence.delete": _("menghapus bukti dukung"),
    "evidence.upload": _("mengunggah bukti dukung"),
    "follow_up.create": _("membuat tindak lanjut"),
    "follow_up.update": _("memperbarui tindak lanjut"),
    "holiday.add": _("menambah hari libur"),
    "season.set": _("menetapkan jadwal musim evaluasi"),
    "holiday.remove": _("menghapus hari libur"),
    "local_government.register": _("mendaftarkan pemerintah daerah"),
    "local_government.update": _("memperbarui profil pemerintah daerah"),
    "meeting.attendance": _("mencatat kehadiran rapat"),
    "meeting.cancel": _("membatalkan rapat"),
    "meeting.decision": _("mencatat keputusan rapat"),
    "meeting.document": _("mengunggah dokumen rapat"),
    "meeting.invite": _("mengundang peserta rapat"),
    "meeting.record": _("mencatat notulen rapat"),
    "meeting.schedule": _("menjadwalkan rapat"),
    "meeting.update": _("memperbarui rapat"),
    "partner.activate": _("mengaktifkan mitra"),
    "partner.contribution_add": _("mencatat kontribusi mitra"),
    "partner.contribution_delete": _("menghapus kontribusi mitra"),
    "partner.contribution_update": _("memperbarui kontribusi mitra"),
    "partner.create": _("mendaftarkan mitra"),
    "partner.update": _("memperbarui mitra"),
    "period.closed": _("menutup periode"),
    "period.confirm_assignments": _("menetapkan pengampu indikator"),
    "period.deadlines": _("mengatur tenggat periode"),
    "period.locked": _("mengunci periode"),
    "period.open": _("membuka periode"),
    "plan.adopt": _("menetapkan RAD KLA"),
    "plan.create": _("menyusun RAD KLA"),
    "plan.local_budget": _("mencatat APBD"),
    "plan.update": _("memperbarui RAD KLA"),
    "profile.save_population": _("menyimpan jumlah anak"),
    "programme.budget": _("mencatat anggaran program"),
    "programme.create": _("menambah program"),
    "programme.target": _("menetapkan target program"),
    "programme.update": _("memperbarui program"),
    "progress.accept": _("menerima laporan kemajuan"),
    "progress.report": _("melaporkan kemajuan program"),
    "public_comment.approve": _("menayangkan tanggapan publik"),
    "public_comment.reject": _("menolak tanggapan publik"),
    "public_comment.respond": _("menjawab tanggapan publik"),
    "public_comment.submit": _("mengirim tanggapan publik"),
    "public_consultation.convert": _("meneruskan konsultasi publik"),
    "public_consultation.create": _("membuka konsultasi publik"),
    "public_consultation.document": _("mengunggah dokumen konsultasi publik"),
    "public_consultation.update": _("memperbarui konsultasi publik"),
    "submission.approve": _("menyetujui"),
    "submission.assign": _("menetapkan pengampu"),
    "submission.assign_supporting": _("menetapkan pendukung"),
    "submission.reopen": _("membuka kembali"),
    "submission.return": _("mengembalikan"),
    "submission.save_values": _("menyimpan data"),
    "submission.submit": _("mengajukan"),
    "task_force.create": _("membentuk gugus tugas"),
    "task_force.member_add": _("menambah anggota gugus tugas"),
    "task_force.member_remove": _("mengeluarkan anggota gugus tugas"),
    "task_force.replace": _("mengganti SK gugus tugas"),
    "task_force.update": _("memperbarui gugus tugas"),
    "user.activate": _("mengaktifkan akun"),
    "user.change_own_password": _("mengganti kata sandi sendiri"),
    "user.create": _("membuat akun"),
    "user.enrol_second_factor": _("mengaktifkan verifikasi dua langkah"),
    "user.reset_second_factor": _("mengatur ulang verifikasi dua langkah"),
    "user.set_password": _("mengatur ulang kata sandi"),
    "user.use_recovery_code": _("memakai kode pemulihan"),
    "village.save_checklist": _("menyimpan daftar periksa"),
    "village.set_status": _("mengubah status layak anak"),
    "village.upload_evidence": _("mengunggah bukti dukung"),
}


def action_label(action: str) -> str:
    """A readable Indonesian verb for an audit action (the code itself when none is known)."""
    return str(ACTION_LABELS.get(action, action))


def _model(target_type: str):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _label(model, field, key: str) -> str:
    if field is not None and getattr(field, "verbose_name", None):
        text = str(field.verbose_name)
        return text[:1].upper() + text[1:]
    known = getattr(model, "AUDIT_KEYS", None)
    found = known(key) if callable(known) else (known or {}).get(key)
    return str(found) if found else key


def shown(value, field=None) -> str:
    """One value as people read it."""
    if value is None or value == "":
        return DASH
    if value is True:
        return str(_("ya"))
    if value is False:
        return str(_("tidak"))
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, list | tuple):
        return ", ".join(shown(v, field) for v in value) or DASH
    if isinstance(value, int | float) and not isinstance(value, bool):
        return numbers.quantity(value)
    if isinstance(value, str) and len(value) == 10 and (day := _date(value)):
        return date_format(day, "j M Y")
    return str(value)


def _date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def change_lines(target_type: str, changes: dict) -> list[str]:
    """Each change of an audit row as one line: "Status: belum mulai → dicanangkan"."""
    model = _model(target_type)
    lines = []
    for key, pair in (changes or {}).items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        field = _field(model, key)
        line = getattr(model, "audit_line", None)
        special = line(key, old, new) if line else None
        lines.append(
            special or f"{_label(model, field, key)}: {shown(old, field)} → {shown(new, field)}"
        )
    return lines
