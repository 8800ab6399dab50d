"""The maps of the roll-up and of the public portal: each kab/kota's colour in each way of looking
(a *mode*), the legend with its counts, and what a tap on the kab/kota shows.

The map reads the same rows as the table beneath it (`rollup.rollup` for staff, `portal.
participating` for the public), so a colour never disagrees with a number on the page. The
classes and the legend are decided here, in Python, where they are tested; `static/sikla/map.js`
only paints them on the vendored boundaries. A kab/kota with no row (not registered in SIKLA) is
drawn hatched by the script and counted there, apart from one taking part without a result.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikla.core.numbers import score as score_text
from sikla.core.numbers import share as share_text

from .models import Stage
from .rollup import RollupRow

if TYPE_CHECKING:
    from .losses import OneIndicator

NONE = "none"  # taking part, nothing to colour by in this mode
NONE_COLOUR = "#f7f7f7"

# Colour-blind-safe blues, light → dark from the lowest category up to KLA.
CATEGORY_COLOURS = ["#c6dbef", "#6baed6", "#3182bd", "#08519c", "#08306b"]
STAGE_COLOURS = {
    Stage.SELF: "#fdd0a2",
    Stage.ADMINISTRATIVE: "#fdae6b",
    Stage.RECHECK: "#fd8d3c",
    Stage.FIELD: "#e6550d",
    Stage.FINAL: "#a63603",
    Stage.DETERMINED: "#31a354",
}
QUARTER_BANDS = [  # a share of an indicator's maximum, as the heat map shades it
    ("q0", gettext_lazy("di bawah 25% maksimum"), "#fcbba1"),
    ("q1", gettext_lazy("25–50% maksimum"), "#fee0d2"),
    ("q2", gettext_lazy("50–75% maksimum"), "#deebf7"),
    ("q3", gettext_lazy("75% maksimum atau lebih"), "#9ecae1"),
]
CHANGE_BANDS = [  # (key, label, lowest change in the band, colour); red down, blue up
    ("down_much", gettext_lazy("turun lebih dari 25 poin"), None, "#ca0020"),
    ("down", gettext_lazy("turun"), Decimal("-25"), "#f4a582"),
    ("same", gettext_lazy("tetap"), Decimal("0"), "#e0e0e0"),
    ("up", gettext_lazy("naik"), Decimal("0.01"), "#92c5de"),
    ("up_much", gettext_lazy("naik lebih dari 25 poin"), Decimal("25.01"), "#0571b0"),
]


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Bounds:
    """The active catalog's categories, lowest first: their names and the scores they start
    above."""

    names: list[str]
    minimums: list[Decimal]

    @classmethod
    def active(cls, catalog=None) -> Bounds:
        """Of `catalog`, the active one when not given."""
        from sikla.indicators.queries import active_catalog, catalog_categories

        catalog = catalog or active_catalog()
        rows = catalog_categories(catalog) if catalog else ()
        return cls([b.name for b in rows], [b.min_score for b in rows])

    def category_bands(self) -> list[Band]:
        colours = CATEGORY_COLOURS[-len(self.names) :] if self.names else []
        return [Band(n, n, c) for n, c in zip(self.names, colours, strict=True)]

    def score_bands(self) -> list[Band]:
        """Scores in the categories' own ranges, and one band below the lowest."""
        lowest = self.minimums[0] if self.minimums else Decimal("0")
        colours = [b.colour for b in self.category_bands()]
        below = Band("below", _("di bawah %(s)s") % {"s": score_text(lowest)}, "#fee0d2")
        return [below] + [
            Band(f"score_{i}", _("%(n)s (di atas %(s)s)") % {"n": n, "s": score_text(m)}, c)
            for i, (n, m, c) in enumerate(zip(self.names, self.minimums, colours, strict=True))
        ]

    def score_class(self, value: Decimal | None) -> str:
        if value is None:
            return NONE
        key = "below"
        for i, minimum in enumerate(self.minimums):
            if value > minimum:
                key = f"score_{i}"
        return key


def change_class(change: Decimal | None) -> str:
    if change is None:
        return NONE
    key = CHANGE_BANDS[0][0]
    for band_key, _label, lowest, _colour in CHANGE_BANDS[1:]:
        if change >= lowest:
            key = band_key
    return key


def _mode(key: str, label: str, bands: list[Band], classes: list[str], none_label: str) -> dict:
    """A way of looking at the map: its bands with their colours and how many kab/kota each."""
    counts = Counter(classes)
    legend = [
        {"key": b.key, "label": b.label, "colour": b.colour, "count": counts.get(b.key, 0)}
        for b in bands
    ]
    legend.append(
        {"key": NONE, "label": none_label, "colour": NONE_COLOUR, "count": counts.get(NONE, 0)}
    )
    return {"key": key, "label": label, "legend": legend}


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + score_text(value)


def _words() -> dict:
    """What the script writes on the map, in the page's language."""
    return {
        "absent": _("belum terdaftar di SIKLA"),
        "search": _("Cari kabupaten/kota di peta"),
        "attribution": _("Batas wilayah: Kepmendagri 2025 (cahyadsn/wilayah_boundaries, MIT)"),
    }


def rollup_map(
    rows: list[RollupRow],
    *,
    year: int,
    province: str = "",
    indicator: OneIndicator | None = None,
    catalog=None,
) -> dict:
    """The staff map of one year: by the latest determined category (first), the year's
    self-assessment score, the change from last year, and the stage of the season; with
    `indicator`, by that indicator's share of its maximum first."""
    from .losses import heat_class

    bounds = Bounds.active(catalog)
    items = {}
    classes: dict[str, list[str]] = {"determined": [], "score": [], "change": [], "stage": []}
    if indicator:
        classes["indicator"] = []
        indicator_label = _("Indikator %(n)s") % {"n": indicator.number}
    # Words and the link's shape once, not once per kab/kota (514 of them for the nation).
    words = {
        "determined": _("Kategori ditetapkan"),
        "stage": _("Tahap %(y)s") % {"y": year},
        "self": _("Nilai mandiri"),
        "verified": _("Nilai terverifikasi"),
        "change": _("Perubahan dari tahun lalu"),
        "not_started": _("belum mulai"),
        "link": _("Buka evaluasi"),
    }
    stage_names = {s.value: str(s.label) for s in Stage}
    url = reverse("evaluation:overview", args=["00.00", year]).replace("00.00", "{code}", 1)
    for r in rows:
        mine = {
            "determined": r.determined or NONE,
            "score": bounds.score_class(r.self_total),
            "change": change_class(r.change),
            "stage": r.stage or NONE,
        }
        if indicator:
            mine["indicator"] = heat_class(indicator.shares.get(r.code)) or NONE
        for mode, key in mine.items():
            classes[mode].append(key)
        determined = f"{r.determined} ({r.determined_year})" if r.determined else "–"
        self_score = score_text(r.self_total) if r.self_total is not None else "–"
        facts = [
            (words["determined"], determined),
            (words["stage"], stage_names.get(r.stage) or words["not_started"]),
            (words["self"], self_score),
        ]
        if r.verified_total is not None:
            facts.append((words["verified"], score_text(r.verified_total)))
        if r.change is not None:
            facts.append((words["change"], _signed(r.change)))
        if indicator and indicator.shares.get(r.code) is not None:
            facts.append((indicator_label, share_text(indicator.shares[r.code])))
        items[r.code] = {
            "name": r.name,
            "classes": mine,
            "facts": facts,
            "url": url.format(code=r.code) if r.stage else "",
            "link": words["link"],
        }
    stages = [Band(s, str(s.label), colour) for s, colour in STAGE_COLOURS.items()]
    changes = [Band(k, str(label), c) for k, label, _low, c in CHANGE_BANDS]
    modes = [
        _mode(
            "determined",
            _("Kategori ditetapkan terakhir"),
            bounds.category_bands(),
            classes["determined"],
            _("belum pernah ditetapkan"),
        ),
        _mode(
            "score",
            _("Nilai penilaian mandiri %(y)s") % {"y": year},
            bounds.score_bands(),
            classes["score"],
            _("belum ada nilai"),
        ),
        _mode(
            "change",
            _("Perubahan dari tahun lalu"),
            changes,
            classes["change"],
            _("tidak dapat dibandingkan"),
        ),
        _mode(
            "stage",
            _("Tahap musim %(y)s") % {"y": year},
            stages,
            classes["stage"],
            _("belum mulai"),
        ),
    ]
    if indicator:
        quarters = [Band(k, str(label), c) for k, label, c in QUARTER_BANDS]
        label = _("Indikator %(n)s: %(name)s") % {"n": indicator.number, "name": indicator.name}
        modes.insert(
            0, _mode("indicator", label, quarters, classes["indicator"], _("belum ada nilai"))
        )
    return {"province": province, "modes": modes, "items": items, **_words()}


def public_map(local_governments) -> dict:
    """The public portal's map: the latest determined category only, never a score still under
    verification; a tap leads to the kab/kota's portal page."""
    bounds = Bounds.active()
    items, classes = {}, []
    for lg in local_governments:
        key = lg.latest_category or NONE
        classes.append(key)
        shown = f"{lg.latest_category} ({lg.latest_year})" if lg.latest_category else None
        items[lg.code] = {
            "name": lg.region.name,
            "classes": {"determined": key},
            "facts": [(_("Kategori KLA terakhir"), shown or _("Belum ditetapkan"))],
            "url": reverse("dashboards:portal", args=[lg.code]),
            "link": _("Lihat halaman daerah"),
        }
    mode = _mode(
        "determined",
        _("Kategori KLA terakhir"),
        bounds.category_bands(),
        classes,
        _("belum ditetapkan"),
    )
    return {"province": "", "modes": [mode], "items": items, **_words()}


# --- scope ---------------------------------------------------------------------------------------


def province_for(user, asked: str) -> str:
    """The province a monitoring page or API call shows: the one asked for when it lies in the
    user's scope (404 otherwise, as for any object out of scope), a provincial user's own, or ""
    for the whole scope."""
    from django.http import Http404

    from sikla.accounts.rules import in_scope

    asked = (asked or "")[:2]
    scope = user.scope
    if asked and not (in_scope(scope, asked) or in_scope(asked, scope)):
        raise Http404(_("Provinsi ini di luar cakupan wilayah Anda."))
    return scope if len(scope) == 2 else asked


# --- the season board ------------------------------------------------------------------------


@dataclass(frozen=True)
class StageCount:
    stage: str  # "" = not started
    label: str
    count: int
    late: int


@dataclass(frozen=True)
class Late:
    code: str
    name: str
    stage: str
    stage_label: str
    due: object  # date
    days: int


@dataclass(frozen=True)
class Waiting:
    """What waits for one group of verifiers: a province's evaluators or a ministry team."""

    who: str
    people: list[str]
    stage_label: str
    count: int
    late: int
    url: str


@dataclass
class Board:
    year: int
    province: str
    season: object  # Season | None
    stages: list[StageCount]
    late: list[Late]
    waiting: list[Waiting]
    rows: list[RollupRow]

    @property
    def total(self) -> int:
        return len(self.rows)


MINISTRY_STAGES = (Stage.RECHECK, Stage.FIELD, Stage.FINAL)


def season_board(rows: list[RollupRow], *, year: int, province: str, today) -> Board:
    """How many kab/kota stand at each stage, which are behind the season's timetable, and what
    waits for each province's evaluators and for the ministry — from the roll-up's rows."""
    from django.db.models import Q

    from sikla.accounts.models import Role, User
    from sikla.regions.models import Region

    from .models import Season

    season = Season.objects.filter(year=year).first()
    labels = {"": _("Belum mulai")} | {s.value: str(s.label) for s in Stage}
    late: list[Late] = []
    for r in rows:
        due = season.due_for(r.stage) if season else None
        if due is not None and due < today:
            late.append(Late(r.code, r.name, r.stage, labels[r.stage], due, (today - due).days))
    late.sort(key=lambda x: (-x.days, x.code))
    late_codes = {x.code for x in late}
    counts = Counter(r.stage for r in rows)
    late_counts = Counter(r.stage for r in rows if r.code in late_codes)
    stages = [
        StageCount(key, labels[key], counts.get(key, 0), late_counts.get(key, 0))
        for key in ["", *[s.value for s in Stage]]
    ]

    waiting: list[Waiting] = []
    rollup_url = reverse("evaluation:rollup")
    at_province = [r for r in rows if r.stage == Stage.ADMINISTRATIVE]
    provinces = sorted({r.code[:2] for r in at_province})
    names = dict(Region.objects.filter(code__in=provinces).values_list("code", "name"))
    evaluators: dict[str, list[str]] = {}
    for scope, name, username in (
        User.objects.filter(role=Role.PROVINCIAL_EVALUATOR, is_active=True, scope__in=provinces)
        .order_by("full_name", "username")
        .values_list("scope", "full_name", "username")
    ):
        evaluators.setdefault(scope, []).append(name or username)
    for code in provinces:
        mine = [r for r in at_province if r.code[:2] == code]
        waiting.append(
            Waiting(
                who=_("Penilai provinsi %(p)s") % {"p": names.get(code, code)},
                people=evaluators.get(code, []),
                stage_label=labels[Stage.ADMINISTRATIVE],
                count=len(mine),
                late=sum(1 for r in mine if r.code in late_codes),
                url=f"{rollup_url}?tahun={year}&provinsi={code}&tahap={Stage.ADMINISTRATIVE}",
            )
        )
    ministry = [
        name or username
        for name, username in User.objects.filter(
            Q(scope=""), role=Role.NATIONAL_EVALUATOR, is_active=True
        )
        .order_by("full_name", "username")
        .values_list("full_name", "username")
    ]
    for stage in MINISTRY_STAGES:
        mine = [r for r in rows if r.stage == stage]
        if mine:
            waiting.append(
                Waiting(
                    who=_("Tim kementerian"),
                    people=ministry,
                    stage_label=labels[stage],
                    count=len(mine),
                    late=sum(1 for r in mine if r.code in late_codes),
                    url=f"{rollup_url}?tahun={year}&tahap={stage}"
                    + (f"&provinsi={province}" if province else ""),
                )
            )
    return Board(year, province, season, stages, late, waiting, rows)
