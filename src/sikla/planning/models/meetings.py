"""Coordination of the task force (issue 6): meetings with attendance, minutes, documents and
decisions; follow-ups assigned to agencies with due dates and their history.

"Working alone" made visible: every follow-up belongs to one agency, has a due date and a status
history; the coordination overview counts attendance and follow-ups per agency.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikla.core.models import PublicIdModel

__all__ = [
    "OPEN_FOLLOW_UP",
    "Attendance",
    "Decision",
    "FollowUp",
    "FollowUpStatus",
    "FollowUpUpdate",
    "Meeting",
    "MeetingDocument",
    "MeetingKind",
    "MeetingStatus",
    "follow_up_evidence_path",
    "meeting_document_path",
]


class MeetingKind(models.TextChoices):
    TASK_FORCE = "task_force", _("Rapat koordinasi Gugus Tugas")
    CLUSTER = "cluster", _("Rapat klaster")
    TECHNICAL = "technical", _("Rapat teknis")
    EVALUATION = "evaluation", _("Rapat persiapan evaluasi")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Dijadwalkan")
    HELD = "held", _("Terlaksana")
    CANCELLED = "cancelled", _("Dibatalkan")


class Meeting(PublicIdModel):
    local_government = models.ForeignKey(
        "organisations.LocalGovernment", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("jenis rapat"), max_length=12, choices=MeetingKind.choices)
    cluster = models.PositiveSmallIntegerField(_("klaster"), null=True, blank=True)
    title = models.CharField(_("judul"), max_length=200)
    agenda = models.TextField(_("agenda"))
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    video_link = models.URLField(_("tautan rapat daring"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    minutes = models.TextField(_("notulen"), blank=True)
    partners = models.TextField(_("mitra yang diundang"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["local_government", "starts_at"], name="meeting_lg_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class Attendance(models.Model):
    """An invited agency and, once the meeting is held, whether it came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, related_name="attendance"
    )
    present = models.BooleanField(_("hadir"), null=True)
    representative = models.CharField(_("perwakilan"), max_length=150, blank=True)

    class Meta:
        ordering = ["meeting", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.agency_id} {self.present}"


def meeting_document_path(instance, filename: str) -> str:
    return f"meetings/{instance.meeting.local_government_id}/{instance.uid}.{instance.kind_ext}"


class MeetingDocument(PublicIdModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(upload_to=meeting_document_path, max_length=255)
    kind_ext = models.CharField(max_length=5)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "created_at"]

    def __str__(self) -> str:
        return self.title


class Decision(PublicIdModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("keputusan"))

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Belum dikerjakan")
    IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
    DONE = "done", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


OPEN_FOLLOW_UP = [FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS]


class FollowUp(PublicIdModel):
    """A task an agency owes the task force, usually from a meeting's decision."""

    local_government = models.ForeignKey(
        "organisations.LocalGovernment", on_delete=models.PROTECT, related_name="follow_ups"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indikator terkait"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    title = models.CharField(_("tindak lanjut"), max_length=300)
    due_date = models.DateField(_("batas waktu"))
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the overdue reminder, sent once
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["local_government", "status", "due_date"], name="followup_lg_idx"),
            models.Index(fields=["agency", "status"], name="followup_agency_idx"),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FOLLOW_UP


def follow_up_evidence_path(instance, filename: str) -> str:
    return f"follow-ups/{instance.follow_up.local_government_id}/{instance.uid}.{instance.kind_ext}"


class FollowUpUpdate(PublicIdModel):
    """One status report of the agency on its follow-up, with a note and optional evidence."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="updates")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=FollowUpStatus.choices)
    to_status = models.CharField(max_length=12, choices=FollowUpStatus.choices)
    note = models.TextField(_("catatan"), blank=True)
    file = models.FileField(upload_to=follow_up_evidence_path, max_length=255, blank=True)
    kind_ext = models.CharField(max_length=5, blank=True)
    mime = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["follow_up", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.from_status}→{self.to_status}"
