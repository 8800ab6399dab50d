"""What a period publishes: the counts of an ended period in the shapes of `statistics`, hidden
ones "x" (`publish`), built once per change of the kab/kota and kept (`published`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sikla.core import public_cache

from ..models import Outcome, ReferralKind, ServiceKind
from .cube import AGE_GROUPS, FED, FEED_CELLS, SEXES, STATUSES, TYPES, Cube, build_cube
from .periods import Period
from .rule import THRESHOLD

__all__ = [
    "PublishedTallies",
    "Published",
    "publish",
    "published",
    "rebuild_published",
    "period_problem",
]


@dataclass
class PublishedTallies:
    """The case-level counts of a published period, shaped like `statistics.CaseTallies`; a
    hidden count is `HIDDEN`."""

    total_cases: int | str
    services_by_kind: dict[str, int | str]
    referrals: dict[tuple[str, str], int | str]
    referral_totals: dict[str, int | str]
    outcomes: dict[str, int | str]
    open_cases: int | str
    responded: int | str
    within_target: int | str
    late: int | str
    awaiting_response: int | str
    median_hours: float | None
    share_within_target: float | None

    def referral_total(self, kind: str) -> int | str:
        return self.referral_totals[kind]


@dataclass
class Published:
    """The counts of one ended period as anyone outside the UPTD PPA may see them: the shape of
    `statistics.Counts` (every kecamatan, kelurahan, type and month listed), hidden counts
    `HIDDEN`."""

    period: Period
    tables: dict[str, dict]
    cases: PublishedTallies
    total_victims: int | str
    feeds: dict[int, dict[str, tuple]]  # n → "L:0-5"…, "inc", "" → (served, victims)


def publish(cube: Cube, period: Period) -> Published:
    def v(name: str) -> int | str:
        return cube.value(period, name)

    tables = {
        "by_month": {
            f"{period.year:04d}-{m:02d}": cube.value(Period.of_month(period.year, m), "total")
            for m in period.months
        },
        "by_type": {t: v(f"type:{t}") for t in TYPES},
        "by_sex": {s: v(f"sex:{s}") for s in SEXES},
        "by_age_group": {a: v(f"age:{a}") for a in AGE_GROUPS},
        "by_sex_age": {s: {a: v(f"sexage:{s}:{a}") for a in AGE_GROUPS} for s in SEXES},
        "by_kecamatan": {k: v(f"kec:{k}") for k in (*cube.areas.kecamatan, "")},
        "by_kelurahan": {k: v(f"kel:{k}") for k in (*cube.areas.kelurahan, "")},
        "served": {"served": v("served"), "not_served": v("not_served")},
        "referred": {"referred": v("referred"), "not_referred": v("not_referred")},
    }
    responded, within = v("responded"), v("within")
    hours = cube.hours.get(period.token, [])
    usable = isinstance(responded, int) and responded >= THRESHOLD
    cases = PublishedTallies(
        total_cases=v("cases"),
        services_by_kind={k: v(f"service:{k}") for k in ServiceKind.values},
        referrals={(k, s): v(f"ref:{k}:{s}") for k in ReferralKind.values for s in STATUSES},
        referral_totals={k: v(f"refrow:{k}") for k in ReferralKind.values},
        outcomes={o: v(f"outcome:{o}") for o in Outcome.values},
        open_cases=v("open"),
        responded=responded,
        within_target=within,
        late=v("late"),
        awaiting_response=v("awaiting"),
        median_hours=median(hours) if usable and hours else None,
        share_within_target=within * 100 / responded
        if usable and isinstance(within, int)
        else None,
    )
    feeds = {
        n: {
            key: (v(f"feed{n}:s{suffix}"), v(f"feed{n}:d{suffix}"))
            for key, suffix in [("", ""), ("inc", ":inc"), *((c, f":{c}") for c in FEED_CELLS)]
        }
        for n in FED
    }
    return Published(
        period=period, tables=tables, cases=cases, total_victims=v("total"), feeds=feeds
    )


def published(local_government, period: Period, today: date) -> Published:
    """The published counts of an ended period (`ValueError` for one still running), the same
    for every reader: built from the year's cube once per change of the kab/kota, not once per
    request. After a change the last ones built are served while a job of the task queue
    builds the new ones (`public_cache.get_or_refresh`): the disclosure control of a kab/kota
    of 850 villages takes seconds, and nobody waits for it."""
    if not period.ended(today):
        raise ValueError(period.token)
    code = getattr(local_government, "pk", local_government)
    return public_cache.get_or_refresh(
        _published_name(period, today),
        code,
        lambda: _publish(local_government, period, today),
        lambda: _refresh_job().enqueue(code, period.token, today.isoformat(), get_language()),
        day=today,
    )


def rebuild_published(code: str, token: str, today: date) -> None:
    """The job behind `published` once a change has made a period's counts out of date (a
    token that names no ended period, e.g. of a job queued by an older release: nothing)."""
    period = Period.parse(str(token))
    if period is None or not period.ended(today):
        return
    public_cache.rebuild(
        _published_name(period, today), code, lambda: _publish(code, period, today), day=today
    )


def _publish(local_government, period: Period, today: date) -> Published:
    code = getattr(local_government, "pk", local_government)
    cube = public_cache.get_or_build(
        f"protection-cube:{period.year}:{_last_ended(period.year, today)}",
        code,
        lambda: build_cube(local_government, period.year, today),
        day=today,
    )
    return publish(cube, period)


def _refresh_job():
    from ..tasks import refresh_statistics

    return refresh_statistics


def _published_name(period: Period, today: date) -> str:
    return f"protection-published:{period.token}:{_last_ended(period.year, today)}"


def _last_ended(year: int, today: date) -> int:
    return max(m for m in range(1, 13) if Period.of_month(year, m).ended(today))


def period_problem(period: Period | None, today: date) -> str:
    """Why a period cannot be published ("" when it can)."""
    if period is None:
        return _(
            "Periode tidak dikenali: pilih satu tahun (2025), triwulan (2025-T3) atau bulan "
            "(2025-07)."
        )
    if not period.ended(today):
        return _("%(period)s belum berakhir; angka diterbitkan setelah periodenya selesai.") % {
            "period": period.label
        }
    return ""
