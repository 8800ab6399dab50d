from uuid import UUID

from ninja import Query, Router, Schema

from sikla.core.api_schemas import page_of, paged, responses
from sikla.core.validation import PageIn

from .access import get_local_government_for_user
from .models import AgencyKind
from .queries import active_task_force, agencies_of, local_government_list, task_force_members

router = Router(tags=["pemerintah daerah"])


class LocalGovernmentOut(Schema):
    code: str
    name: str
    province: str
    head_title: str
    head_name: str
    agency_count: int


class AgencyOut(Schema):
    uid: UUID
    kind: AgencyKind
    name: str
    abbreviation: str


class MemberOut(Schema):
    agency: str
    role: str
    cluster: int | None
    person_name: str
    position: str


class TaskForceOut(Schema):
    decree_number: str
    decree_date: str
    chair_name: str
    chair_position: str
    secretariat: str
    members: list[MemberOut]


class LocalGovernmentDetail(LocalGovernmentOut):
    address: str
    agencies: list[AgencyOut]
    task_force: TaskForceOut | None


def _summary(lg) -> dict:
    return {
        "code": lg.code,
        "name": lg.region.name,
        "province": lg.region.parent.name,
        "head_title": lg.head_title,
        "head_name": lg.head_name,
        "agency_count": getattr(lg, "agency_count", 0),
    }


@router.get(
    "", response=responses(page_of(LocalGovernmentOut)), summary="Pemda dalam cakupan pengguna"
)
def local_governments(request, page: Query[PageIn], q: str = ""):
    return paged(local_government_list(request.user, search=q[:60]), page, _summary)


@router.get("/{code}", response=responses(LocalGovernmentDetail), summary="Satu pemda")
def local_government(request, code: str):
    lg = get_local_government_for_user(request.user, code)
    task_force = active_task_force(lg)
    return {
        **_summary(lg),
        "agency_count": lg.agencies.filter(is_active=True).count(),
        "address": lg.address,
        "agencies": [
            {"uid": a.uid, "kind": a.kind, "name": a.name, "abbreviation": a.abbreviation}
            for a in agencies_of(lg)
        ],
        "task_force": task_force
        and {
            "decree_number": task_force.decree_number,
            "decree_date": task_force.decree_date.isoformat(),
            "chair_name": task_force.chair_name,
            "chair_position": task_force.chair_position,
            "secretariat": task_force.secretariat_agency.abbreviation,
            "members": [
                {
                    "agency": m.agency.abbreviation,
                    "role": m.role,
                    "cluster": m.cluster,
                    "person_name": m.person_name,
                    "position": m.position,
                }
                for m in task_force_members(task_force)
            ],
        },
    }
