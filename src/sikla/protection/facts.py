"""The de-identified facts every protection statistic reads (`VictimFact`, `CaseFact`,
`CaseItemFact`), kept equal to the cases they come from.

Each fact row is what `statistics.derive` makes of one case: a row per child victim, a row per
case, a row per kind of service and per (kind, status) of referral. The protection actions call
`refresh` for the cases they change, in the same transaction, so a page never shows counts that
disagree with the cases; `rebuild` (the `sikla refresh-statistics` command, or the task of the same
name) rewrites a whole local government, or every one, after an import or a change of definition.

The statistics page, its workbook and API, the public portal, the children's profile and the
cluster V values then count these rows in SQL over the (local government, day) index: no page
scans cases, children, services or referrals.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Exists, OuterRef

from sikla.core import public_cache

from .models import Case, CaseFact, CaseItemFact, VictimFact, type_bits
from .statistics import CaseRecord, derive

BATCH = 2000
# The cases whose refresh waits for the end of a `deferred()` block; None outside one.
_waiting: ContextVar[set[int] | None] = ContextVar("facts_waiting", default=None)


def _rows(records: list[CaseRecord]):
    victims, cases, items = [], [], []
    for r in records:
        common = {
            "case_id": r.pk,
            "local_government_id": r.local_government_id,
            "received_on": r.day,
        }
        cases.append(
            CaseFact(
                **common,
                outcome=r.outcome,
                closed=r.closed,
                hours_to_first_response=r.hours_to_first_response,
                within_target=r.within_target,
            )
        )
        for v in r.victims:
            victims.append(
                VictimFact(
                    **common,
                    sex=v.sex,
                    age_group=v.age_group,
                    kecamatan=v.kecamatan,
                    kelurahan=v.kelurahan,
                    type_bits=type_bits(v.types),
                    served=v.served,
                    referred=v.referred,
                )
            )
        items += [
            CaseItemFact(**common, item=CaseItemFact.SERVICE, key=kind, n=n)
            for kind, n in r.services.items()
        ]
        items += [
            CaseItemFact(**common, item=CaseItemFact.REFERRAL, key=f"{kind}:{status}", n=n)
            for (kind, status), n in r.referrals.items()
        ]
    return victims, cases, items


def _write(records: list[CaseRecord]) -> None:
    victims, cases, items = _rows(records)
    VictimFact.objects.bulk_create(victims, batch_size=BATCH)
    CaseFact.objects.bulk_create(cases, batch_size=BATCH)
    CaseItemFact.objects.bulk_create(items, batch_size=BATCH)


def _delete(case_ids) -> None:
    for model in (VictimFact, CaseFact, CaseItemFact):
        model.objects.filter(case_id__in=case_ids).delete()


def _changed(local_governments) -> None:
    """Counts cached from the old facts are never read again (`core.public_cache`)."""
    for code in set(local_governments):
        public_cache.changed(code)


def refresh(*cases: Case | int) -> None:
    """Rewrite the facts of these cases from their current state (eight queries); inside
    `deferred()`, once at its end."""
    ids = [c if isinstance(c, int) else c.pk for c in cases]
    waiting = _waiting.get()
    if waiting is not None:
        waiting.update(ids)
        return
    _rewrite(ids)


@contextmanager
def deferred():
    """A bulk load (the demo's cases, each changed a dozen times on its way to its state): the
    facts of every case it changes are rewritten once, when it ends, instead of after each
    change. Nothing inside may read the statistics of those cases."""
    if _waiting.get() is not None:  # already inside one: its end refreshes
        yield
        return
    token = _waiting.set(set())
    try:
        yield
        ids = sorted(_waiting.get())
    finally:
        _waiting.reset(token)
    for start in range(0, len(ids), BATCH):
        _rewrite(ids[start : start + BATCH])


@transaction.atomic
def _rewrite(ids: list[int]) -> None:
    _delete(ids)
    records = derive(Case.objects.filter(pk__in=ids))
    _write(records)
    _changed(r.local_government_id for r in records)


def rebuild(local_government_id: str | None = None) -> int:
    """Rewrite the facts of one local government's cases, or of every case; returns how many
    cases. In batches of BATCH cases, each its own transaction."""
    scope = {"local_government_id": local_government_id} if local_government_id else {}
    with transaction.atomic():
        for model in (VictimFact, CaseFact, CaseItemFact):
            model.objects.filter(**scope).delete()
    ids = list(Case.objects.filter(**scope).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            _delete(batch)  # a case refreshed meanwhile by an action
            _write(derive(Case.objects.filter(pk__in=batch)))
    if local_government_id:
        _changed([local_government_id])
    else:
        public_cache.changed("")  # every local government: the global version
    return len(ids)


def fill_missing() -> int:
    """The facts of every case that has none yet; returns how many cases."""
    # NOT EXISTS, an anti-join: NOT IN over a million ids would be rescanned for every case.
    missing = list(
        Case.objects.filter(~Exists(CaseFact.objects.filter(case_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(missing), BATCH):
        _rewrite(missing[start : start + BATCH])
    return len(missing)
