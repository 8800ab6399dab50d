"""De-identified statistics of the unit's cases: what the page, the workbook, the API and the
cluster V feed all read. No row here ever carries a name, NIK, case number, date of birth or
free text; only codes, counts and the month.

Definitions (the same everywhere they are shown):

- A case counts when it was *received* in [start, end], both local dates (in the local
  government's own time zone, `core.localtime`) included.
- A *victim* is a `Child` row of such a case; a case with no child recorded yet counts as one
  victim of unknown sex and age, so a case is never lost from the totals.
- *Age group*: 0–5, 6–12, 13–17 (SIMFONI-PPA); no age recorded → "" (unknown).
- *Kelurahan*: the child's home kelurahan, else the case's incident kelurahan; its kecamatan is
  the first three parts of its code. Neither recorded → "".
- *Served*: the child has at least one service, or the case has a service not tied to a child
  (it serves every child of the case). A case without children is served when it has a service.
- *Referred*: the case has a referral or transfer that the receiving side did not decline.
- *Time to first response*: hours from receipt to the first response; *within target* when the
  first response came no later than the response deadline (`response_due_at`). Cases still
  without a response are counted apart ("menunggu respons"), not in the share.

Who may see which counts, and what is hidden from whom, is decided in one place:
`disclosure.py`. The UPTD PPA see the exact counts of any range (`exact_report`); everyone else
sees the published counts of an ended month, quarter or year (`published_report`).
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikla.core import public_cache
from sikla.core.localtime import zone_of
from sikla.regions.models import Region

from .models import (
    TYPE_BITS,
    TYPE_INDICATOR,
    Case,
    CaseFact,
    CaseItemFact,
    CaseStatus,
    CaseType,
    Child,
    Outcome,
    ProtectionType,
    Referral,
    ReferralKind,
    ReferralStatus,
    Service,
    ServiceKind,
    Sex,
    VictimFact,
    type_bits,
)

UNKNOWN = ""
FED_MASKS = {  # cluster V indicator → the type bits of the cases that feed it (`feeds.py`)
    number: type_bits(t for t, n in TYPE_INDICATOR.items() if n == number)
    for number in sorted(set(TYPE_INDICATOR.values()))
}
SEXES = (Sex.MALE.value, Sex.FEMALE.value, UNKNOWN)
AGE_BANDS = (("0-5", 0, 5), ("6-12", 6, 12), ("13-17", 13, 17))
AGE_GROUPS = (*(band for band, _low, _high in AGE_BANDS), UNKNOWN)
NOTE_EXACT = gettext_lazy(
    "Angka persis untuk internal UPTD PPA, tanpa identitas; jangan diterbitkan. Untuk dibagikan, "
    "unduh versi terbitan (pilih periode)."
)
NOTE_PUBLISHED = gettext_lazy(
    "Angka terbitan tanpa identitas: x = disamarkan (1–4 anak, atau angka yang dapat dipakai "
    "untuk menghitungnya)."
)


def age_group(age: int | None) -> str:
    """0–5, 6–12, 13–17 → the collection module's age-group code; anything else → "" (unknown)."""
    if age is None:
        return UNKNOWN
    for band, low, high in AGE_BANDS:
        if low <= age <= high:
            return band
    return UNKNOWN


def area_codes(region_code: str | None) -> tuple[str, str]:
    """(kecamatan, kelurahan) of a region code: `53.71.04.1001` → (`53.71.04`, `53.71.04.1001`)."""
    parts = (region_code or "").split(".")
    kecamatan = ".".join(parts[:3]) if len(parts) >= 3 else UNKNOWN
    kelurahan = region_code if len(parts) == 4 else UNKNOWN
    return kecamatan, kelurahan


def default_range(today: date) -> tuple[date, date]:
    """1 January of this year to today."""
    return date(today.year, 1, 1), today


def bounds(start: date, end: date, zone=None) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in local time (`zone`, else the active one), as aware
    datetimes."""
    zone = zone or timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def months_between(start: date, end: date) -> list[str]:
    """Every "YYYY-MM" from start's month to end's month."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class VictimRow:
    """One child victim, de-identified."""

    day: date  # the local day the case was received
    sex: str  # "L", "P" or ""
    age_group: str  # "0-5", "6-12", "13-17" or ""
    kecamatan: str
    kelurahan: str
    types: frozenset[str]
    served: bool
    referred: bool
    outcome: str  # "" while the case is open
    hours_to_first_response: float | None

    @property
    def month(self) -> str:
        return f"{self.day:%Y-%m}"


@dataclass
class CaseTallies:
    """Case-level counts (a case with three children counts once here)."""

    total_cases: int = 0
    services_by_kind: dict[str, int] = field(default_factory=dict)  # number of services
    referrals: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, status) → n
    outcomes: dict[str, int] = field(default_factory=dict)  # closed cases by outcome
    responded: int = 0
    within_target: int = 0
    awaiting_response: int = 0
    median_hours: float | None = None

    @property
    def share_within_target(self) -> float | None:
        """Percentage of the responded cases answered within their deadline."""
        return self.within_target * 100 / self.responded if self.responded else None

    @property
    def late(self) -> int:
        return self.responded - self.within_target

    @property
    def open_cases(self) -> int:
        return self.total_cases - sum(self.outcomes.values())

    def referral_total(self, kind: str) -> int:
        return sum(n for (k, _status), n in self.referrals.items() if k == kind)


@dataclass
class CaseRecord:
    """Everything the statistics take from one case, de-identified (`derive`)."""

    pk: int
    local_government_id: str
    day: date
    closed: bool
    outcome: str
    hours_to_first_response: float | None
    within_target: bool
    victims: list[VictimRow]
    services: Counter[str]
    referrals: Counter[tuple[str, str]]


def derive(cases_qs) -> list[CaseRecord]:
    """The de-identified record of each case of `cases_qs`: five queries, however many cases;
    identities are never loaded (`values()` of plain columns only). The definitions of the
    module docstring live here and only here."""
    in_set = cases_qs.values("pk")
    cases = list(
        cases_qs.order_by("received_at", "pk").values(
            "pk",
            "local_government_id",
            "received_at",
            "status",
            "outcome",
            "first_response_at",
            "response_due_at",
            "incident_region_id",
        )
    )
    types: dict[int, set[str]] = defaultdict(set)
    for case_id, kind in CaseType.objects.filter(case__in=in_set).values_list("case_id", "type"):
        types[case_id].add(kind)
    children: dict[int, list[dict]] = defaultdict(list)
    for child in (
        Child.objects.filter(case__in=in_set)
        .order_by("pk")
        .values("pk", "case_id", "age", "sex", "address_region_id")
    ):
        children[child["case_id"]].append(child)
    served_children: set[int] = set()
    case_wide_service: set[int] = set()
    services: dict[int, Counter[str]] = defaultdict(Counter)
    for case_id, child_id, kind in (
        Service.objects.filter(case__in=in_set)
        .order_by()
        .values_list("case_id", "child_id", "kind")
    ):
        services[case_id][kind] += 1
        if child_id is None:
            case_wide_service.add(case_id)
        else:
            served_children.add(child_id)
    referrals: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    referred_cases: set[int] = set()
    for case_id, kind, status in (
        Referral.objects.filter(case__in=in_set).order_by().values_list("case_id", "kind", "status")
    ):
        referrals[case_id][(kind, status)] += 1
        if status != ReferralStatus.DECLINED:
            referred_cases.add(case_id)

    records = []
    for case in cases:
        pk = case["pk"]
        hours = None
        if case["first_response_at"] is not None:
            hours = (case["first_response_at"] - case["received_at"]).total_seconds() / 3600
        common = {
            "day": timezone.localtime(
                case["received_at"], zone_of(case["local_government_id"])
            ).date(),
            "types": frozenset(types.get(pk, ())),
            "referred": pk in referred_cases,
            "outcome": case["outcome"],
            "hours_to_first_response": hours,
        }
        victims = []
        for child in children.get(pk) or [None]:
            if child is None:
                region, sex, age, served = None, UNKNOWN, None, False
            else:
                region = child["address_region_id"]
                sex, age = child["sex"] or UNKNOWN, child["age"]
                served = child["pk"] in served_children
            kecamatan, kelurahan = area_codes(region or case["incident_region_id"])
            victims.append(
                VictimRow(
                    sex=sex,
                    age_group=age_group(age),
                    kecamatan=kecamatan,
                    kelurahan=kelurahan,
                    served=served or pk in case_wide_service,
                    **common,
                )
            )
        records.append(
            CaseRecord(
                pk=pk,
                local_government_id=case["local_government_id"],
                day=common["day"],
                closed=case["status"] == CaseStatus.CLOSED,
                outcome=case["outcome"],
                hours_to_first_response=hours,
                within_target=hours is not None
                and case["first_response_at"] <= case["response_due_at"],
                victims=victims,
                services=services.get(pk, Counter()),
                referrals=referrals.get(pk, Counter()),
            )
        )
    return records


def tally(records: Iterable[CaseRecord]) -> CaseTallies:
    """The case-level counts of case records. Pure: no database."""
    tallies = CaseTallies()
    services: Counter[str] = Counter()
    referrals: Counter[tuple[str, str]] = Counter()
    outcomes: Counter[str] = Counter()
    hours_list: list[float] = []
    for record in records:
        tallies.total_cases += 1
        services.update(record.services)
        referrals.update(record.referrals)
        if record.hours_to_first_response is None:
            tallies.awaiting_response += 1
        else:
            hours_list.append(record.hours_to_first_response)
            tallies.within_target += record.within_target
        if record.closed:
            outcomes[record.outcome] += 1
    tallies.services_by_kind = dict(services)
    tallies.referrals = dict(referrals)
    tallies.outcomes = dict(outcomes)
    tallies.responded = len(hours_list)
    tallies.median_hours = median(hours_list) if hours_list else None
    return tallies


@dataclass
class Extract:
    rows: list[VictimRow]
    cases: CaseTallies


def extract(local_government, start: date, end: date) -> Extract:
    """Victim rows and case tallies of the cases received in [start, end], straight from the
    cases (five queries). The pages read the maintained facts instead (`counts`); this is the
    direct count they are checked against."""
    low, high = bounds(start, end, zone_of(local_government))
    records = derive(
        Case.objects.filter(
            local_government=local_government, received_at__gte=low, received_at__lt=high
        )
    )
    return Extract(rows=[row for r in records for row in r.victims], cases=tally(records))


def victim_rows(local_government, start: date, end: date) -> list[VictimRow]:
    """One de-identified row per child victim of the cases received in [start, end]."""
    return extract(local_government, start, end).rows


@dataclass
class Counts:
    """The count tables (the shape `tabulate` gives) and the case tallies of a period; `feeds`:
    per cluster V indicator (21–24), (sex, age group) → [victims of its types, of whom served]."""

    tables: dict[str, dict]
    cases: CaseTallies
    feeds: dict[int, dict[tuple[str, str], list[int]]] = field(default_factory=dict)
    hours: list[float] = field(default_factory=list, repr=False)  # to first response, each case

    @property
    def total_victims(self) -> int:
        return sum(self.tables["by_sex"].values())


def _empty_tables() -> dict[str, dict]:
    return {
        "by_month": Counter(),
        "by_type": Counter(),
        "by_sex": dict.fromkeys(SEXES, 0),
        "by_age_group": dict.fromkeys(AGE_GROUPS, 0),
        "by_sex_age": {sex: dict.fromkeys(AGE_GROUPS, 0) for sex in SEXES},
        "by_kecamatan": Counter(),
        "by_kelurahan": Counter(),
        "served": {"served": 0, "not_served": 0},
        "referred": {"referred": 0, "not_referred": 0},
    }


def _sorted_tables(tables: dict[str, dict]) -> dict[str, dict]:
    for name in ("by_month", "by_type", "by_kecamatan", "by_kelurahan"):
        tables[name] = dict(sorted((k, n) for k, n in tables[name].items() if n))
    return tables


def facts_in(model, local_government, start: date, end: date):
    """The fact rows (`VictimFact`, `CaseFact`, `CaseItemFact`) of the cases received in
    [start, end]: a range of the (local government, day) index."""
    return model.objects.filter(
        local_government=local_government, received_on__gte=start, received_on__lte=end
    ).order_by()


def victims_with_types(queryset, types: Iterable[str]):
    """Victim facts whose case has at least one of these types."""
    return queryset.alias(_wanted=F("type_bits").bitand(type_bits(types))).filter(_wanted__gt=0)


def counts(local_government, start: date, end: date) -> Counts:
    """The tables and tallies of the cases received in [start, end]: from the cache while
    nothing in the local government has changed (`core.public_cache`: every protection action
    and every rewrite of the facts moves its version on), else `count`."""
    code = getattr(local_government, "pk", local_government)
    return public_cache.get_or_build(
        f"protection-counts:{start.isoformat()}:{end.isoformat()}",
        code,
        lambda: count(local_government, start, end),
    )


def count(local_government, start: date, end: date) -> Counts:
    """The tables and tallies of the cases received in [start, end], counted in SQL from the
    maintained facts (`facts.py`): the months of `count_months` added up. Equal to
    `tabulate(extract(...))` by construction (tested)."""
    return merge(count_months(local_government, start, end).values())


def _month(day) -> str:
    return f"{day:%Y-%m}"


def count_months(local_government, start: date, end: date) -> dict[str, Counts]:
    """The tables and tallies of each month ("YYYY-MM") of the cases received in [start, end]
    that has any: six queries, each a range of one index, however many cases the local
    government has and however many months the range covers."""
    months: dict[str, Counts] = defaultdict(
        lambda: Counts(
            tables=_empty_tables(),
            cases=CaseTallies(outcomes=Counter()),
            feeds={n: {} for n in FED_MASKS},
        )
    )
    victims = facts_in(VictimFact, local_government, start, end)
    month = TruncMonth("received_on")
    fed = {
        **{f"d{n}": Count("pk", filter=Q(**{f"_f{n}__gt": 0})) for n in FED_MASKS},
        **{f"s{n}": Count("pk", filter=Q(served=True, **{f"_f{n}__gt": 0})) for n in FED_MASKS},
    }
    for row in (
        victims.alias(**{f"_f{n}": F("type_bits").bitand(mask) for n, mask in FED_MASKS.items()})
        .annotate(month=month)
        .values("month", "sex", "age_group")
        .annotate(
            n=Count("pk"),
            served_n=Count("pk", filter=Q(served=True)),
            referred_n=Count("pk", filter=Q(referred=True)),
            **fed,
        )
    ):
        key = _month(row["month"])
        data, tables = months[key], months[key].tables
        sex, age, n = row["sex"], row["age_group"], row["n"]
        served, referred = row["served_n"], row["referred_n"]
        for number in FED_MASKS:
            data.feeds[number][(sex, age)] = [row[f"d{number}"], row[f"s{number}"]]
        tables["by_month"][key] += n
        tables["by_sex"][sex] += n
        tables["by_age_group"][age] += n
        tables["by_sex_age"][sex][age] += n
        tables["served"]["served"] += served
        tables["served"]["not_served"] += n - served
        tables["referred"]["referred"] += referred
        tables["referred"]["not_referred"] += n - referred
    for row in (
        victims.alias(**{f"_t{i}": F("type_bits").bitand(1 << i) for i in range(len(TYPE_BITS))})
        .annotate(month=month)
        .values("month")
        .annotate(
            **{
                code: Count("pk", filter=Q(**{f"_t{i}__gt": 0})) for i, code in enumerate(TYPE_BITS)
            },
            _none=Count("pk", filter=Q(type_bits=0)),
        )
    ):
        key = _month(row.pop("month"))
        none = row.pop("_none")
        months[key].tables["by_type"] = Counter({**row, UNKNOWN: none})
    for m, kecamatan, kelurahan, n in (
        victims.annotate(month=month)
        .values("month", "kecamatan", "kelurahan")
        .annotate(n=Count("pk"))
        .values_list("month", "kecamatan", "kelurahan", "n")
    ):
        tables = months[_month(m)].tables
        tables["by_kecamatan"][kecamatan] += n
        tables["by_kelurahan"][kelurahan] += n

    cases = facts_in(CaseFact, local_government, start, end)
    for m, closed, outcome, n, responded, within in (
        cases.annotate(month=month)
        .values("month", "closed", "outcome")
        .annotate(
            n=Count("pk"),
            responded=Count("pk", filter=Q(hours_to_first_response__isnull=False)),
            within=Count("pk", filter=Q(within_target=True)),
        )
        .values_list("month", "closed", "outcome", "n", "responded", "within")
    ):
        tallies = months[_month(m)].cases
        tallies.total_cases += n
        tallies.responded += responded
        tallies.within_target += within
        tallies.awaiting_response += n - responded
        if closed:
            tallies.outcomes[outcome] += n
    for day, hours in cases.filter(hours_to_first_response__isnull=False).values_list(
        "received_on", "hours_to_first_response"
    ):
        months[_month(day)].hours.append(hours)
    for m, item, key, n in (
        facts_in(CaseItemFact, local_government, start, end)
        .annotate(month=month)
        .values("month", "item", "key")
        .annotate(n=Sum("n"))
        .values_list("month", "item", "key", "n")
    ):
        tallies = months[_month(m)].cases
        if item == CaseItemFact.SERVICE:
            tallies.services_by_kind[key] = n
        else:
            kind, status = key.split(":")
            tallies.referrals[(kind, status)] = n
    for data in months.values():
        data.cases.outcomes = dict(data.cases.outcomes)
        data.cases.median_hours = median(data.hours) if data.hours else None
        _sorted_tables(data.tables)
    return dict(sorted(months.items()))


def merge(parts: Iterable[Counts]) -> Counts:
    """The counts of several disjoint periods (months) added up."""
    tables = _empty_tables()
    tallies = CaseTallies()
    outcomes, services, referrals = Counter(), Counter(), Counter()
    feeds: dict[int, dict[tuple[str, str], list[int]]] = {n: {} for n in FED_MASKS}
    hours: list[float] = []
    for part in parts:
        t = part.tables
        for name in ("by_month", "by_type", "by_kecamatan", "by_kelurahan"):
            tables[name].update(t[name])
        for name in ("by_sex", "by_age_group", "served", "referred"):
            for key, n in t[name].items():
                tables[name][key] += n
        for sex, ages in t["by_sex_age"].items():
            for age, n in ages.items():
                tables["by_sex_age"][sex][age] += n
        c = part.cases
        tallies.total_cases += c.total_cases
        tallies.responded += c.responded
        tallies.within_target += c.within_target
        tallies.awaiting_response += c.awaiting_response
        outcomes.update(c.outcomes)
        services.update(c.services_by_kind)
        referrals.update(c.referrals)
        for number, cells in part.feeds.items():
            for cell, (victims, served) in cells.items():
                total = feeds[number].setdefault(cell, [0, 0])
                total[0] += victims
                total[1] += served
        hours += part.hours
    tallies.outcomes = dict(outcomes)
    tallies.services_by_kind = dict(services)
    tallies.referrals = dict(referrals)
    tallies.median_hours = median(hours) if hours else None
    return Counts(tables=_sorted_tables(tables), cases=tallies, feeds=feeds, hours=hours)


def tabulate(rows: Iterable[VictimRow]) -> dict[str, dict]:
    """The count tables of victim rows. Pure: no database.

    Sex, age group, sex × age, served and referred carry every key (zeros included); month,
    type, kecamatan and kelurahan only the keys that occur. A victim counts once under each of
    its case's types ("" when none is recorded yet), so the type table may sum to more than the
    number of victims.
    """
    tables = _empty_tables()
    for row in rows:
        tables["by_month"][row.month] += 1
        for kind in row.types or (UNKNOWN,):
            tables["by_type"][kind] += 1
        tables["by_sex"][row.sex] += 1
        tables["by_age_group"][row.age_group] += 1
        tables["by_sex_age"][row.sex][row.age_group] += 1
        tables["by_kecamatan"][row.kecamatan] += 1
        tables["by_kelurahan"][row.kelurahan] += 1
        tables["served"]["served" if row.served else "not_served"] += 1
        tables["referred"]["referred" if row.referred else "not_referred"] += 1
    return _sorted_tables(tables)


# --- the report the page and the workbook show ------------------------------------------------


@dataclass
class Table:
    """A titled table: the first column labels the row, the rest are counts (or "x", hidden)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    labels: int = 1  # how many leading columns are labels, not counts
    chart: str = ""  # the id of its chart's data in `Report.charts`, if any

    def display_rows(self) -> list[list[str]]:
        """Every cell as Indonesians write it: 1.234, 12,5, "x", "–"."""
        n = self.labels
        return [[*row[:n], *(display(v) for v in row[n:])] for row in self.rows]


def display(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, int):
        return number_format(value, 0, use_l10n=True, force_grouping=True)
    if isinstance(value, float):
        return number_format(round(value, 1), 1, use_l10n=True, force_grouping=True)
    return str(value)


def long_date(day: date) -> str:
    """22 November 2026, in the active language."""
    return dateformat.format(day, "j F Y")


def month_label(month: str) -> str:
    year, number = month.split("-")
    return dateformat.format(date(int(year), int(number), 1), "F Y")


@dataclass
class Report:
    local_government: str
    code: str
    start: date
    end: date
    period_label: str
    controlled: bool  # the published counts of a period (`disclosure`), not the exact ones
    period_token: str  # "" for an exact range
    total_cases: int | str
    total_victims: int | str
    served: int | str
    cases: CaseTallies
    tables: list[Table]
    charts: dict[str, dict]

    @property
    def note(self) -> str:
        return str(NOTE_PUBLISHED if self.controlled else NOTE_EXACT)

    @property
    def served_share(self) -> float | None:
        if isinstance(self.served, int) and isinstance(self.total_victims, int):
            return self.served * 100 / self.total_victims if self.total_victims else None
        return None

    @property
    def shown(self) -> dict[str, str]:
        return {
            "total_cases": display(self.total_cases),
            "total_victims": display(self.total_victims),
            "served": display(self.served),
        }

    @property
    def empty(self) -> bool:
        return self.total_cases == 0


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def _chart(label: str, labels: list[str], data: list) -> dict:
    numbers = [n if isinstance(n, int) else None for n in data]  # a hidden count: no bar
    return {"labels": labels, "datasets": [{"label": label, "data": numbers}]}


def exact_report(local_government, start: date, end: date) -> Report:
    """The UPTD PPA's own view: the exact counts of the cases received in [start, end]."""
    return _report(
        local_government,
        counts(local_government, start, end),
        start,
        end,
        label=f"{long_date(start)} – {long_date(end)}",
        token="",
    )


def published_report(local_government, period, today: date) -> Report:
    """What anyone outside the UPTD PPA sees: the published counts of an ended period."""
    from . import disclosure

    def build() -> Report:
        data = disclosure.published(local_government, period, today)
        return _report(
            local_government, data, period.start, period.end, label=period.label, token=period.token
        )

    # The same for every reader outside the unit: kept until a protection action of the
    # kab/kota moves its version on (`core.public_cache`).
    return public_cache.get_or_build(
        f"protection-published-report:{period.token}", local_government.pk, build
    )


def _report(local_government, data, start: date, end: date, *, label: str, token: str) -> Report:
    """Everything the statistics page and workbook show, from exact `Counts` or from
    `disclosure.Published` (the same shapes; hidden counts are "x")."""
    from . import disclosure

    t = data.tables
    unknown = _("Tidak dicatat")
    areas = disclosure.areas_of(local_government, t["by_kecamatan"], t["by_kelurahan"])
    names = dict(
        Region.objects.filter(
            Q(code__in=areas.kelurahan) | Q(code__in=areas.kecamatan)
        ).values_list("code", "name")
    )

    def place(code: str) -> str:
        return f"{names.get(code, code)} ({code})" if code else unknown

    kecamatan = {code: t["by_kecamatan"].get(code, 0) for code in (*areas.kecamatan, "")}
    kelurahan = {code: t["by_kelurahan"].get(code, 0) for code in (*areas.kelurahan, "")}
    if not kecamatan[""]:
        kecamatan.pop("")
    if not kelurahan[""]:
        kelurahan.pop("")
    by_month = {m: t["by_month"].get(m, 0) for m in months_between(start, end)}
    type_labels = {**_labels(ProtectionType), UNKNOWN: _("Jenis belum dicatat")}
    by_type = {k: n for k, n in t["by_type"].items() if k or n}
    sex_labels = {**_labels(Sex), UNKNOWN: unknown}
    age_labels = {
        "0-5": _("0–5 tahun"),
        "6-12": _("6–12 tahun"),
        "13-17": _("13–17 tahun"),
        UNKNOWN: _("Umur tidak dicatat"),
    }
    c = data.cases
    status_labels = _labels(ReferralStatus)
    tables = [
        Table(
            "month",
            _("Anak korban per bulan"),
            [_("Bulan"), _("Jumlah anak")],
            [[month_label(m), n] for m, n in by_month.items()],
            chart="chart-month",
        ),
        Table(
            "type",
            _("Anak korban per jenis kasus"),
            [_("Jenis"), _("Jumlah anak")],
            [[type_labels.get(k, k), n] for k, n in by_type.items()],
            chart="chart-type",
        ),
        Table(
            "sex_age",
            _("Per jenis kelamin dan kelompok umur"),
            [_("Jenis kelamin"), *(age_labels[a] for a in AGE_GROUPS), _("Jumlah")],
            [
                [sex_labels[s], *(t["by_sex_age"][s][a] for a in AGE_GROUPS), t["by_sex"][s]]
                for s in SEXES
            ]
            + [[_("Jumlah"), *(t["by_age_group"][a] for a in AGE_GROUPS), data.total_victims]],
        ),
        Table(
            "kecamatan",
            _("Per kecamatan"),
            [_("Kecamatan"), _("Jumlah anak")],
            [[place(code), n] for code, n in kecamatan.items()],
        ),
        Table(
            "kelurahan",
            _("Per kelurahan/desa"),
            [_("Kelurahan/desa"), _("Kecamatan"), _("Jumlah anak")],
            [
                [place(code), place(area_codes(code)[0]) if code else "", n]
                for code, n in kelurahan.items()
            ],
            labels=2,
        ),
        Table(
            "served",
            _("Anak yang terlayani dan dirujuk"),
            [_("Keadaan"), _("Jumlah anak")],
            [
                [_("Terlayani (ada layanan)"), t["served"]["served"]],
                [_("Belum terlayani"), t["served"]["not_served"]],
                [_("Kasusnya dirujuk/dialihkan"), t["referred"]["referred"]],
                [_("Kasusnya tidak dirujuk"), t["referred"]["not_referred"]],
            ],
        ),
        Table(
            "service",
            _("Layanan yang diberikan"),
            [_("Layanan"), _("Jumlah layanan")],
            [[label, c.services_by_kind.get(k, 0)] for k, label in _labels(ServiceKind).items()],
        ),
        Table(
            "referral",
            _("Rujukan dan pengalihan"),
            [_("Jenis"), *status_labels.values(), _("Jumlah")],
            [
                [
                    label,
                    *(c.referrals.get((kind, s), 0) for s in status_labels),
                    c.referral_total(kind),
                ]
                for kind, label in _labels(ReferralKind).items()
            ],
        ),
        Table(
            "outcome",
            _("Hasil penanganan kasus"),
            [_("Hasil"), _("Jumlah kasus")],
            [[label, c.outcomes.get(k, 0)] for k, label in _labels(Outcome).items()]
            + [[_("Masih ditangani (belum ditutup)"), c.open_cases]],
        ),
        Table(
            "response",
            _("Waktu sampai respons pertama"),
            [_("Ukuran"), _("Nilai")],
            [
                [_("Kasus yang sudah direspons"), c.responded],
                [_("Median waktu respons (jam)"), c.median_hours],
                [_("Direspons dalam batas waktu"), c.within_target],
                [_("Direspons melewati batas waktu"), c.late],
                [_("Persentase dalam batas waktu (%)"), c.share_within_target],
                [_("Menunggu respons"), c.awaiting_response],
            ],
        ),
    ]
    charts = {
        "chart-month": _chart(
            _("Anak korban"), [month_label(m) for m in by_month], list(by_month.values())
        ),
        "chart-type": _chart(
            _("Anak korban"),
            [type_labels.get(k, k) for k in by_type],
            list(by_type.values()),
        ),
    }
    return Report(
        local_government=local_government.region.name,
        code=local_government.pk,
        start=start,
        end=end,
        period_label=label,
        controlled=token != "",
        period_token=token,
        total_cases=c.total_cases,
        total_victims=data.total_victims,
        served=t["served"]["served"],
        cases=c,
        tables=tables,
        charts=charts,
    )


# --- the workbook -------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAMES = {  # at most 31 characters; no []:*?/ or backslash
    "month": gettext_lazy("Per bulan"),
    "type": gettext_lazy("Per jenis kasus"),
    "sex_age": gettext_lazy("Jenis kelamin dan umur"),
    "kecamatan": gettext_lazy("Per kecamatan"),
    "kelurahan": gettext_lazy("Per kelurahan (disamarkan)"),
    "served": gettext_lazy("Terlayani dan dirujuk"),
    "service": gettext_lazy("Layanan"),
    "referral": gettext_lazy("Rujukan"),
    "outcome": gettext_lazy("Hasil penanganan"),
    "response": gettext_lazy("Respons pertama"),
}


def _guard(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, float):
        return round(value, 1)
    return value


def build_xlsx(data: Report) -> bytes:
    """The report as a workbook: a summary sheet, then one sheet per table, each headed by the
    local government, the range and the de-identification note."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    workbook = Workbook()
    workbook.properties.title = str(_("Statistik perlindungan anak"))
    workbook.properties.creator = "SIKLA"
    title, period = _("Statistik perlindungan anak"), _("Periode penerimaan kasus")
    header = [
        f"{title} — {data.local_government} ({data.code})",
        f"{period}: {data.period_label}",
        data.note,
    ]

    def head(ws) -> int:
        for row, text in enumerate(header, start=1):
            ws.cell(row=row, column=1, value=_guard(text)).font = bold
        return len(header) + 2

    ws = workbook.active
    ws.title = str(_("Ringkasan"))
    row = head(ws)
    for label, value in [
        (_("Jumlah kasus"), data.total_cases),
        (_("Jumlah anak korban"), data.total_victims),
        (_("Anak terlayani"), data.served),
    ]:
        ws.cell(row=row, column=1, value=label)
        ws.cell(row=row, column=2, value=value)
        row += 1
    ws.column_dimensions["A"].width = 40
    for table in data.tables:
        ws = workbook.create_sheet(str(SHEET_NAMES[table.key])[:31])
        row = head(ws)
        ws.cell(row=row - 1, column=1, value=_guard(table.title)).font = bold
        for column, title in enumerate(table.columns, start=1):
            ws.cell(row=row, column=column, value=_guard(title)).font = bold
        for values in table.rows:
            row += 1
            for column, value in enumerate(values, start=1):
                ws.cell(row=row, column=column, value=_guard(value))
        ws.column_dimensions["A"].width = 40
        for column in range(2, len(table.columns) + 1):
            ws.column_dimensions[get_column_letter(column)].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(data: Report) -> str:
    if data.controlled:
        return f"statistik-perlindungan-{data.code}-{data.period_token}.xlsx"
    return f"statistik-perlindungan-{data.code}-{data.start:%Y%m%d}-{data.end:%Y%m%d}-internal.xlsx"
