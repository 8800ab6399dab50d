"""Reading, validating and loading a KLA catalog data file (YAML).

Every validation error names the file and the line of the offending entry, so an administrator
loading an official instrument can fix it without reading code. Loading is idempotent: the same
file twice changes nothing; a corrected file for the same version updates rows in place (so later
data that points at indicators and questions keeps pointing at them).
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .models import (
    AnswerType,
    CatalogVersion,
    CategoryBound,
    CategoryName,
    Cluster,
    DataLevel,
    Direction,
    Indicator,
    MeasureType,
    Question,
)

CATALOG_DIR = Path(__file__).resolve().parent / "catalogs"
DEFAULT_CATALOG = CATALOG_DIR / "permenpppa-12-2022.yaml"
LINE = "__line__"
DISAGGREGATIONS = {"sex", "age_group"}


class CatalogError(ValueError):
    """The catalog file is malformed; the message names the line."""


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


@dataclass
class LoadResult:
    version: str
    created: bool
    changed: bool
    clusters: int
    indicators: int
    questions: int


class _Checker:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, node: dict | None, message: str):
        line = node.get(LINE, "?") if isinstance(node, dict) else "?"
        raise CatalogError(f"{self.path.name}: baris {line}: {message}")

    def mapping(self, node: Any, parent: dict, what: str) -> dict:
        if not isinstance(node, dict):
            self.fail(parent, f"{what} harus berupa pemetaan (key: value).")
        return node

    def keys(self, node: dict, required: set[str], optional: set[str] = frozenset()) -> None:
        present = set(node) - {LINE}
        missing = required - present
        if missing:
            self.fail(node, f"kunci wajib tidak ada: {', '.join(sorted(missing))}.")
        unknown = present - required - set(optional)
        if unknown:
            self.fail(node, f"kunci tidak dikenal: {', '.join(sorted(unknown))}.")

    def text(self, node: dict, key: str) -> str:
        value = node.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(node, f"'{key}' harus berupa teks yang tidak kosong.")
        return value.strip()

    def number(self, node: dict, key: str, *, minimum: Decimal = Decimal(0)) -> Decimal:
        value = node.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(node, f"'{key}' harus berupa angka.")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(node, f"'{key}' harus berupa angka.")
        if not number.is_finite() or number < minimum:
            self.fail(node, f"'{key}' tidak boleh kurang dari {minimum}.")
        return number

    def choice(self, node: dict, key: str, allowed) -> str:
        value = node.get(key)
        if value not in allowed:
            self.fail(node, f"'{key}' harus salah satu dari: {', '.join(allowed)}.")
        return value

    def items(self, node: dict, key: str) -> list:
        value = node.get(key)
        if not isinstance(value, list) or not value:
            self.fail(node, f"'{key}' harus berupa daftar yang tidak kosong.")
        return value


def _bands(c: _Checker, q: dict, *, percent: bool, direction: str) -> tuple[list, Decimal]:
    bands = c.items(q, "bands")
    cleaned = []
    expected_min = Decimal(0)
    for i, band in enumerate(bands):
        band = c.mapping(band, q, "band")
        last = i == len(bands) - 1
        c.keys(band, {"min", "points"}, {"max"})
        low = c.number(band, "min")
        if low != expected_min:
            c.fail(band, f"band harus bersambung: 'min' seharusnya {expected_min}.")
        high = None
        if "max" in band:
            high = c.number(band, "max")
            if high <= low:
                c.fail(band, "'max' harus lebih besar dari 'min'.")
        elif not last or percent:
            c.fail(band, "'max' wajib (hanya band terakhir angka boleh terbuka).")
        if percent and last and high != 100:
            c.fail(band, "band persentase terakhir harus berakhir di 100.")
        if percent and high is not None and high > 100:
            c.fail(band, "persentase tidak boleh melebihi 100.")
        points = c.number(band, "points")
        if cleaned:
            previous = Decimal(cleaned[-1]["points"])
            if direction == Direction.LOWER_IS_BETTER and points > previous:
                c.fail(band, "indikator 'makin rendah makin baik': nilai band tidak boleh naik.")
            if direction == Direction.HIGHER_IS_BETTER and points < previous:
                c.fail(band, "indikator 'makin tinggi makin baik': nilai band tidak boleh turun.")
        cleaned.append(
            {"min": str(low), "max": None if high is None else str(high), "points": str(points)}
        )
        expected_min = high if high is not None else expected_min
    return cleaned, max(Decimal(b["points"]) for b in cleaned)


def _prerequisite(c: _Checker, node: dict) -> dict:
    """A category prerequisite: a question must earn at least `min_points`, else the category
    is capped below, with `reason` shown to the user."""
    c.keys(node, {"question", "min_points", "reason"})
    return {
        "question": str(node["question"]).strip(),
        "min_points": str(c.number(node, "min_points")),
        "reason": c.text(node, "reason"),
    }


def _question(c: _Checker, q: dict, indicator: dict, direction: str, seen: set) -> dict:
    answer_type = c.choice(q, "answer_type", AnswerType.values)
    rubric_keys = {
        AnswerType.YES_NO: ({"points"}, set()),
        AnswerType.CHOICE: ({"options"}, set()),
        AnswerType.PERCENTAGE: (set(), {"target", "points", "bands"}),
        AnswerType.NUMBER: ({"bands"}, {"direction"}),
    }[answer_type]
    c.keys(
        q,
        {"code", "text", "answer_type", "evidence"} | rubric_keys[0],
        rubric_keys[1] | {"from_data"},
    )
    code = str(q["code"]).strip()
    if not code.startswith(f"{indicator['number']}."):
        c.fail(q, f"kode pertanyaan '{code}' harus diawali nomor indikator {indicator['number']}.")
    if code in seen:
        c.fail(q, f"kode pertanyaan '{code}' muncul dua kali.")
    seen.add(code)
    text = c.text(q, "text")
    evidence = q.get("evidence")
    if not isinstance(evidence, list) or not all(isinstance(e, str) and e for e in evidence):
        c.fail(q, "'evidence' harus berupa daftar teks (boleh kosong hanya untuk data).")

    if answer_type == AnswerType.YES_NO:
        points = c.mapping(q["points"], q, "'points'")
        if set(points) - {LINE} != {"yes", "no"}:
            c.fail(points, "'points' pertanyaan ya/tidak harus memuat tepat 'yes' dan 'no'.")
        yes, no = c.number(points, "yes"), c.number(points, "no")
        rubric, maximum = {"yes": str(yes), "no": str(no)}, max(yes, no)
    elif answer_type == AnswerType.CHOICE:
        options, values = [], set()
        for option in c.items(q, "options"):
            option = c.mapping(option, q, "opsi")
            c.keys(option, {"value", "label", "points"})
            value = str(option["value"])
            if value in values:
                c.fail(option, f"nilai opsi '{value}' muncul dua kali.")
            values.add(value)
            options.append(
                {
                    "value": value,
                    "label": c.text(option, "label"),
                    "points": str(c.number(option, "points")),
                }
            )
        if len(options) < 2:
            c.fail(q, "pertanyaan pilihan memerlukan sedikitnya dua opsi.")
        rubric, maximum = {"options": options}, max(Decimal(o["points"]) for o in options)
    elif answer_type == AnswerType.PERCENTAGE:
        if "bands" in q:
            if "target" in q or "points" in q:
                c.fail(q, "gunakan 'bands' atau 'target'+'points', tidak keduanya.")
            bands, maximum = _bands(c, q, percent=True, direction=direction)
            rubric = {"bands": bands, "direction": direction}
        else:
            if direction == Direction.LOWER_IS_BETTER:
                c.fail(q, "indikator 'makin rendah makin baik' wajib memakai 'bands'.")
            if "target" not in q or "points" not in q:
                c.fail(q, "pertanyaan persentase memerlukan 'target' dan 'points', atau 'bands'.")
            target = c.number(q, "target")
            if not 0 < target <= 100:
                c.fail(q, "'target' harus di antara 0 dan 100.")
            maximum = c.number(q, "points")
            rubric = {"target": str(target), "points": str(maximum)}
    else:
        # A count is "more is better" unless the question says otherwise, whatever the
        # indicator's headline direction (more prevention activities under child marriage).
        count_direction = (
            c.choice(q, "direction", Direction.values)
            if "direction" in q
            else (Direction.HIGHER_IS_BETTER)
        )
        bands, maximum = _bands(c, q, percent=False, direction=count_direction)
        rubric = {"bands": bands, "direction": count_direction}
    if answer_type != AnswerType.PERCENTAGE and not evidence:
        c.fail(q, "pertanyaan ini memerlukan sedikitnya satu bukti dukung.")
    from_data = q.get("from_data", False)
    if not isinstance(from_data, bool):
        c.fail(q, "'from_data' harus true atau false.")
    if from_data and (
        answer_type != AnswerType.PERCENTAGE or indicator.get("measure_type") != "percentage"
    ):
        c.fail(q, "'from_data' hanya untuk pertanyaan persentase pada indikator persentase.")
    return {
        "code": code,
        "text": text,
        "answer_type": answer_type,
        "rubric": rubric,
        "max_points": maximum,
        "evidence": list(evidence),
        "from_data": from_data,
    }


def parse_catalog(path: Path) -> dict:
    """Read and validate a catalog file; return plain data ready to load."""
    try:
        raw_text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"Berkas katalog tidak dapat dibuka: {path} ({exc.strerror})") from exc
    try:
        doc = yaml.load(raw_text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else "?"
        raise CatalogError(f"{path.name}: baris {line}: YAML tidak sah ({exc.problem}).") from exc
    c = _Checker(path)
    if not isinstance(doc, dict):
        raise CatalogError(f"{path.name}: baris 1: katalog harus berupa pemetaan.")
    c.keys(doc, {"version", "name", "instrument", "source", "categories", "clusters"})

    categories, previous = [], None
    for order, cat in enumerate(c.items(doc, "categories")):
        cat = c.mapping(cat, doc, "kategori")
        c.keys(cat, {"code", "name", "min_score", "inclusive"}, {"prerequisites"})
        score = c.number(cat, "min_score")
        if not isinstance(cat["inclusive"], bool):
            c.fail(cat, "'inclusive' harus true atau false.")
        # Compare the lowest total each admits (scores have two decimals): "> 600" and
        # ">= 600.01" would admit the same totals, and the category above would never show.
        lowest = Decimal(str(score)) + (0 if cat["inclusive"] else Decimal("0.01"))
        if previous is not None and lowest <= previous:
            c.fail(cat, "batas kategori harus naik berurutan.")
        previous = lowest
        if c.text(cat, "name") not in CategoryName.values:
            c.fail(
                cat,
                "nama kategori harus salah satu dari "
                + ", ".join(CategoryName.values)
                + " (PermenPPPA 12/2022).",
            )
        categories.append(
            {
                "order": order,
                "code": c.text(cat, "code"),
                "name": c.text(cat, "name"),
                "min_score": score,
                "inclusive": cat["inclusive"],
                "prerequisites": [
                    _prerequisite(c, c.mapping(p, cat, "prasyarat"))
                    for p in (c.items(cat, "prerequisites") if "prerequisites" in cat else [])
                ],
            }
        )

    clusters, numbers, question_codes = [], [], set()
    for cl in c.items(doc, "clusters"):
        cl = c.mapping(cl, doc, "klaster")
        c.keys(cl, {"number", "name", "name_en", "indicators"})
        number = cl["number"]
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= 5:
            c.fail(cl, "'number' klaster harus bilangan 0 sampai 5.")
        if any(x["number"] == number for x in clusters):
            c.fail(cl, f"klaster {number} muncul dua kali.")
        indicators = []
        for ind in c.items(cl, "indicators"):
            ind = c.mapping(ind, cl, "indikator")
            c.keys(
                ind,
                {
                    "number",
                    "name",
                    "name_en",
                    "definition",
                    "measure_type",
                    "direction",
                    "data_level",
                    "disaggregations",
                    "lead_agencies",
                    "max_points",
                    "questions",
                },
            )
            ind_number = ind["number"]
            if not isinstance(ind_number, int) or isinstance(ind_number, bool) or ind_number < 1:
                c.fail(ind, "'number' indikator harus bilangan bulat positif.")
            if ind_number in numbers:
                c.fail(ind, f"indikator {ind_number} muncul dua kali.")
            numbers.append(ind_number)
            direction = c.choice(ind, "direction", Direction.values)
            disaggregations = ind["disaggregations"]
            if not isinstance(disaggregations, list) or not set(disaggregations) <= DISAGGREGATIONS:
                c.fail(ind, "'disaggregations' hanya boleh memuat: sex, age_group.")
            agencies = ind["lead_agencies"]
            if not isinstance(agencies, list) or not all(isinstance(a, str) for a in agencies):
                c.fail(ind, "'lead_agencies' harus berupa daftar singkatan.")
            max_points = c.number(ind, "max_points")
            if max_points <= 0:
                c.fail(ind, "'max_points' harus lebih dari 0.")
            questions = [
                _question(c, c.mapping(q, ind, "pertanyaan"), ind, direction, question_codes)
                for q in c.items(ind, "questions")
            ]
            attainable = sum(q["max_points"] for q in questions)
            if attainable < max_points:
                c.fail(
                    ind,
                    f"indikator {ind_number}: jumlah nilai maksimum pertanyaan ({attainable}) "
                    f"kurang dari nilai maksimum indikator ({max_points}).",
                )
            indicators.append(
                {
                    "number": ind_number,
                    "name": c.text(ind, "name"),
                    "name_en": c.text(ind, "name_en"),
                    "definition": c.text(ind, "definition"),
                    "measure_type": c.choice(ind, "measure_type", MeasureType.values),
                    "direction": direction,
                    "data_level": c.choice(ind, "data_level", DataLevel.values),
                    "disaggregations": list(disaggregations),
                    "lead_agencies": list(agencies),
                    "max_points": max_points,
                    "questions": questions,
                }
            )
        clusters.append(
            {
                "number": number,
                "name": c.text(cl, "name"),
                "name_en": c.text(cl, "name_en"),
                "indicators": indicators,
            }
        )
    maxima = {
        q["code"]: q["max_points"]
        for cl in clusters
        for ind in cl["indicators"]
        for q in ind["questions"]
    }
    for cat, raw in zip(categories, c.items(doc, "categories"), strict=True):
        for rule, node in zip(cat["prerequisites"], raw.get("prerequisites", []), strict=True):
            if rule["question"] not in maxima:
                c.fail(node, f"prasyarat merujuk pertanyaan '{rule['question']}' yang tidak ada.")
            if Decimal(rule["min_points"]) > maxima[rule["question"]]:
                c.fail(node, "'min_points' prasyarat melebihi nilai maksimum pertanyaannya.")
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        c.fail(doc, "nomor indikator harus berurutan mulai 1 tanpa celah.")
    return {
        "version": c.text(doc, "version"),
        "name": c.text(doc, "name"),
        "instrument": c.text(doc, "instrument"),
        "source": c.text(doc, "source"),
        "categories": categories,
        "clusters": clusters,
        "checksum": hashlib.sha256(raw_text.encode()).hexdigest(),
    }


@transaction.atomic
def load_catalog(path: Path = DEFAULT_CATALOG, *, activate: bool = True) -> LoadResult:
    data = parse_catalog(path)
    version, created = CatalogVersion.objects.get_or_create(
        code=data["version"],
        defaults={
            "name": data["name"],
            "instrument": data["instrument"],
            "source": data["source"],
            "checksum": "",
        },
    )
    changed = version.checksum != data["checksum"]
    if changed:
        _write(version, data)
    if activate and not version.is_active:
        CatalogVersion.objects.filter(is_active=True).update(is_active=False)
        version.is_active = True
        version.save(update_fields=["is_active", "loaded_at"])
    return LoadResult(
        version=version.code,
        created=created,
        changed=changed,
        clusters=len(data["clusters"]),
        indicators=sum(len(cl["indicators"]) for cl in data["clusters"]),
        questions=sum(len(i["questions"]) for cl in data["clusters"] for i in cl["indicators"]),
    )


def _write(version: CatalogVersion, data: dict) -> None:
    version.name, version.instrument = data["name"], data["instrument"]
    version.source, version.checksum = data["source"], data["checksum"]
    version.save()
    version.categories.all().delete()
    CategoryBound.objects.bulk_create(
        CategoryBound(version=version, **category) for category in data["categories"]
    )
    for cl in data["clusters"]:
        cluster, _ = Cluster.objects.update_or_create(
            version=version,
            number=cl["number"],
            defaults={"name": cl["name"], "name_en": cl["name_en"]},
        )
        for ind in cl["indicators"]:
            fields = {k: v for k, v in ind.items() if k not in {"number", "questions"}}
            indicator, _ = Indicator.objects.update_or_create(
                version=version, number=ind["number"], defaults={**fields, "cluster": cluster}
            )
            codes = []
            for order, q in enumerate(ind["questions"]):
                codes.append(q["code"])
                Question.objects.update_or_create(
                    indicator=indicator,
                    code=q["code"],
                    defaults={k: v for k, v in q.items() if k != "code"} | {"order": order},
                )
            indicator.questions.exclude(code__in=codes).delete()
    numbers = [i["number"] for cl in data["clusters"] for i in cl["indicators"]]
    version.indicators.exclude(number__in=numbers).delete()
    version.clusters.exclude(number__in=[cl["number"] for cl in data["clusters"]]).delete()
