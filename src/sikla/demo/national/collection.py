# ruff: noqa: S608  -- every statement here is built from our own constants and model metadata,
# never from input; the one value from outside (the time zone name) is checked before use.
"""The generator's steps for periods, submissions and data values (each indicator at its own
level, with its disaggregations)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sikla.collection.grid import columns
from sikla.collection.models import DataValue, Period, Submission
from sikla.indicators.models import CatalogVersion

from .sql import u
from .volumes import FED_MASKS


class CollectionSteps:
    """Steps of `Generator` (generator.py), which holds the state they share."""

    def _periods(self) -> None:
        self.catalog = CatalogVersion.objects.get(is_active=True)
        self.indicators = list(self.catalog.indicators.order_by("number"))
        k = len(self.indicators)
        years = range(self.first_year, self.last_year + 1)
        self.temp_table(
            "gen_year",
            "(y int, yi int, status text, determined bool, t timestamptz)",
            (
                (y, yi, "locked", True, datetime(y, 4, 20, 10, tzinfo=self.tz))
                if self._determined(y)
                else (y, yi, "open", False, self.now)
                for yi, y in enumerate(years)
            ),
        )
        self.insert(
            Period,
            {
                "id": f"l.i * {self.years} + g.yi + 1",
                "local_government_id": "l.lg",
                "year": "g.y",
                "catalog_id": str(self.catalog.pk),
                "status": "g.status",
                "input_deadline": "make_date(g.y, 3, 31)",
                "review_deadline": "make_date(g.y, 4, 30)",
            },
            "FROM gen_lg l CROSS JOIN gen_year g",
        )
        # Lead agency: the catalog's first listed agency the local government has (as
        # collection.actions.default_assignment); the others support.
        self.temp_table(
            "gen_lead",
            "(indicator_id int, pos int, abbr text)",
            (
                (ind.pk, pos, abbr.lower())
                for ind in self.indicators
                for pos, abbr in enumerate(ind.lead_agencies)
            ),
        )
        self.temp_table(
            "gen_assign",
            "AS SELECT a.local_government_id AS lg, d.indicator_id, a.id AS agency_id, "
            "rank() OVER (PARTITION BY a.local_government_id, d.indicator_id ORDER BY d.pos) AS r "
            "FROM gen_lead d JOIN organisations_agency a ON lower(a.abbreviation) = d.abbr",
        )
        self.temp_table(
            "gen_ind",
            "(indicator_id int, ord int, number int)",
            ((ind.pk, i, ind.number) for i, ind in enumerate(self.indicators)),
        )
        # Submission states: every one approved in a closed year; in the open year a mix, with
        # every state present (the target's secretariat sees each of them).
        x = u("s.id", 11)
        self.temp_table(
            "gen_sub",
            f"AS SELECT s.*, CASE WHEN s.determined THEN 'approved' "
            f"WHEN {x} < 0.35 THEN 'approved' WHEN {x} < 0.55 THEN 'submitted' "
            f"WHEN {x} < 0.62 THEN 'returned' ELSE 'draft' END AS status, "
            f"(s.determined OR {x} < 0.62 OR {u('s.id', 12)} < 0.5) AS filled "
            f"FROM (SELECT (p.id - 1) * {k} + i.ord + 1 AS id, p.id AS period_id, "
            f"p.local_government_id AS lg, p.year, g.yi, g.determined, g.t, i.indicator_id, "
            f"i.number FROM collection_period p JOIN gen_year g ON g.y = p.year "
            f"CROSS JOIN gen_ind i) s",
        )
        self.insert(
            Submission,
            {
                "id": "s.id",
                "period_id": "s.period_id",
                "local_government_id": "s.lg",
                "indicator_id": "s.indicator_id",
                "lead_agency_id": "a.agency_id",
                "assignment_confirmed_at": "s.t - interval '60 days'",
                "status": "s.status",
                "narrative": "CASE WHEN s.filled THEN 'Data dihimpun dari register perangkat "
                "daerah (sintetis).' ELSE '' END",
                "version": "CASE WHEN s.filled THEN 2 ELSE 1 END",
                "submitted_at": "CASE WHEN s.status <> 'draft' THEN s.t - interval '20 days' END",
                "reviewed_at": "CASE WHEN s.status IN ('approved', 'returned') "
                "THEN s.t - interval '10 days' END",
                "review_comment": "CASE WHEN s.status = 'returned' THEN 'Angka kecamatan belum "
                "sesuai register; mohon dicek ulang (sintetis).' ELSE '' END",
            },
            "FROM gen_sub s LEFT JOIN gen_assign a "
            "ON a.lg = s.lg AND a.indicator_id = s.indicator_id AND a.r = 1",
        )
        self.insert(
            Submission.supporting_agencies.through,
            {"submission_id": "s.id", "agency_id": "a.agency_id"},
            "FROM gen_sub s JOIN gen_assign a "
            "ON a.lg = s.lg AND a.indicator_id = s.indicator_id AND a.r > 1",
        )

    def _determined(self, year: int) -> bool:
        """A year's category is announced around 23 July (National Children's Day)."""
        return date(year, 7, 23) < self.today - timedelta(days=7)

    def _values(self) -> None:
        """One row per cell of the entry grid (collection.grid): every region at the indicator's
        level × its sex/age columns. Coverage 78–98 % rising over the years; child marriage
        2–7 % and stunting 12–26 % falling; counts 2–14; availability mostly yes."""
        fed = self._fed_numbers()
        self.temp_table(
            "gen_cell",
            "(indicator_id int, number int, measure text, level text, k int, sex text, age text)",
            (
                (ind.pk, ind.number, ind.measure_type, ind.data_level, k, sex, age)
                for ind in self.indicators
                if ind.number not in fed
                for k, (sex, age) in enumerate(columns(ind.disaggregations))
            ),
        )
        self.temp_table(
            "gen_region",
            "AS SELECT region_id AS lg, 'regency'::text AS level, region_id AS code "
            "FROM organisations_localgovernment UNION ALL "
            "SELECT left(code, 5), level, code FROM regions_region "
            "WHERE level IN ('district', 'village') AND is_active",
        )
        key = "s.id * 1000003 + hashtext(r.code)::bigint * 8 + c.k"
        rate = (
            f"CASE c.number WHEN 7 THEN 0.07 - 0.05 * {u(key, 21)} - 0.002 * s.yi "
            f"WHEN 12 THEN 0.26 - 0.14 * {u(key, 21)} - 0.006 * s.yi "
            f"ELSE least(0.995, 0.78 + 0.20 * {u(key, 21)} + 0.004 * s.yi) END"
        )
        size = (
            f"CASE r.level WHEN 'village' THEN 120 + 2280 * {u(key, 22)} "
            f"WHEN 'district' THEN 800 + 11200 * {u(key, 22)} "
            f"ELSE 4000 + 26000 * {u(key, 22)} END"
        )
        self.temp_table("gen_cellcount", "AS SELECT number, count(*) AS n FROM gen_cell GROUP BY 1")
        pct = "c.measure = 'percentage'"
        self.insert(
            DataValue,
            {
                "submission_id": "s.id",
                "region_id": "r.code",
                "sex": "c.sex",
                "age_group": "c.age",
                "numerator": f"CASE WHEN {pct} THEN round(d.den * greatest(0.0, {rate})) END",
                "denominator": f"CASE WHEN {pct} THEN d.den END",
                "value": f"CASE c.measure WHEN 'count' THEN floor(2 + 13 * {u(key, 23)}) "
                f"WHEN 'availability' THEN CASE WHEN {u(key, 23)} < 0.85 THEN 1 ELSE 0 END END",
            },
            "FROM gen_sub s JOIN gen_cell c ON c.indicator_id = s.indicator_id "
            "JOIN gen_region r ON r.lg = s.lg AND r.level = c.level "
            "JOIN gen_cellcount n ON n.number = c.number "
            f"CROSS JOIN LATERAL (SELECT greatest(1, round(({size}) / n.n)) AS den) d "
            "WHERE s.filled",
        )

    def _fed_numbers(self) -> set[int]:
        """Indicators 21–24 whose grid is the kab/kota by sex × age group: their values come
        from the facts, as the cluster V feed offers them (protection.feeds)."""
        full = {(s, a) for s in ("L", "P") for a in ("0-5", "6-12", "13-17")}
        return {
            ind.number
            for ind in self.indicators
            if ind.number in FED_MASKS
            and ind.data_level == "regency"
            and set(columns(ind.disaggregations)) == full
        }

    # -- protection --------------------------------------------------------------------------
