"""What waits for this person: the home page's list, per role (issue "people first").

Each item says what is waiting in a sentence, how many, by when, and links to the list where it
is done. A role sees only what it may open (the access rule decides, not the role's name), and
every count is one query, whatever the size of the kab/kota.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can, scope_q
from sikla.core.numbers import count


@dataclass(frozen=True)
class Due:
    key: str  # for tests and styling
    text: str
    url: str
    count: int | None = None
    when: date | datetime | None = None
    urgent: bool = False

    @property
    def when_text(self) -> str:
        """ "5 Desember 2026 09:00" for a moment, "batas 5 Desember 2026" for a deadline."""
        if isinstance(self.when, datetime):
            return dateformat.format(timezone.localtime(self.when), "j F Y H:i T")
        if isinstance(self.when, date):
            return _("batas %(d)s") % {"d": dateformat.format(self.when, "j F Y")}
        return ""


def _url(name: str, *args, query: str = "") -> str:
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _open_period(lg):
    from sikla.collection.models import Period, PeriodStatus

    return (
        Period.objects.filter(local_government=lg, status=PeriodStatus.OPEN)
        .order_by("-year")
        .first()
    )


def _secretariat(lg, today: date) -> list[Due]:
    from sikla.collection.models import Submission, SubmissionStatus
    from sikla.evaluation.models import Evaluation, Stage
    from sikla.planning.models import Meeting, MeetingStatus
    from sikla.planning.queries.meetings import follow_ups

    items: list[Due] = []
    period = _open_period(lg)
    if period is not None:
        progress = _url("collection:progress", lg.code, period.year)
        submitted = Submission.objects.filter(period=period, status=SubmissionStatus.SUBMITTED)
        if n := submitted.count():
            items.append(Due("review", _("Data indikator menunggu reviu Anda"), progress, n))
        if period.input_deadline < today:
            late = (
                Submission.objects.filter(
                    period=period,
                    status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED],
                )
                .values("lead_agency")
                .distinct()
                .count()
            )
            if late:
                items.append(
                    Due(
                        "late",
                        _("Perangkat daerah terlambat mengisi data"),
                        progress,
                        late,
                        period.input_deadline,
                        urgent=True,
                    )
                )
    evaluation = (
        Evaluation.objects.filter(local_government=lg, stage=Stage.SELF)
        .select_related("period__catalog")
        .order_by("-year")
        .first()
    )
    if evaluation is not None:
        items.append(_distance(lg, evaluation.period, evaluation))
    if n := follow_ups(lg, status="overdue", today=today).count():
        items.append(
            Due(
                "overdue_follow_ups",
                _("Tindak lanjut rapat lewat batas waktu"),
                _url("planning:follow_ups", lg.code, query="status=overdue"),
                n,
                urgent=True,
            )
        )
    meeting = (
        Meeting.objects.filter(local_government=lg, starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    if meeting is not None:
        items.append(
            Due(
                "meeting",
                _("Rapat berikutnya: %(t)s") % {"t": meeting.title},
                _url("planning:meeting", lg.code, meeting.uid),
                when=meeting.starts_at,
            )
        )
    return items


def _distance(lg, period, evaluation) -> Due:
    """The self-assessment's score and what the next category needs."""
    from sikla.core.numbers import score as score_text

    bounds = list(period.catalog.categories.order_by("order"))
    above = [b for b in bounds if b.min_score > evaluation.current_total]
    url = _url("evaluation:overview", lg.code, period.year)
    current = evaluation.current_category or _("belum berkategori")
    if above:
        text = _("Penilaian mandiri %(y)s: %(s)s (%(c)s), %(p)s poin lagi untuk %(n)s") % {
            "y": period.year,
            "s": score_text(evaluation.current_total),
            "c": current,
            "p": score_text(above[0].min_score - evaluation.current_total),
            "n": above[0].name,
        }
    else:
        text = _("Penilaian mandiri %(y)s: %(s)s (%(c)s)") % {
            "y": period.year,
            "s": score_text(evaluation.current_total),
            "c": current,
        }
    return Due("evaluation", text, url)


def _agency(user, today: date) -> list[Due]:
    from sikla.collection.models import SubmissionStatus
    from sikla.collection.queries import submissions_for_agency
    from sikla.planning.queries.meetings import my_follow_ups, overdue_q

    items: list[Due] = []
    if user.agency_id is None:
        return items
    mine = submissions_for_agency(user.agency).filter(
        period__status="open",
        status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED],
    )
    first = mine.order_by("period__input_deadline").select_related("period").first()
    if first is not None:
        items.append(
            Due(
                "my_indicators",
                _("Indikator yang harus Anda isi"),
                _url("collection:my_indicators"),
                mine.count(),
                first.period.input_deadline,
                urgent=first.period.input_deadline < today,
            )
        )
    open_ones = my_follow_ups(user, status="open")
    if n := open_ones.count():
        late = overdue_q(open_ones, today).count()
        items.append(
            Due(
                "my_follow_ups",
                _("Tindak lanjut rapat untuk perangkat daerah Anda"),
                _url("planning:my_follow_ups"),
                n,
                urgent=bool(late),
            )
        )
    return items


def _unit(user, lg) -> list[Due]:
    from sikla.protection import queries as protection

    items: list[Due] = []
    if n := protection.pending_complaints(lg).count():
        urgent = protection.urgent_waiting(user).count()
        items.append(
            Due(
                "complaints",
                _("Pengaduan belum diambil (%(u)s mendesak atau darurat)") % {"u": urgent},
                _url("protection:home", lg.code),
                n,
                urgent=bool(urgent),
            )
        )
    overdue = protection.overdue_q(protection.cases(lg, user))
    if n := overdue.count():
        items.append(
            Due(
                "overdue_cases",
                _("Kasus melewati batas respons pertama"),
                _url("protection:cases", lg.code, query="overdue=1"),
                n,
                urgent=True,
            )
        )
    owed = protection.consent_owed_q(protection.cases(lg, user))
    if n := owed.count():
        items.append(
            Due(
                "consents",
                _("Rujukan tanpa persetujuan wali: persetujuan belum dicatat"),
                _url("protection:cases", lg.code, query="consent=owed"),
                n,
            )
        )
    return items


def _corrections(user, now: datetime) -> list[Due]:
    """Correction windows still open in the evaluator's scope, the one closing first first."""
    from sikla.evaluation.models import CorrectionWindow

    windows = CorrectionWindow.objects.filter(
        scope_q(user, "evaluation__local_government__region__code"),
        opens_at__lte=now,
        closes_at__gt=now,
    ).select_related("evaluation__local_government__region")
    return [
        Due(
            f"correction_{w.pk}",
            _("Jendela perbaikan %(lg)s ditutup") % {"lg": w.evaluation.local_government.name},
            _url(
                "evaluation:corrections",
                w.evaluation.local_government_id,
                w.evaluation.year,
            ),
            when=w.closes_at,
            urgent=w.closes_at - now < timedelta(days=1),
        )
        for w in windows.order_by("closes_at")[:5]
    ]


def _season(user) -> list[Due]:
    """The latest evaluation season in the person's scope: how many kab/kota stand at each step."""
    from sikla.evaluation.models import Stage
    from sikla.evaluation.rollup import evaluations_visible_to
    from sikla.organisations.queries import local_governments_visible_to

    visible = evaluations_visible_to(user)
    year = visible.aggregate(y=Max("year"))["y"]
    if year is None:
        return []
    stages = dict(visible.filter(year=year).values_list("stage").annotate(n=Count("pk")).order_by())
    total = local_governments_visible_to(user).filter(is_active=True).count()
    submitted = sum(n for stage, n in stages.items() if stage != Stage.SELF)
    return [
        Due(
            "season",
            _(
                "Evaluasi %(y)s: %(s)s dari %(t)s kab/kota telah mengajukan penilaian mandiri, "
                "%(d)s ditetapkan"
            )
            % {
                "y": year,
                "s": count(submitted),
                "t": count(total),
                "d": count(stages.get(Stage.DETERMINED, 0)),
            },
            _url("evaluation:rollup", query=f"tahun={year}"),
        )
    ]


def _evaluator(user) -> list[Due]:
    from sikla.evaluation.models import Stage
    from sikla.evaluation.rollup import evaluations_visible_to

    stages = (
        [Stage.ADMINISTRATIVE]
        if user.role == Role.PROVINCIAL_EVALUATOR
        else [Stage.RECHECK, Stage.FIELD, Stage.FINAL]
    )
    waiting = (
        evaluations_visible_to(user)
        .filter(stage__in=stages)
        .values("stage")
        .annotate(n=Count("pk"), year=Max("year"))
        .order_by("stage")
    )
    return [
        Due(
            f"verify_{row['stage']}",
            _("Evaluasi menunggu tahap %(s)s") % {"s": Stage(row["stage"]).label},
            _url("evaluation:rollup", query=f"tahun={row['year']}&tahap={row['stage']}"),
            row["n"],
        )
        for row in waiting
    ]


def due_for(user, lg) -> list[Due]:
    """Everything waiting for this user, the urgent first."""
    today = timezone.localdate()
    items: list[Due] = []
    if lg is not None and can(user, Perm.REVIEW_DATA, lg.code):
        items += _secretariat(lg, today)
    if user.role == Role.AGENCY_OPERATOR:
        items += _agency(user, today)
    if lg is not None and can(user, Perm.HANDLE_CASES, lg.code):
        items += _unit(user, lg)
    if user.role in (Role.PROVINCIAL_EVALUATOR, Role.NATIONAL_EVALUATOR):
        items += _evaluator(user) + _corrections(user, timezone.now())
    if user.role in SEASON_ROLES:
        items += _season(user)
    return sorted(items, key=_order)


SEASON_ROLES = (Role.NATIONAL_ADMIN, Role.NATIONAL_EVALUATOR, Role.PROVINCIAL_EVALUATOR)


def _order(d: Due) -> tuple:
    """The urgent first, then the nearest deadline or moment, then the rest."""
    when = d.when
    if isinstance(when, datetime):
        when = timezone.localtime(when).date()
    return (not d.urgent, when is None, when or date.min)
