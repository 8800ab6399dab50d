"""Converter values for every participation route, for tests/test_url_walk.py and the access
matrix here. Objects are Kupang's, made once per world; under a Jambi address they must 404.

    from tests.participation.routes import ROUTES as PARTICIPATION_ROUTES, PUBLIC as ...
"""

from datetime import date, timedelta

from django.utils import timezone

from sikla.participation import actions
from sikla.participation.models import ActivityKind, ContributionKind, PartnerComponent, PolicyKind
from sikla.regions.models import Region


def participation_objects(world) -> dict:
    if not hasattr(world, "participation"):
        actor, lg, today = world.secretariat, world.kupang, timezone.localdate()
        forum = actions.create_child_forum(
            actor=actor, local_government=lg, region=Region.objects.get(code=lg.code)
        )
        activity = actions.add_activity(
            forum, actor=actor, date=date(2026, 3, 1), title="Rapat", kind=ActivityKind.MEETING
        )
        record = actions.create_record(
            actor=actor, local_government=lg, title="Perda KLA", kind="regulation", date=today
        )
        item = actions.add_input(
            record, actor=actor, source_kind="child_forum", date=today, text="Masukan."
        )
        consultation = actions.create_public_consultation(
            actor=actor,
            local_government=lg,
            title="Rancangan",
            kind=PolicyKind.PLAN,
            summary="Ringkasan.",
            body="Isi.",
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=10),
        )
        comment = actions.submit_public_comment(consultation, text="Komentar uji.")
        partner = actions.create_partner(
            actor=actor, local_government=lg, component=PartnerComponent.MEDIA, name="Media Uji"
        )
        contribution = actions.add_contribution(
            partner, actor=actor, year=2026, kind=ContributionKind.INFORMATION, description="Uji"
        )
        world.participation = {
            "forum": forum,
            "activity": activity,
            "record": record,
            "input": item,
            "consultation": consultation,
            "comment": comment,
            "partner": partner,
            "contribution": contribution,
        }
    return world.participation


def _lg(world, code):
    return {"code": code}


def _obj(name):
    def kwargs(world, code):
        return {"code": code, "uid": participation_objects(world)[name].uid}

    return kwargs


def _item(name, item):
    def kwargs(world, code):
        objects = participation_objects(world)
        return {"code": code, "uid": objects[name].uid, "item": objects[item].uid}

    return kwargs


def _public(world, code):
    return {"uid": participation_objects(world)["consultation"].uid}


def _none(world, code):
    return {}


ROUTES = {
    "participation:public_list": _none,
    "participation:public_detail": _public,
    "participation:public_document": _public,
    "participation:overview": _lg,
    "participation:forums": _lg,
    "participation:forum_create": _lg,
    "participation:forum": _obj("forum"),
    "participation:forum_edit": _obj("forum"),
    "participation:activity_create": _obj("forum"),
    "participation:activity_edit": _item("forum", "activity"),
    "participation:activity_delete": _item("forum", "activity"),
    "participation:records": _lg,
    "participation:record_create": _lg,
    "participation:record": _obj("record"),
    "participation:record_edit": _obj("record"),
    "participation:input_create": _obj("record"),
    "participation:input_edit": _item("record", "input"),
    "participation:input_delete": _item("record", "input"),
    "participation:consultations": _lg,
    "participation:consultation_create": _lg,
    "participation:consultation_edit": _obj("consultation"),
    "participation:moderation": _obj("consultation"),
    "participation:moderate": _item("consultation", "comment"),
    "participation:respond": _item("consultation", "comment"),
    "participation:consultation_convert": _obj("consultation"),
    "participation:partners": _lg,
    "participation:partner_create": _lg,
    "participation:partner": _obj("partner"),
    "participation:partner_edit": _obj("partner"),
    "participation:partner_toggle": _obj("partner"),
    "participation:contribution_create": _obj("partner"),
    "participation:contribution_edit": _item("partner", "contribution"),
    "participation:contribution_delete": _item("partner", "contribution"),
    "api:consultations": _lg,
    "api:child_forums": _lg,
    "api:partners": _lg,
    "api:public_consultations": _none,
    "api:public_consultation_comment": _public,
}

# The public surface and what an anonymous GET answers.
PUBLIC = {
    "participation:public_list": 200,
    "participation:public_detail": 200,
    "participation:public_document": 404,  # this consultation has no PDF
    "api:public_consultations": 200,
    "api:public_consultation_comment": 405,  # POST only
}

# Read pages: everyone in scope (Perm.VIEW_PLANNING). The rest is the secretariat's.
READ = {
    "participation:overview",
    "participation:forums",
    "participation:forum",
    "participation:records",
    "participation:record",
    "participation:consultations",
    "participation:partners",
    "participation:partner",
    "api:consultations",
    "api:child_forums",
    "api:partners",
}
POST_ONLY = {
    "participation:activity_delete",
    "participation:input_delete",
    "participation:moderate",
    "participation:respond",
    "participation:consultation_convert",
    "participation:partner_toggle",
    "participation:contribution_delete",
}
# Kupang objects under a Jambi address: 404 for the Jambi secretariat too.
KUPANG_OBJECTS = {name for name, kwargs in ROUTES.items() if kwargs not in (_lg, _none, _public)}
# A valid body for the POST-only API route, so that only access decides.
API_BODIES = {"api:public_consultation_comment": {"text": "Komentar lewat API."}}
