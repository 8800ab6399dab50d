"""Every state change of the action plan (RAD KLA): keyword-only, the actor passed in, the rule
checked (`Perm.MANAGE_PLAN` for the secretariat's work on the plan; `Perm.REPORT_PROGRESS` plus
"agency operators only for their own agency's programmes" for quarterly reports), an audit row
written, inside one transaction. Notifications go out after commit.

Validation raises `ValidationError({field: message})` in Indonesian: years within the plan, no
negative money, quarter 1–4 and already started, one report per programme, year and quarter
(editable until accepted), one adopted plan per year.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.models import Role, User
from sikla.accounts.rules import Perm, require
from sikla.core.audit import apply_changes, record, snapshot
from sikla.core.notify import notify
from sikla.core.validation import TAG_RE
from sikla.lib.uploads import inspect_upload

from ..models.plan import (
    MAX_PLAN_YEARS,
    ActionPlan,
    Budget,
    FundingSource,
    PlanStatus,
    PlanYear,
    Programme,
    ProgressReport,
    ProgressStatus,
    Target,
)
from ..queries.plan import can_report_progress

__all__ = [
    "MAX_AMOUNT",
    "accept_progress",
    "add_programme",
    "adopt_plan",
    "create_plan",
    "quarter_start",
    "report_progress",
    "set_budget",
    "set_local_budget",
    "set_target",
    "update_plan",
    "update_programme",
]

MAX_AMOUNT = Decimal("9999999999999999.99")  # what 18 digits with 2 decimals hold
MAX_OUTPUT = Decimal("999999999999.99")


# --- helpers ------------------------------------------------------------------------------


def _plain(values: dict[str, object]) -> None:
    for name, value in values.items():
        if isinstance(value, str) and TAG_RE.search(value):
            raise ValidationError({name: _("Teks tidak boleh berisi tag HTML atau skrip.")})


def _amount(value, name: str, *, limit: Decimal = MAX_AMOUNT) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({name: _("Isi dengan angka.")}) from None
    if not amount.is_finite():
        raise ValidationError({name: _("Isi dengan angka.")})
    if amount < 0:
        raise ValidationError({name: _("Jumlah tidak boleh negatif.")})
    if amount > limit:
        raise ValidationError({name: _("Jumlah terlalu besar.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({name: _("Paling banyak dua angka di belakang koma.")})
    return amount.quantize(Decimal("0.01"))


def _year_in_plan(plan: ActionPlan, year, name: str = "year") -> int:
    if not isinstance(year, int) or not plan.start_year <= year <= plan.end_year:
        raise ValidationError(
            {
                name: _("Tahun harus di antara %(a)s dan %(b)s (masa RAD KLA).")
                % {"a": plan.start_year, "b": plan.end_year}
            }
        )
    return year


def _check_years(start_year, end_year) -> None:
    if not isinstance(start_year, int) or not 2000 <= start_year <= 2100:
        raise ValidationError({"start_year": _("Tahun awal harus di antara 2000 dan 2100.")})
    if not isinstance(end_year, int) or not 2000 <= end_year <= 2100:
        raise ValidationError({"end_year": _("Tahun akhir harus di antara 2000 dan 2100.")})
    if end_year < start_year:
        raise ValidationError({"end_year": _("Tahun akhir tidak boleh sebelum tahun awal.")})
    if end_year - start_year + 1 > MAX_PLAN_YEARS:
        raise ValidationError(
            {"end_year": _("Masa RAD KLA paling lama %(n)s tahun.") % {"n": MAX_PLAN_YEARS}}
        )


def _check_no_overlap(plan: ActionPlan, start_year: int, end_year: int) -> None:
    """Only one adopted plan may be in force in any year: the gap analysis and the budget share
    read "the" plan of a year."""
    other = (
        ActionPlan.objects.filter(
            local_government_id=plan.local_government_id,
            status=PlanStatus.ADOPTED,
            start_year__lte=end_year,
            end_year__gte=start_year,
        )
        .exclude(pk=plan.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            _("Sudah ada RAD KLA yang ditetapkan untuk tahun yang sama: %(t)s.") % {"t": other}
        )


def _programme_url(programme: Programme) -> str:
    return reverse("planning:programme", args=[programme.plan.local_government_id, programme.uid])


def _secretariat_of(lg_code: str):
    return User.objects.filter(role=Role.SECRETARIAT, scope=lg_code, is_active=True)


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


# --- the plan -----------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    actor,
    local_government,
    title: str,
    start_year: int,
    end_year: int,
    decree_number: str = "",
    decree_date: date | None = None,
) -> ActionPlan:
    require(actor, Perm.MANAGE_PLAN, local_government.pk)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Judul wajib diisi.")})
    _plain({"title": title, "decree_number": decree_number})
    _check_years(start_year, end_year)
    plan = ActionPlan.objects.create(
        local_government=local_government,
        title=title,
        start_year=start_year,
        end_year=end_year,
        decree_number=decree_number.strip(),
        decree_date=decree_date,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        action="plan.create",
        target=plan,
        region_code=local_government.pk,
        changes={"title": [None, plan.title], "years": [None, f"{start_year}–{end_year}"]},
    )
    return plan


@transaction.atomic
def update_plan(
    plan: ActionPlan,
    *,
    actor,
    title: str,
    start_year: int,
    end_year: int,
    decree_number: str = "",
    decree_date: date | None = None,
) -> dict:
    """Edit the plan's particulars. Its years may shrink only while no target, budget, report or
    APBD figure lies outside them."""
    require(actor, Perm.MANAGE_PLAN, plan.local_government_id)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Judul wajib diisi.")})
    _plain({"title": title, "decree_number": decree_number})
    _check_years(start_year, end_year)
    outside = {"year__lt": start_year}, {"year__gt": end_year}
    for lookup in outside:
        if (
            Target.objects.filter(programme__plan=plan, **lookup).exists()
            or Budget.objects.filter(programme__plan=plan, **lookup).exists()
            or ProgressReport.objects.filter(programme__plan=plan, **lookup).exists()
            or plan.plan_years.filter(**lookup).exists()
        ):
            raise ValidationError(
                {
                    "start_year" if "year__lt" in lookup else "end_year": _(
                        "Masih ada target, anggaran atau laporan di luar tahun ini."
                    )
                }
            )
    if plan.is_adopted:
        _check_no_overlap(plan, start_year, end_year)
    return apply_changes(
        plan,
        {
            "title": title,
            "start_year": start_year,
            "end_year": end_year,
            "decree_number": decree_number.strip(),
            "decree_date": decree_date,
        },
        actor=actor,
        action="plan.update",
        region_code=plan.local_government_id,
    )


@transaction.atomic
def adopt_plan(plan: ActionPlan, *, actor, decree_number: str, decree_date: date) -> ActionPlan:
    """Draft → adopted, with the regent's/mayor's regulation or decree that adopts it."""
    require(actor, Perm.MANAGE_PLAN, plan.local_government_id)
    given, plan = plan, ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_adopted:
        raise ValidationError(_("RAD KLA ini sudah ditetapkan."))
    decree_number = decree_number.strip()
    if not decree_number:
        raise ValidationError({"decree_number": _("Nomor peraturan/keputusan wajib diisi.")})
    _plain({"decree_number": decree_number})
    if decree_date is None:
        raise ValidationError({"decree_date": _("Tanggal penetapan wajib diisi.")})
    if not plan.programmes.exists():
        raise ValidationError(_("Tambahkan paling sedikit satu program sebelum menetapkan."))
    _check_no_overlap(plan, plan.start_year, plan.end_year)
    before = snapshot(plan, ["status", "decree_number", "decree_date"])
    plan.status = PlanStatus.ADOPTED
    plan.decree_number = decree_number
    plan.decree_date = decree_date
    plan.adopted_at = timezone.now()
    plan.save(update_fields=["status", "decree_number", "decree_date", "adopted_at", "updated_at"])
    for name in ("status", "decree_number", "decree_date", "adopted_at", "updated_at"):
        setattr(given, name, getattr(plan, name))  # the caller's instance (and its programmes')
    after = snapshot(plan, ["status", "decree_number", "decree_date"])
    record(
        actor=actor,
        action="plan.adopt",
        target=plan,
        region_code=plan.local_government_id,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    operators = User.objects.filter(
        role=Role.AGENCY_OPERATOR,
        is_active=True,
        agency__programmes__plan=plan,
    ).distinct()
    notify(
        operators,
        text=_("%(plan)s ditetapkan: laporkan progres program Anda tiap triwulan.")
        % {"plan": plan},
        link=reverse("planning:plan", args=[plan.local_government_id]) + f"?rencana={plan.uid}",
    )
    return given


@transaction.atomic
def set_local_budget(plan: ActionPlan, *, actor, year: int, total_apbd) -> PlanYear | None:
    """The local government's total APBD of one year (the denominator of the child-responsive
    share). `total_apbd=None` removes the figure."""
    require(actor, Perm.MANAGE_PLAN, plan.local_government_id)
    _year_in_plan(plan, year)
    current = plan.plan_years.select_for_update().filter(year=year).first()
    old = str(current.total_apbd) if current else None
    if total_apbd is None:
        if current is not None:
            current.delete()
            record(
                actor=actor,
                action="plan.local_budget",
                target=plan,
                region_code=plan.local_government_id,
                changes={f"apbd_{year}": [old, None]},
            )
        return None
    amount = _amount(total_apbd, "total_apbd")
    if amount <= 0:
        raise ValidationError({"total_apbd": _("Total APBD harus lebih dari nol.")})
    if current is None:
        current = PlanYear.objects.create(plan=plan, year=year, total_apbd=amount)
    elif current.total_apbd != amount:
        current.total_apbd = amount
        current.save(update_fields=["total_apbd", "updated_at"])
    else:
        return current
    record(
        actor=actor,
        action="plan.local_budget",
        target=plan,
        region_code=plan.local_government_id,
        changes={f"apbd_{year}": [old, str(amount)]},
    )
    return current


# --- programmes ---------------------------------------------------------------------------


def _programme_values(plan: ActionPlan, *, lead_agency, indicators, values: dict) -> list:
    if lead_agency is None or lead_agency.local_government_id != plan.local_government_id:
        raise ValidationError({"lead_agency": _("Pilih perangkat daerah pemerintah daerah ini.")})
    if not lead_agency.is_active:
        raise ValidationError({"lead_agency": _("Perangkat daerah ini sudah tidak aktif.")})
    indicators = list(indicators or [])
    if not indicators:
        raise ValidationError({"indicators": _("Pilih paling sedikit satu indikator KLA.")})
    if not values.get("name", "").strip():
        raise ValidationError({"name": _("Nama program wajib diisi.")})
    _plain(values)
    return indicators


def _indicator_label(indicators) -> str:
    return ", ".join(str(n) for n in sorted(i.number for i in indicators))


@transaction.atomic
def add_programme(
    plan: ActionPlan,
    *,
    actor,
    name: str,
    lead_agency,
    indicators,
    code: str = "",
    output_target: str = "",
    outcome_target: str = "",
    unit: str = "",
) -> Programme:
    require(actor, Perm.MANAGE_PLAN, plan.local_government_id)
    values = {
        "name": name.strip(),
        "code": code.strip(),
        "output_target": output_target.strip(),
        "outcome_target": outcome_target.strip(),
        "unit": unit.strip(),
    }
    indicators = _programme_values(
        plan, lead_agency=lead_agency, indicators=indicators, values=values
    )
    programme = Programme.objects.create(
        plan=plan,
        lead_agency=lead_agency,
        created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    programme.indicators.set(indicators)
    record(
        actor=actor,
        action="programme.create",
        target=programme,
        region_code=plan.local_government_id,
        changes={
            "name": [None, programme.name],
            "lead_agency": [None, str(lead_agency)],
            "indicators": [None, _indicator_label(indicators)],
        },
    )
    return programme


@transaction.atomic
def update_programme(
    programme: Programme,
    *,
    actor,
    name: str,
    lead_agency,
    indicators,
    code: str = "",
    output_target: str = "",
    outcome_target: str = "",
    unit: str = "",
) -> dict:
    plan = programme.plan
    require(actor, Perm.MANAGE_PLAN, plan.local_government_id)
    values = {
        "name": name.strip(),
        "code": code.strip(),
        "output_target": output_target.strip(),
        "outcome_target": outcome_target.strip(),
        "unit": unit.strip(),
    }
    indicators = _programme_values(
        plan, lead_agency=lead_agency, indicators=indicators, values=values
    )
    changes = apply_changes(
        programme,
        {**values, "lead_agency": lead_agency},
        actor=actor,
        action="programme.update",
        region_code=plan.local_government_id,
    )
    before = _indicator_label(programme.indicators.all())
    after = _indicator_label(indicators)
    if before != after:
        programme.indicators.set(indicators)
        record(
            actor=actor,
            action="programme.update",
            target=programme,
            region_code=plan.local_government_id,
            changes={"indicators": [before, after]},
        )
        changes["indicators"] = [before, after]
    return changes


@transaction.atomic
def set_target(
    programme: Programme,
    *,
    actor,
    year: int,
    output_target,
    unit: str = "",
    outcome_target: str = "",
) -> Target:
    plan = programme.plan
    require(actor, Perm.MANAGE_PLAN, plan.local_government_id)
    _year_in_plan(plan, year)
    amount = _amount(output_target, "output_target", limit=MAX_OUTPUT)
    values = {
        "output_target": amount,
        "unit": (unit or programme.unit).strip(),
        "outcome_target": outcome_target.strip(),
    }
    _plain({"unit": values["unit"], "outcome_target": values["outcome_target"]})
    target = programme.targets.select_for_update().filter(year=year).first()
    if target is None:
        target = Target.objects.create(programme=programme, year=year, **values)
        changes = {k: [None, str(v)] for k, v in values.items()}
    else:
        before = {k: str(getattr(target, k)) for k in values}
        for k, v in values.items():
            setattr(target, k, v)
        changes = {k: [before[k], str(v)] for k, v in values.items() if before[k] != str(v)}
        if not changes:
            return target
        target.save(update_fields=[*values, "updated_at"])
    record(
        actor=actor,
        action="programme.target",
        target=programme,
        region_code=plan.local_government_id,
        changes=changes,
        note=str(year),
    )
    return target


@transaction.atomic
def set_budget(
    programme: Programme,
    *,
    actor,
    year: int,
    source: str,
    planned,
    realised=0,
) -> Budget:
    """Planned and realised Rupiah of one year and funding source (created or replaced).
    Realised above planned is allowed and flagged (`Budget.over_realised`)."""
    plan = programme.plan
    require(actor, Perm.MANAGE_PLAN, plan.local_government_id)
    _year_in_plan(plan, year)
    if source not in FundingSource.values:
        raise ValidationError({"source": _("Pilih sumber dana.")})
    planned = _amount(planned, "planned")
    realised = _amount(realised, "realised")
    budget = programme.budgets.select_for_update().filter(year=year, source=source).first()
    if budget is None:
        budget = Budget.objects.create(
            programme=programme, year=year, source=source, planned=planned, realised=realised
        )
        changes = {"planned": [None, str(planned)], "realised": [None, str(realised)]}
    else:
        changes = {
            k: [str(getattr(budget, k)), str(v)]
            for k, v in (("planned", planned), ("realised", realised))
            if getattr(budget, k) != v
        }
        if not changes:
            return budget
        budget.planned, budget.realised = planned, realised
        budget.save(update_fields=["planned", "realised", "updated_at"])
    record(
        actor=actor,
        action="programme.budget",
        target=programme,
        region_code=plan.local_government_id,
        changes=changes,
        note=f"{year} {FundingSource(source).label}",
    )
    return budget


# --- quarterly progress -------------------------------------------------------------------


def _store_file(report: ProgressReport, upload) -> None:
    checked, sha256 = inspect_upload(upload)
    report.kind_ext = checked.kind
    report.mime = checked.mime
    report.size = upload.size
    report.sha256 = sha256
    report.file.save(checked.kind, upload, save=False)


@transaction.atomic
def report_progress(
    programme: Programme,
    *,
    actor,
    year: int,
    quarter: int,
    output_achieved,
    realisation,
    narrative: str,
    upload=None,
) -> tuple[ProgressReport, bool]:
    """Report one quarter (figures cumulative from the start of the year). A second report of
    the same quarter edits the first until the secretariat has accepted it. Returns
    (report, created)."""
    plan = programme.plan
    if not can_report_progress(actor, programme):
        raise PermissionDenied
    if not plan.is_adopted:
        raise ValidationError(
            _("RAD KLA ini belum ditetapkan; progres dilaporkan setelah penetapan.")
        )
    _year_in_plan(plan, year)
    if not isinstance(quarter, int) or not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("Triwulan harus 1, 2, 3 atau 4.")})
    if quarter_start(year, quarter) > timezone.localdate():
        raise ValidationError({"quarter": _("Triwulan ini belum dimulai.")})
    values = {
        "output_achieved": _amount(output_achieved, "output_achieved", limit=MAX_OUTPUT),
        "realisation": _amount(realisation, "realisation"),
        "narrative": (narrative or "").strip(),
    }
    if not values["narrative"]:
        raise ValidationError({"narrative": _("Uraikan capaian dan kendala triwulan ini.")})
    _plain({"narrative": values["narrative"]})
    report = (
        ProgressReport.objects.select_for_update()
        .filter(programme=programme, year=year, quarter=quarter)
        .first()
    )
    created = report is None
    if report is not None and report.is_accepted:
        raise ValidationError(
            {"quarter": _("Laporan triwulan ini sudah diterima dan tidak dapat diubah lagi.")}
        )
    if created:
        report = ProgressReport(programme=programme, year=year, quarter=quarter, reported_by=actor)
        before = {}
    else:
        before = {k: str(getattr(report, k)) for k in values}
    for k, v in values.items():
        setattr(report, k, v)
    if upload:
        _store_file(report, upload)
    if not created:
        report.version += 1
        report.reported_by = actor
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Somebody reported the same quarter at the same moment.
        raise ValidationError(
            {"quarter": _("Triwulan ini baru saja dilaporkan; muat ulang halaman.")}
        ) from None
    changes = {k: [before.get(k), str(v)] for k, v in values.items() if before.get(k) != str(v)}
    if upload:
        changes["file"] = [None, report.sha256[:16]]
    record(
        actor=actor,
        action="progress.report" if created else "progress.update",
        target=programme,
        region_code=plan.local_government_id,
        changes=changes,
        note=f"{year} TW{quarter}",
    )
    notify(
        _secretariat_of(plan.local_government_id).exclude(pk=actor.pk),
        text=_("Laporan progres TW%(q)s %(y)s menunggu diterima: %(p)s")
        % {"q": quarter, "y": year, "p": programme.name[:120]},
        link=_programme_url(programme),
    )
    return report, created


@transaction.atomic
def accept_progress(report: ProgressReport, *, actor, note: str = "") -> ProgressReport:
    """Submitted → accepted by the secretariat; the report is then frozen."""
    programme = report.programme
    require(actor, Perm.MANAGE_PLAN, programme.plan.local_government_id)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    report.programme = programme
    if report.status != ProgressStatus.SUBMITTED:
        raise ValidationError(_("Laporan ini sudah diterima."))
    report.status = ProgressStatus.ACCEPTED
    report.accepted_by = actor
    report.accepted_at = timezone.now()
    report.save(update_fields=["status", "accepted_by", "accepted_at", "updated_at"])
    record(
        actor=actor,
        action="progress.accept",
        target=programme,
        region_code=programme.plan.local_government_id,
        changes={"status": [ProgressStatus.SUBMITTED, ProgressStatus.ACCEPTED]},
        note=f"{report.year} TW{report.quarter} {note}".strip(),
    )
    if report.reported_by_id and report.reported_by_id != actor.pk:
        notify(
            [report.reported_by],
            text=_("Laporan progres TW%(q)s %(y)s diterima: %(p)s")
            % {"q": report.quarter, "y": report.year, "p": programme.name[:120]},
            link=_programme_url(programme),
        )
    return report
