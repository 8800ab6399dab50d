"""Demo meetings of Kota Kupang's task force, written through the real actions: the 2024
coordination meeting (held, with decisions and follow-ups in every state), a cluster meeting this
year, and one scheduled for next month. Follow-ups reported "in the past" get their dates moved
back afterwards, as if entered then. Idempotent."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from sikla.indicators.models import Indicator
from sikla.indicators.queries import active_catalog

from . import actions
from .models import FollowUp, FollowUpUpdate, Meeting

TITLE_2024 = "Rapat Koordinasi Gugus Tugas KLA Kota Kupang 2024"


def _indicator(number: int):
    return Indicator.objects.filter(cluster__version=active_catalog(), number=number).first()


def load_demo_meetings(*, lg, secretariat, operators) -> int:
    if Meeting.objects.filter(local_government=lg, title=TITLE_2024).exists():
        return 0
    agencies = {a.abbreviation: a for a in lg.agencies.all()}
    zone = timezone.get_current_timezone()
    invited = [
        agencies[a]
        for a in (
            "DP3A",
            "Bappeda",
            "Disdukcapil",
            "Dinkes",
            "Disdik",
            "Dinsos",
            "PUPR",
            "Kominfo",
            "Satpol PP",
            "UPTD PPA",
        )
    ]
    start = datetime(2024, 3, 12, 9, 0, tzinfo=zone)
    meeting = actions.schedule_meeting(
        actor=secretariat,
        local_government=lg,
        invited=invited,
        kind="task_force",
        cluster=None,
        title=TITLE_2024,
        agenda="1. Hasil evaluasi KLA 2023 (Pratama)\n2. Pembagian tugas pengisian data "
        "dan bukti dukung\n3. Rencana aksi daerah KLA",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="Aula Garuda, Kantor Wali Kota Kupang",
        video_link="",
        partners="Forum Anak Kota Kupang, PKK, Pos Kupang",
    )
    absent = {"PUPR", "Satpol PP", "Kominfo"}
    actions.record_meeting(
        meeting,
        actor=secretariat,
        present={a.pk: a.abbreviation not in absent for a in invited},
        representatives={agencies["Dinkes"].pk: "Kepala Bidang Kesehatan Masyarakat"},
        minutes="Rapat dipimpin Kepala Bappeda. Kota Kupang bertahan di Pratama; poin terbesar "
        "hilang di klaster III dan V. Disepakati percepatan data dan bukti dukung.",
    )
    plan = [
        (
            "Data cakupan akta kelahiran anak per kelurahan",
            "Disdukcapil",
            date(2024, 4, 15),
            4,
            "done_on_time",
        ),
        (
            "Data stunting dan gizi balita per kelurahan",
            "Dinkes",
            date(2024, 4, 30),
            12,
            "done_late",
        ),
        ("Penetapan sekolah ramah anak tahap II", "Disdik", date(2024, 6, 30), 19, "in_progress"),
        ("Ruang bermain ramah anak di 2 kelurahan", "PUPR", date(2024, 9, 30), 10, "open"),
        ("Perda KTR: penegakan di sekitar sekolah", "Satpol PP", date(2024, 8, 31), 16, "open"),
        (
            "Rekap layanan anak korban kekerasan (SIMFONI-PPA)",
            "UPTD PPA",
            date(2024, 5, 31),
            21,
            "done_on_time",
        ),
        ("Sosialisasi hak anak melalui media daerah", "Kominfo", date(2024, 7, 31), 3, "cancelled"),
    ]
    decision = actions.add_decision(
        meeting,
        actor=secretariat,
        text="Setiap perangkat daerah menyelesaikan data dan bukti dukung indikatornya sebelum "
        "batas waktu; sekretariat memantau melalui SIKLA.",
        follow_ups=[
            {"agency": agencies[a], "title": t, "due_date": d, "indicator": _indicator(n)}
            for t, a, d, n, _state in plan
        ],
    )
    by_agency = {}
    for operator in operators:
        by_agency[operator.agency_id] = operator
    for (_title, abbreviation, due, _n, state), follow_up in zip(
        plan, decision.follow_ups.order_by("id"), strict=True
    ):
        actor = by_agency.get(agencies[abbreviation].pk, secretariat)
        if state in ("done_on_time", "done_late"):
            actions.update_follow_up(
                follow_up,
                actor=actor,
                status="in_progress",
                note="Data sedang dihimpun dari kelurahan.",
            )
            actions.update_follow_up(
                follow_up,
                actor=actor,
                status="done",
                note="Data dan bukti dukung sudah diunggah ke SIKLA.",
            )
            moment = datetime.combine(
                due - timedelta(days=5) if state == "done_on_time" else due + timedelta(days=12),
                datetime.min.time().replace(hour=10),
                tzinfo=zone,
            )
            FollowUp.objects.filter(pk=follow_up.pk).update(done_at=moment)
            FollowUpUpdate.objects.filter(follow_up=follow_up).update(created_at=moment)
        elif state == "in_progress":
            actions.update_follow_up(
                follow_up,
                actor=actor,
                status="in_progress",
                note="12 dari 30 sekolah sudah diverifikasi.",
            )
        elif state == "cancelled":
            actions.update_follow_up(
                follow_up,
                actor=secretariat,
                status="cancelled",
                note="Digabung dengan kampanye Hari Anak Nasional.",
            )
    today = timezone.localdate()
    cluster_start = datetime.combine(today - timedelta(days=20), datetime.min.time(), tzinfo=zone)
    cluster = actions.schedule_meeting(
        actor=secretariat,
        local_government=lg,
        invited=[agencies[a] for a in ("Dinkes", "PUPR", "DLH")],
        kind="cluster",
        cluster=3,
        title="Rapat Klaster III: kesehatan dasar dan kesejahteraan",
        agenda="Stunting, air minum dan sanitasi, kawasan tanpa rokok.",
        starts_at=cluster_start.replace(hour=9),
        ends_at=cluster_start.replace(hour=11),
        place="",
        video_link="https://meet.kupangkota.go.id/klaster-3",
    )
    actions.record_meeting(
        cluster,
        actor=secretariat,
        present={agencies["Dinkes"].pk: True, agencies["PUPR"].pk: True},
        minutes="Dibahas data air minum layak per kelurahan.",
    )
    actions.add_decision(
        cluster,
        actor=secretariat,
        text="Pemutakhiran data akses air minum dan sanitasi layak.",
        follow_ups=[
            {
                "agency": agencies["PUPR"],
                "title": "Data rumah tangga dengan air minum layak",
                "due_date": today + timedelta(days=14),
                "indicator": _indicator(15),
            },
        ],
    )
    upcoming = datetime.combine(today + timedelta(days=21), datetime.min.time(), tzinfo=zone)
    actions.schedule_meeting(
        actor=secretariat,
        local_government=lg,
        invited=invited,
        kind="evaluation",
        cluster=None,
        title="Rapat persiapan evaluasi KLA",
        agenda="Analisis kesenjangan dan rencana perbaikan bukti dukung.",
        starts_at=upcoming.replace(hour=9),
        ends_at=upcoming.replace(hour=12),
        place="Ruang Rapat Bappeda Kota Kupang",
        video_link="",
        partners="Forum Anak Kota Kupang",
    )
    return 3
