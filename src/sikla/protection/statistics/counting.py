"""What is counted and how: the cases of a range as de-identified rows, the facts read for any
range, their counts per table, month by month."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sikla.core import public_cache
from sikla.core.localtime import zone_of

from ..models import (
    TYPE_BITS,
    TYPE_INDICATOR,
    Case,
    CaseFact,
    CaseItemFact,
    CaseStatus,
    CaseType,
    Child,
    Referral,
    ReferralStatus,
    Service,
    Sex,
    VictimFact,
    type_bits,
)

__all__ = [
    "UNKNOWN",
    "FED_MASKS",
    "SEXES",
    "AGE_BANDS",
    "AGE_GROUPS",
    "NOTE_EXACT",
    "NOTE_PUBLISHED",
    "age_group",
    "area_codes",
    "default_range",
    "bounds",
    "months_between",
    "VictimRow",
    "CaseTallies",
    "CaseRecord",
    "derive",
    "tally",
    "Extract",
    "extract",
    "victim_rows",
    "Counts",
    "facts_in",
    "victims_with_types",
    "counts",
    "count",
    "count_months",
    "merge",
    "tabulate",
]

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


@functools.lru_cache(maxsize=4096)
def _month(value) -> str:
    """ "YYYY-MM" of a month number (202603, `_month_number`) or of a day, kept: a year's tables name
    each month hundreds of times, its response times each day dozens of times."""
    if isinstance(value, int):
        return f"{value // 100:04d}-{value % 100:02d}"
    return f"{value:%Y-%m}"


def _month_number():
    """The month of a fact's day as a number, 202603: an integer to read, where a truncated
    date is a timestamp to parse and convert row by row (a year of a large kab/kota's
    kelurahan table: 6,600 rows)."""
    return ExtractYear("received_on") * 100 + ExtractMonth("received_on")


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
    month = _month_number()
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
