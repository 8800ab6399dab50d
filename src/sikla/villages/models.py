"""Child-friendly villages (Desa/Kelurahan Layak Anak, DeKeLA) and districts (Kecamatan Layak
Anak, KELANA) of a local government.

One `VillageStatus` per kelurahan/desa or kecamatan that has been worked on (a region without one
is "not started"); every change to it leaves a `StatusChange` row. A yearly `Checklist` holds one
`ChecklistAnswer` per item, each yes/no with a note and an optional evidence file.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikla.core.models import PublicIdModel

DISTRICT_CODE_LENGTH = 8  # 53.71.04
VILLAGE_CODE_LENGTH = 13  # 53.71.04.1001


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Belum dimulai")
    INITIATED = "initiated", _("Inisiasi")
    DECLARED = "declared", _("Dideklarasikan")
    EVALUATED = "evaluated", _("Dievaluasi")


# A village that has been evaluated after its declaration is still declared.
DECLARED_STATUSES = frozenset({Status.DECLARED, Status.EVALUATED})


class ChecklistItem(models.TextChoices):
    CHILD_PROFILE = "child_profile", _("Profil anak")
    FAMILY_CONSULTATION = "family_consultation", _("Pos konsultasi keluarga / PUSPAGA desa")
    READING_CORNER = "reading_corner", _("Pojok baca")
    SMOKE_FREE = "smoke_free", _("Kawasan tanpa rokok")
    PLAYGROUND = "playground", _("Ruang bermain ramah anak")
    PATBM = "patbm", _("PATBM (perlindungan anak terpadu berbasis masyarakat)")
    CHILD_FORUM = "child_forum", _("Forum Anak desa/kelurahan")
    NO_CHILD_MARRIAGE = "no_child_marriage", _("Tidak ada perkawinan anak pada tahun ini")


# Short column headings for tables and the workbook.
ITEM_SHORT = {
    ChecklistItem.CHILD_PROFILE: _("Profil anak"),
    ChecklistItem.FAMILY_CONSULTATION: _("PUSPAGA"),
    ChecklistItem.READING_CORNER: _("Pojok baca"),
    ChecklistItem.SMOKE_FREE: _("KTR"),
    ChecklistItem.PLAYGROUND: _("RBRA"),
    ChecklistItem.PATBM: _("PATBM"),
    ChecklistItem.CHILD_FORUM: _("Forum Anak"),
    ChecklistItem.NO_CHILD_MARRIAGE: _("Tanpa perkawinan anak"),
}


class VillageStatus(PublicIdModel):
    """The child-friendly status of one kelurahan/desa (DeKeLA) or kecamatan (KELANA).

    One row per region and local government: this row is the current status, `StatusChange`
    keeps how it got there. The region lies inside the local government (its code starts with
    the kab/kota code) and is a kecamatan or a kelurahan/desa; the database holds both rules.
    """

    local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="village_statuses",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        related_name="village_statuses",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    declared_on = models.DateField(_("tanggal deklarasi"), null=True, blank=True)
    decree_number = models.CharField(_("nomor SK deklarasi"), max_length=120, blank=True)
    task_force_decree = models.CharField(_("nomor SK gugus tugas"), max_length=120, blank=True)
    task_force_chair = models.CharField(_("ketua gugus tugas"), max_length=150, blank=True)
    task_force_members = models.PositiveSmallIntegerField(
        _("jumlah anggota gugus tugas"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("status layak anak wilayah")
        verbose_name_plural = _("status layak anak wilayah")
        ordering = ["region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_government", "region"], name="villagestatus_one_per_region"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="villagestatus_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    models.lookups.StartsWith(
                        models.F("region_id"),
                        Concat(
                            models.F("local_government_id"),
                            models.Value("."),
                            output_field=models.CharField(),
                        ),
                    )
                ),
                name="villagestatus_region_in_lg",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    models.lookups.In(
                        Length("region_id"), [DISTRICT_CODE_LENGTH, VILLAGE_CODE_LENGTH]
                    )
                ),
                name="villagestatus_district_or_village",
            ),
            # Declared ⇔ a declaration date and a decree; anything else carries neither.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status__in=sorted(DECLARED_STATUSES),
                        declared_on__isnull=False,
                    )
                    & ~models.Q(decree_number="")
                )
                | models.Q(
                    status__in=[Status.NOT_STARTED, Status.INITIATED],
                    declared_on__isnull=True,
                    decree_number="",
                ),
                name="villagestatus_declared_has_decree",
            ),
            models.CheckConstraint(
                condition=models.Q(task_force_members__isnull=True)
                | models.Q(task_force_members__lte=999),
                name="villagestatus_members_range",
            ),
        ]
        indexes = [
            models.Index(fields=["local_government", "status"], name="villagestatus_lg_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} ({self.region_id})"

    @property
    def is_declared(self) -> bool:
        return self.status in DECLARED_STATUSES

    @property
    def is_district(self) -> bool:
        return len(self.region_id) == DISTRICT_CODE_LENGTH


class StatusChange(models.Model):
    """One change of a status record: the status before and after, the declaration as it then
    stood, the fields that changed, who and why. Written by the action, never edited."""

    village_status = models.ForeignKey(
        VillageStatus, on_delete=models.CASCADE, related_name="changes"
    )
    changed_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("status semula"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("status baru"), max_length=16, choices=Status.choices)
    declared_on = models.DateField(_("tanggal deklarasi"), null=True, blank=True)
    decree_number = models.CharField(_("nomor SK deklarasi"), max_length=120, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("riwayat status layak anak")
        verbose_name_plural = _("riwayat status layak anak")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.village_status_id}: {self.from_status} → {self.to_status}"


class Checklist(PublicIdModel):
    """The yearly self-assessment of a kelurahan/desa or kecamatan."""

    village_status = models.ForeignKey(
        VillageStatus, on_delete=models.CASCADE, related_name="checklists"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disimpan oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("daftar periksa layak anak")
        verbose_name_plural = _("daftar periksa layak anak")
        ordering = ["village_status", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["village_status", "year"], name="checklist_one_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="checklist_year_range"
            ),
        ]
        indexes = [models.Index(fields=["year"], name="checklist_year_idx")]

    def __str__(self) -> str:
        return f"Daftar periksa {self.year} — {self.village_status}"

    @staticmethod
    def audit_line(key: str, old, new) -> str | None:
        """A change of the checklist's history (`core.history`): "PATBM: tidak → ya",
        "PATBM, catatan: – → aktif", "PATBM: bukti dukung diunggah"."""
        from sikla.core.history import shown

        item = key.removesuffix("_file").removesuffix("_note")
        if item not in ITEM_SHORT:
            return None
        name = ITEM_SHORT[item]
        if key.endswith("_file"):
            return _("%(item)s: bukti dukung diunggah") % {"item": name}
        if key.endswith("_note"):
            return _("%(item)s, catatan: %(old)s → %(new)s") % {
                "item": name,
                "old": shown(old),
                "new": shown(new),
            }
        return f"{name}: {shown(old)} → {shown(new)}"


def evidence_path(instance: "ChecklistAnswer", filename: str) -> str:
    # Never the uploader's file name; the checked kind gives the extension.
    lg = instance.checklist.village_status.local_government_id
    return f"villages/{lg}/{instance.uid}-{instance.evidence_sha256[:12]}.{instance.evidence_ext}"


class ChecklistAnswer(PublicIdModel):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(_("butir"), max_length=24, choices=ChecklistItem.choices)
    done = models.BooleanField(_("ada / terpenuhi"), default=False)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    evidence = models.FileField(
        _("bukti dukung"), upload_to=evidence_path, max_length=255, blank=True
    )
    evidence_ext = models.CharField(max_length=5, blank=True)  # checked from the content
    evidence_mime = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveBigIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_uploaded_at = models.DateTimeField(null=True, blank=True)
    evidence_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("butir daftar periksa")
        verbose_name_plural = _("butir daftar periksa")
        ordering = ["checklist", "item"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "item"], name="checklistanswer_one_item"),
            models.CheckConstraint(
                condition=models.Q(item__in=ChecklistItem.values),
                name="checklistanswer_item_valid",
            ),
        ]
        indexes = [models.Index(fields=["item", "done"], name="checklistanswer_item_done_idx")]

    def __str__(self) -> str:
        return f"{self.get_item_display()} ({self.checklist.year})"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence)
