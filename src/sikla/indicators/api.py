from ninja import Router, Schema

from sikla.core.api_schemas import DecimalText, responses

from .queries import catalog_version, clusters_of

router = Router(tags=["indikator"])


class QuestionOut(Schema):
    code: str
    text: str
    answer_type: str
    max_points: DecimalText
    rubric: dict
    evidence: list[str]


class IndicatorOut(Schema):
    number: int
    name: str
    name_en: str
    cluster: int
    definition: str
    measure_type: str
    direction: str
    data_level: str
    disaggregations: list[str]
    lead_agencies: list[str]
    max_points: DecimalText
    questions: list[QuestionOut]


class ClusterOut(Schema):
    number: int
    name: str
    name_en: str
    max_points: DecimalText


class CategoryOut(Schema):
    code: str
    name: str
    min_score: DecimalText
    inclusive: bool


class CatalogOut(Schema):
    version: str
    name: str
    instrument: str
    source: str
    categories: list[CategoryOut]
    clusters: list[ClusterOut]
    indicators: list[IndicatorOut]


@router.get(
    "", response=responses(CatalogOut), auth=None, summary="Katalog indikator KLA yang berlaku"
)
def catalog(request, version: str | None = None):
    found = catalog_version(version)
    clusters = list(clusters_of(found).prefetch_related("indicators__questions"))
    return {
        "version": found.code,
        "name": found.name,
        "instrument": found.instrument,
        "source": found.source,
        "categories": list(found.categories.values("code", "name", "min_score", "inclusive")),
        "clusters": [
            {
                "number": c.number,
                "name": c.name,
                "name_en": c.name_en,
                "max_points": c.total_points or 0,
            }
            for c in clusters
        ],
        "indicators": [
            {
                **{
                    f: getattr(i, f)
                    for f in IndicatorOut.model_fields
                    if f not in {"cluster", "questions"}
                },
                "cluster": c.number,
                "questions": list(i.questions.all()),
            }
            for c in clusters
            for i in c.indicators.all()
        ],
    }
