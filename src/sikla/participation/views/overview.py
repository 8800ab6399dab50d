"""The participation overview: the questions of the evaluation this app answers, with their
numbers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from .. import queries
from ..access import (
    get_lg,
)
from ..models import PartnerComponent, SourceKind
from .common import _data_year, _url

__all__ = [
    "FORUM_STATUS_LABELS",
    "overview",
]

FORUM_STATUS_LABELS = {
    "belum": _lazy("Belum dibentuk"),
    "sk": _lazy("Dibentuk dengan SK, belum ada kegiatan pada tahun data"),
    "aktif": _lazy("Dibentuk dengan SK dan berkegiatan"),
}


def _yes_no(value: str) -> str:
    return _("Ya") if value == "yes" else _("Tidak")


def _share(part: int, whole: int, pct) -> str:
    if pct is None:
        return f"{part} / {whole}"
    return f"{part} / {whole} ({number_format(pct, 2)} %)"


def _question_rows(lg, counts: queries.ParticipationCounts) -> list[tuple[str, str, str, str]]:
    """(question code, what is counted, value, link to the register) for indicators 3 and 6."""
    answers, year, forums_ = counts.answers(), counts.year, counts.forums
    partners_url = _url("participation:partners", lg.code)
    forums_url = _url("participation:forums", lg.code)
    return [
        (
            "3.1",
            _("Organisasi masyarakat yang berkontribusi pada tahun data"),
            str(answers["3.1"]),
            f"{partners_url}?component=community&tahun={year}",
        ),
        (
            "3.2",
            _("Dunia usaha yang berkontribusi (termasuk CSR)"),
            str(answers["3.2"]),
            f"{partners_url}?component=business&tahun={year}",
        ),
        (
            "3.3",
            _("Media massa yang berkontribusi"),
            str(answers["3.3"]),
            f"{partners_url}?component=media&tahun={year}",
        ),
        (
            "3.4",
            _("Wadah koordinasi (PUSPA, APSAI) tercatat aktif"),
            _yes_no(answers["3.4"]),
            f"{partners_url}?component=coordination",
        ),
        (
            "6.1",
            _("Forum Anak tingkat kab/kota"),
            str(FORUM_STATUS_LABELS[answers["6.1"]]),
            f"{forums_url}?level=regency",
        ),
        (
            "6.2",
            _("Kecamatan yang memiliki Forum Anak aktif"),
            _share(forums_.districts_with_forum, forums_.districts_total, forums_.districts_pct),
            f"{forums_url}?level=district",
        ),
        (
            "6.3",
            _("Desa/kelurahan yang memiliki Forum Anak aktif"),
            _share(forums_.villages_with_forum, forums_.villages_total, forums_.villages_pct),
            f"{forums_url}?level=village",
        ),
        (
            "6.4",
            _("Forum Anak ikut Musrenbang (kegiatan jenis Musrenbang)"),
            _yes_no(answers["6.4"]),
            "",
        ),
        (
            "6.5",
            _("Kebijakan/program/peraturan dengan masukan anak"),
            str(answers["6.5"]),
            f"{_url('participation:records', lg.code)}?tahun={year}",
        ),
    ]


@require_GET
def overview(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_lg(request.user, code)
    year = _data_year(request)
    counts = queries.participation_counts(lg, year)
    this_year = timezone.localdate().year
    return render(
        request,
        "participation/overview.html",
        {
            "lg": lg,
            "tab": "overview",
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "counts": counts,
            "rows": _question_rows(lg, counts),
            "inputs": [(SourceKind(k).label, n) for k, n in counts.inputs_by_source.items()],
            "components": [
                (PartnerComponent(k).label, n) for k, n in counts.partners_by_component.items()
            ],
        },
    )
