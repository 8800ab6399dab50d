"""The maintained statistics facts against a direct count of the cases (hypothesis): after every
kind of change a case worker makes, and after a rebuild, `counts` (what every page reads) equals
`tabulate(extract(...))` (straight from the cases)."""

import io
from dataclasses import asdict
from datetime import date, timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikla.protection import actions, facts
from sikla.protection.models import (
    CaseFact,
    CaseStatus,
    Outcome,
    ProtectionType,
    ReferralKind,
    ReferralStatus,
    ServiceKind,
    VictimFact,
)
from sikla.protection.statistics import counts, extract, tabulate
from sikla.regions.models import Region
from tests.personas import world_fixture  # noqa: F401

from .conftest import KELURAHAN, unit_today


def assert_facts_match(lg, start, end):
    direct = extract(lg, start, end)
    maintained = counts(lg, start, end)
    assert maintained.tables == tabulate(direct.rows)
    assert asdict(maintained.cases) == asdict(direct.cases)
    assert maintained.total_victims == len(direct.rows)


STEP = st.one_of(
    st.tuples(st.just("types"), st.sets(st.sampled_from(ProtectionType.values), max_size=3)),
    st.tuples(
        st.just("child"),
        st.sampled_from(["L", "P", ""]),
        st.one_of(st.none(), st.integers(0, 17)),
        st.booleans(),  # lives in the kelurahan of the incident, or none recorded
    ),
    st.tuples(st.just("edit_child"), st.sampled_from(["L", "P"]), st.integers(0, 17)),
    st.tuples(st.just("service"), st.sampled_from(ServiceKind.values), st.booleans()),
    st.tuples(st.just("refer"), st.sampled_from(ReferralStatus.values)),
    st.tuples(st.just("advance"), st.sampled_from(Outcome.values)),
    st.tuples(st.just("region"), st.booleans()),
)


def apply(step, case, worker):
    """One change through the actions a case worker uses; returns the case as it now is."""
    kind, *args = step
    case.refresh_from_db()
    if case.is_closed:  # reopened, with its reason
        return actions.transition_case(
            case, actor=worker, to_status=CaseStatus.ASSESSED, reason="Ada informasi baru."
        )
    if kind == "types":
        return actions.update_case(case, actor=worker, version=case.version, types=args[0])
    if kind == "region":
        region = Region.objects.get(code=KELURAHAN) if args[0] else None
        return actions.update_case(case, actor=worker, version=case.version, incident_region=region)
    if kind == "child":
        sex, age, here = args
        actions.save_child(
            case,
            actor=worker,
            name="Anak Uji Fakta",
            sex=sex,
            age=age,
            address_region=Region.objects.get(code=KELURAHAN) if here else None,
        )
    elif kind == "edit_child":
        child = case.children.order_by("pk").first()
        if child is not None:
            actions.save_child(
                case, actor=worker, child=child, name=child.name, sex=args[0], age=args[1]
            )
    elif kind == "service":
        child = case.children.order_by("pk").first() if args[1] else None
        actions.record_service(
            case,
            actor=worker,
            kind=args[0],
            date=timezone.localdate(),
            provider="UPTD",
            child=child,
        )
    elif kind == "refer":
        if not actions.has_consent(case):
            actions.record_consent(
                case,
                actor=worker,
                obtained=True,
                guardian_relation="parent",
                given_on=timezone.localdate(),
            )
        referral = actions.refer_case(
            case,
            actor=worker,
            kind=ReferralKind.REFERRAL,
            institution="Dinas Sosial",
            reason="Perlu rehabilitasi sosial.",
            sent_on=timezone.localdate(),
        )
        if args[0] != ReferralStatus.SENT:
            actions.update_referral(
                referral, actor=worker, status=args[0], feedback="Umpan balik lembaga."
            )
    elif kind == "advance":
        following = {
            CaseStatus.RECEIVED: CaseStatus.ASSESSED,
            CaseStatus.ASSESSED: CaseStatus.IN_SERVICE,
        }.get(case.status, CaseStatus.CLOSED)
        return actions.transition_case(
            case,
            actor=worker,
            to_status=following,
            outcome=args[0] if following == CaseStatus.CLOSED else "",
        )
    case.refresh_from_db()
    return case


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=8), second=st.booleans())
def test_the_facts_equal_a_direct_count_after_every_change(world, complaint, steps, second):
    today = unit_today()
    start, end = today - timedelta(days=30), today
    with transaction.atomic():
        case = actions.take_complaint(complaint, actor=world.case_worker)
        assert_facts_match(world.kupang, start, end)
        if second:  # a second case in the same period, left as it was taken
            other = actions.submit_public_complaint(
                local_government=world.kupang, description="Laporan kedua untuk uji.", child_age=4
            )
            actions.take_complaint(other, actor=world.case_worker)
        for step in steps:
            case = apply(step, case, world.case_worker)
            assert_facts_match(world.kupang, start, end)
        # A rebuild writes the same facts again.
        before = sorted(
            VictimFact.objects.values_list(
                "case_id", "sex", "age_group", "type_bits", "served", "referred"
            )
        )
        out = io.StringIO()
        call_command("refresh-statistics", world.kupang.pk, stdout=out)
        assert "53.71" in out.getvalue()
        after = sorted(
            VictimFact.objects.values_list(
                "case_id", "sex", "age_group", "type_bits", "served", "referred"
            )
        )
        assert after == before
        assert_facts_match(world.kupang, start, end)
        transaction.set_rollback(True)


def test_a_new_case_shows_in_the_counts_at_once(world, complaint):
    today = unit_today()
    before = counts(world.kupang, date(today.year, 1, 1), today).cases.total_cases
    actions.take_complaint(complaint, actor=world.case_worker)
    assert counts(world.kupang, date(today.year, 1, 1), today).cases.total_cases == before + 1
    assert CaseFact.objects.filter(local_government=world.kupang).count() == before + 1


def test_a_deferred_bulk_load_writes_each_cases_facts_once_at_its_end(world, complaint):
    """`facts.deferred()` (the demo's loader): no fact is written while it runs, and when it ends
    the counts equal a direct count of the cases in their final state."""
    today = unit_today()
    start = date(today.year, 1, 1)
    with facts.deferred():
        case = actions.take_complaint(complaint, actor=world.case_worker)
        for step in [("types", {ProtectionType.PHYSICAL}), ("child", "P", 9, True)]:
            case = apply(step, case, world.case_worker)
        assert not CaseFact.objects.filter(case=case).exists()  # nothing written meanwhile
    assert CaseFact.objects.filter(case=case).count() == 1
    assert VictimFact.objects.filter(case=case).count() == case.children.count() == 2
    assert_facts_match(world.kupang, start, today)


def test_refresh_is_idempotent_and_touches_only_its_case(world, case):
    facts.refresh(case)
    facts.refresh(case.pk)
    assert VictimFact.objects.filter(case=case).count() == 1
    assert CaseFact.objects.filter(case=case).count() == 1


def test_migrate_fills_facts_and_name_index_that_are_missing(world, case):
    """Cases recorded before the facts existed (or restored from an old backup) get them after
    `sikla migrate` (its post_migrate step); so does the name index."""
    from django.core.management import call_command

    from sikla.protection.models import ChildNameToken

    VictimFact.objects.filter(case=case).delete()
    CaseFact.objects.filter(case=case).delete()
    ChildNameToken.objects.filter(child__case=case).delete()
    call_command("migrate", verbosity=0)
    assert CaseFact.objects.filter(case=case).count() == 1
    assert VictimFact.objects.filter(case=case).count() == 1
    assert ChildNameToken.objects.filter(child__case=case).count() == 2  # "Melati Uji"
