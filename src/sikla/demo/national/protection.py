# ruff: noqa: S608  -- every statement here is built from our own constants and model metadata,
# never from input; the one value from outside (the time zone name) is checked before use.
"""The generator's steps for child protection: cases skewed to the largest units, complaints,
children (real Fernet tokens, unique fictitious NIKs, the name index), services, referrals,
consents, the access log, and the de-identified facts with the cluster V values they feed."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sikla.accounts.models import Role
from sikla.collection.models import DataValue
from sikla.protection import crypto
from sikla.protection.actions import CODE_ALPHABET
from sikla.protection.models import (
    TYPE_BITS,
    AccessLog,
    Case,
    CaseFact,
    CaseItemFact,
    CaseType,
    Child,
    ChildNameToken,
    Complaint,
    GuardianConsent,
    Perpetrator,
    Referral,
    Service,
    VictimFact,
)

from .sql import literal, pick, u, zone_sql
from .volumes import (
    CHANNELS,
    CHILDREN,
    DISMISSALS,
    FAMILY_NAMES,
    FED_MASKS,
    FIRST_NAMES,
    FIRST_SERVICES,
    GUARDIANS,
    INSTITUTION_ARRAY,
    INSTITUTIONS,
    LATER_SERVICES,
    MARKERS,
    OUTCOMES,
    PERPETRATORS,
    PLACES,
    RELATIONS,
    RISKS,
    SECOND_TYPES,
    TEXTS,
    TYPES,
    WORKER_SHARE,
)


class ProtectionSteps:
    """Steps of `Generator` (generator.py), which holds the state they share."""

    def _pools(self) -> None:
        self.pool_size = {kind: len(texts) for kind, texts in TEXTS.items()}
        self.temp_table(
            "gen_pool",
            "(kind text, tokens text[])",
            ((kind, [crypto.encrypt(t) for t in texts]) for kind, texts in TEXTS.items()),
        )
        names = [f"{a} {b} {c}" for a in FIRST_NAMES for b in FAMILY_NAMES for c in MARKERS]
        self.names = len(names)
        self.temp_table(
            "gen_name", "(i int, token text)", ((i, crypto.encrypt(n)) for i, n in enumerate(names))
        )
        self.temp_table(
            "gen_name_token",
            "(i int, token text, words int)",
            (
                (i, t, len(tokens))
                for i, n in enumerate(names)
                for tokens in [sorted(crypto.name_tokens(n))]
                for t in tokens
            ),
        )

    def pool(self, kind: str, key: str, salt: int) -> str:
        """An encrypted text of the pool, by the row's key."""
        n = self.pool_size[kind]
        return (
            f"(SELECT tokens FROM gen_pool WHERE kind = '{kind}')"
            f"[1 + floor({u(key, salt)} * {n})::int]"
        )

    def _blocks(self) -> list[tuple]:
        """(lg, year, first case id, cases, from, to): each unit's cases spread over the years,
        growing (more reporting every year), the current year up to an hour ago."""
        self.sql("SELECT lg, cases FROM gen_lg ORDER BY i")
        units = self.cursor.fetchall()
        first = self.first_year - 1
        years = list(range(first, self.today.year + 1))
        starts = {y: datetime(y, 1, 1, tzinfo=self.tz) for y in [*years, years[-1] + 1]}
        end = self.now - timedelta(hours=1)
        weights = []
        for i, y in enumerate(years):
            span = (min(starts[y + 1], end) - starts[y]) / (starts[y + 1] - starts[y])
            weights.append((i + 1) * max(0.0, span))
        total = sum(weights)
        blocks, next_id = [], 1
        for lg, n in units:
            done, cumulative = 0, 0.0
            for y, w in zip(years, weights, strict=True):
                cumulative += w
                upto = round(n * cumulative / total)
                count, done = upto - done, upto
                if count > 0:
                    blocks.append((lg, y, next_id, count, starts[y], min(starts[y + 1], end)))
                    next_id += count
        return blocks

    def _cases(self) -> None:
        self._pools()
        self.temp_table(
            "gen_village",
            "AS SELECT left(code, 5) AS lg, (row_number() OVER (PARTITION BY left(code, 5) "
            "ORDER BY code) - 1)::int AS k, code FROM regions_region "
            "WHERE level = 'village' AND is_active",
        )
        self.blocks = self._blocks()
        self._calendar()
        self.max_case = sum(b[3] for b in self.blocks)
        self.temp_table(
            "gen_block",
            "(lg text, year int, first_id bigint, n int, t0 timestamptz, t1 timestamptz)",
            self.blocks,
        )
        now = literal(self.now)
        age = f"extract(epoch FROM {now} - received_at) / 86400"
        us = u("id", 2)
        status = (
            f"CASE WHEN {age} > 180 THEN CASE WHEN {us} < 0.93 THEN 'closed' "
            f"WHEN {us} < 0.98 THEN 'in_service' ELSE 'referred' END "
            f"WHEN {age} > 30 THEN CASE WHEN {us} < 0.5 THEN 'closed' WHEN {us} < 0.8 "
            f"THEN 'in_service' WHEN {us} < 0.9 THEN 'referred' ELSE 'assessed' END "
            f"ELSE CASE WHEN {us} < 0.15 THEN 'received' WHEN {us} < 0.45 THEN 'assessed' "
            f"WHEN {us} < 0.8 THEN 'in_service' WHEN {us} < 0.85 THEN 'referred' "
            f"ELSE 'closed' END END"
        )
        urgency = pick(
            "b.first_id + k - 1", 3, [("emergency", 0.05), ("urgent", 0.15), ("normal", 0.8)]
        )
        outcome = pick("id", 4, OUTCOMES)
        hours = (
            f"CASE urgency WHEN 'emergency' THEN 0.5 + 30 * {u('id', 5)} "
            f"WHEN 'urgent' THEN 1 + 36 * {u('id', 5)} ELSE 2 + 140 * {u('id', 5)} ^ 2 END"
        )
        zone = zone_sql("lg")
        local = f"(received_at AT TIME ZONE {zone})"
        working = "CASE urgency WHEN 'urgent' THEN 1 ELSE 3 END"
        # standards.response_due: 24 hours for an emergency; else 1 or 3 working days
        # (`core.workdays`) in the local government's zone, a start on a day off counting from
        # the next working day.
        due = (
            f"CASE urgency WHEN 'emergency' THEN received_at + interval '24 hours' ELSE "
            f"({local} + make_interval(days => (SELECT w.d FROM gen_work w WHERE w.n = "
            f"(SELECT c.next_n FROM gen_cal c WHERE c.d = {local}::date) + {working}) "
            f"- {local}::date)) AT TIME ZONE {zone} END"
        )
        children = pick("b.first_id + k - 1", 9, CHILDREN)
        # the case's moments and state, from its key and its age
        timeline = f"""SELECT z.*, v.code AS incident_region,
                CASE WHEN status = 'received' THEN NULL ELSE least({now},
                    received_at + make_interval(secs => round(hours * 3600))) END AS first_response_at
            FROM (SELECT y.*, {status} AS status, {due} AS response_due_at, {hours} AS hours,
                    CASE WHEN nvill > 0 AND {u("id", 7)} < 0.92
                        THEN floor({u("id", 8)} * nvill)::int END AS vill_k
                FROM (SELECT b.first_id + k - 1 AS id, b.lg, b.year, k AS seq, l.nvill, l.name,
                        l.next_lg, l.worker_id, l.worker2_id, l.supervisor_id,
                        date_trunc('second', b.t0 + (b.t1 - b.t0)
                            * ((k - 1 + {u("b.first_id + k - 1", 1)}) / b.n)) AS received_at,
                        {urgency} AS urgency, {children}::int AS nchild
                    FROM gen_block b JOIN gen_lg l ON l.lg = b.lg
                    CROSS JOIN LATERAL generate_series(1, b.n) k) y) z
            LEFT JOIN gen_village v ON v.lg = z.lg AND v.k = z.vill_k"""
        closing = f"""SELECT c.*, CASE WHEN status = 'closed' THEN {outcome} ELSE '' END AS outcome,
                CASE WHEN status = 'closed' THEN least({now}, first_response_at
                    + make_interval(days => 3 + floor(90 * {u("id", 10)})::int)) END AS closed_at
            FROM ({timeline}) c"""
        # what hangs on it: how many children, services and referrals, its types, its complaint
        case_u = {
            "nserv": (
                f"CASE WHEN status = 'received' THEN 0 WHEN status = 'assessed' "
                f"THEN (CASE WHEN {u('id', 30)} < 0.4 THEN 1 ELSE 0 END) "
                f"WHEN outcome IN ('withdrawn', 'unreachable') AND {u('id', 30)} < 0.5 THEN 0 "
                f"ELSE {pick('id', 31, [('1', 0.7), ('2', 0.22), ('3', 0.08)])}::int END"
            ),
            "nref": (
                f"CASE WHEN status = 'referred' THEN (CASE WHEN {u('id', 32)} < 0.1 THEN 2 ELSE 1 END) "
                f"WHEN outcome IN ('referred', 'transferred') THEN 1 "
                f"WHEN status IN ('in_service', 'closed') AND {u('id', 32)} < 0.06 THEN 1 ELSE 0 END"
            ),
            "type1": (
                f"CASE WHEN status = 'received' AND {u('id', 20)} < 0.3 THEN NULL "
                f"ELSE {pick('id', 21, TYPES)} END"
            ),
            "type2": f"CASE WHEN {u('id', 22)} < 0.3 THEN {pick('id', 23, SECOND_TYPES)} END",
            "has_complaint": f"{u('id', 24)} < 0.85",
            "channel": pick("id", 25, CHANNELS),
            "risk": pick("id", 26, RISKS),
            "place": pick("id", 28, PLACES),
        }
        self.temp_table(
            "gen_c",
            f"AS SELECT c.*, {', '.join(f'{v} AS {k}' for k, v in case_u.items())} "
            f"FROM ({closing}) c",
        )
        self._child_plan()
        self._complaints()
        self.insert(
            Case,
            {
                "id": "id",
                "local_government_id": "lg",
                "year": "year",
                "sequence": "seq",
                "number": "lpad(seq::text, greatest(4, length(seq::text)), '0') || '/PPA/' "
                "|| replace(lg, '.', '') || '/' || year",
                "complaint_id": "CASE WHEN has_complaint THEN id END",
                "channel": "channel",
                "status": "status",
                "urgency": "urgency",
                "risk": "risk",
                "received_at": "received_at",
                "response_due_at": "response_due_at",
                "first_response_at": "first_response_at",
                "incident_date": f"{self.local_day('received_at')} - floor(14 * {u('id', 27)})::int",
                "incident_place": "place",
                "incident_region_id": "incident_region",
                "chronology": self.pool("chronology", "id", 29),
                "supervisor_id": "supervisor_id",
                "outcome": "outcome",
                "closing_note": f"CASE WHEN status = 'closed' THEN {self.pool('closing', 'id', 33)} "
                "ELSE '' END",
                "closed_at": "closed_at",
            },
            "FROM gen_c",
        )
        self.insert(
            CaseType,
            {"id": "id * 2 + t.j", "case_id": "id", "type": "t.type"},
            "FROM gen_c CROSS JOIN LATERAL (VALUES (0, type1), (1, type2)) t(j, type) "
            "WHERE t.type IS NOT NULL AND NOT (t.j = 1 AND (type1 IS NULL OR t.type = type1))",
        )
        self.insert(
            Perpetrator,
            {
                "case_id": "id",
                "name": f"CASE WHEN {u('id', 40)} < 0.3 THEN {self.pool('perpetrator', 'id', 41)} "
                "ELSE '' END",
                "relationship": pick("id", 42, PERPETRATORS),
                "age": f"CASE WHEN {u('id', 43)} < 0.8 THEN 15 + floor(50 * {u('id', 44)}) END",
                "sex": pick("id", 45, [("L", 0.85), ("P", 0.12), ("", 0.03)]),
            },
            f"FROM gen_c WHERE {u('id', 46)} < 0.75",
        )
        self.insert(
            Case.workers.through,
            {
                "case_id": "id",
                "user_id": f"CASE WHEN worker2_id IS NULL THEN worker_id "
                f"WHEN {u('id', 47)} < {WORKER_SHARE} THEN {self.users[Role.CASE_WORKER].pk} "
                "ELSE worker2_id END",
            },
            "FROM gen_c",
        )

    def _complaints(self) -> None:
        """A complaint for 85 % of the cases (it came first and was taken: same channel, urgency,
        place and region), plus reports closed without a case (≈8 %) and a few recent ones
        nobody has taken yet."""
        # Tracking codes: the id scrambled by a bijection (times a prime, modulo the number of
        # codes) onto the codes of CODE_ALPHABET, so they are unique and look random.
        base = len(CODE_ALPHABET)
        scrambled = f"mod(c.cid * 1000000007, {base**8})"
        digits = [
            f"substr('{CODE_ALPHABET}', mod({scrambled} / {base**i}, {base})::int + 1, 1)"
            for i in range(8)
        ]
        now = literal(self.now)
        m = self.max_case
        # kind: (complaint id, received, public status, which cases)
        sources = {
            "taken": ("id", "received_at",
                      "CASE WHEN status = 'closed' THEN 'closed' ELSE 'in_handling' END",
                      "has_complaint"),
            "dismissed": (f"id + {m}", f"least({now}, received_at + interval '3 hours')",
                          "'closed'", f"{u('id', 50)} < 0.08"),
            "pending": (f"id + {2 * m}", f"greatest(received_at, {now} - interval '2 days')",
                        "'received'",
                        f"received_at > {now} - interval '10 days' AND {u('id', 51)} < 0.3"),
        }  # fmt: skip
        for kind, (cid, received, status, where) in sources.items():
            taken = kind == "taken"
            self.insert(
                Complaint,
                {
                    "id": "c.cid",
                    "local_government_id": "c.lg",
                    "tracking_code": " || ".join(digits[:4])
                    + " || '-' || "
                    + " || ".join(digits[4:]),
                    "channel": "c.channel" if taken else pick("c.cid", 52, CHANNELS[:3]),
                    "status": "c.public_status",
                    "received_at": "c.received",
                    "description": self.pool("description", "c.cid", 53),
                    "child_wording": f"c.channel = 'web' AND {u('c.cid', 54)} < 0.3",
                    "incident_date": f"{self.local_day('c.received')} - floor(7 * {u('c.cid', 55)})::int",
                    "incident_region_id": "c.incident_region",
                    "place": "c.place",
                    "child_name": "coalesce(nm.token, '')",
                    "child_age": f"floor(18 * sqrt({u('c.cid', 59)}))",
                    "child_sex": pick("c.cid", 60, [("P", 0.55), ("L", 0.4), ("", 0.05)]),
                    "reporter_relation": pick("c.cid", 61, RELATIONS),
                    "reporter_anonymous": "c.anonymous",
                    "reporter_name": "CASE WHEN c.anonymous THEN '' ELSE "
                    f"{self.pool('reporter', 'c.cid', 62)} END",
                    "reporter_contact": "CASE WHEN c.anonymous THEN '' ELSE "
                    f"{self.pool('contact', 'c.cid', 63)} END",
                    "recorded_by_id": "CASE WHEN c.channel <> 'web' THEN c.worker END",
                    "urgency": "c.urgency",
                    "risk": "c.risk" if taken else "''",
                    "triaged_at": "CASE WHEN c.public_status <> 'received' "
                    "THEN c.received + interval '1 hour' END",
                    "triaged_by_id": "CASE WHEN c.public_status <> 'received' THEN c.worker END",
                    "dismissed_reason": pick("c.cid", 65, DISMISSALS)
                    if kind == "dismissed"
                    else "''",
                },
                f"FROM (SELECT {cid} AS cid, {received} AS received, {status} AS public_status, "
                f"{u('id', 66)} < 0.2 AS anonymous, coalesce(worker2_id, worker_id) AS worker, "
                f"lg, channel, place, urgency, risk, incident_region FROM gen_c WHERE {where}) c "
                f"LEFT JOIN gen_name nm ON {u('c.cid', 57)} < 0.6 "
                f"AND nm.i = floor({u('c.cid', 58)} * {self.names})::int",
            )

    def _child_plan(self) -> None:
        """The children of the cases (staged), and their NIK tokens computed in a thread while
        PostgreSQL writes the cases: the encryption is the only CPU work on this side."""
        key = "c.id * 4 + j"
        self.temp_table(
            "gen_child",
            f"""AS SELECT x.*, CASE WHEN nik_ok THEN
                    ({self.local_day("received_at")} - make_interval(years => age)
                     - make_interval(days => floor(360 * {u("cid", 72)})::int))::date END AS birth,
                    replace(coalesce(left(address_region, 8), lg || '.01'), '.', '') AS kec
            FROM (SELECT {key} AS cid, c.id AS case_id, c.lg, c.received_at, c.nvill,
                    {pick(key, 70, [("P", 0.56), ("L", 0.42), ("", 0.02)])} AS sex,
                    CASE WHEN {u(key, 71)} < 0.96 THEN floor(18 * sqrt({u(key, 73)}))::int END AS age,
                    CASE WHEN c.nvill = 0 OR {u(key, 74)} < 0.05 THEN NULL
                        WHEN c.incident_region IS NOT NULL AND {u(key, 75)} < 0.75
                        THEN c.incident_region ELSE v.code END AS address_region,
                    floor({u(key, 76)} * {self.names})::int AS name_i,
                    {u(key, 77)} < 0.7 AS nik_wanted
                FROM gen_c c CROSS JOIN LATERAL generate_series(0, c.nchild - 1) j
                LEFT JOIN gen_village v ON v.lg = c.lg
                    AND v.k = floor({u(key, 78)} * greatest(c.nvill, 1))::int) x
            CROSS JOIN LATERAL (SELECT nik_wanted AND age IS NOT NULL AND sex <> '' AS nik_ok) n""",
        )
        self.sql("SELECT cid, kec, sex, birth FROM gen_child WHERE birth IS NOT NULL ORDER BY cid")
        wanted = self.cursor.fetchall()
        self.niks: list[tuple] = []
        self.nik_error: BaseException | None = None

        def work():
            try:
                self.niks.extend(_niks(wanted))
            except BaseException as exc:  # handed to the main thread at join
                self.nik_error = exc

        self.nik_thread = threading.Thread(target=work, daemon=True)
        self.nik_thread.start()

    def _children(self) -> None:
        """Children with their identity columns as real tokens: a pooled name (and its
        blind-index rows), and for most a NIK of their own (kecamatan of residence, date of
        birth, fictitious serial 9xxx) with its lookup hash, and their date of birth."""
        self.nik_thread.join()
        if self.nik_error is not None:
            raise self.nik_error
        self.temp_table("gen_nik", "(cid bigint, nik text, nik_hash text, birth text)", self.niks)
        self.niks.clear()
        self.insert(
            Child,
            {
                "id": "c.cid",
                "case_id": "c.case_id",
                "name": "m.token",
                "nik": "coalesce(k.nik, '')",
                "nik_hash": "coalesce(k.nik_hash, '')",
                "birth_date": "coalesce(k.birth, '')",
                "age": "c.age",
                "sex": "c.sex",
                "has_disability": f"{u('c.cid', 79)} < 0.04",
                "school": f"CASE WHEN c.age >= 6 AND {u('c.cid', 80)} < 0.7 "
                f"THEN {self.pool('school', 'c.cid', 81)} ELSE '' END",
                "address_region_id": "c.address_region",
                "address": f"CASE WHEN {u('c.cid', 82)} < 0.6 THEN {self.pool('address', 'c.cid', 83)} "
                "ELSE '' END",
            },
            "FROM gen_child c JOIN gen_name m ON m.i = c.name_i LEFT JOIN gen_nik k ON k.cid = c.cid",
        )
        self.insert(
            ChildNameToken,
            {
                "child_id": "c.cid",
                "case_id": "c.case_id",
                "local_government_id": "c.lg",
                "words": "t.words",
                "token": "t.token",
            },
            "FROM gen_child c JOIN gen_name_token t ON t.i = c.name_i",
        )

    def _services(self) -> None:
        """Services from the first response on (most for one child, some for the whole case),
        referrals with the guardian's consent before them (or, for one in twenty, its documented
        absence and the override), and the access log of who opened what."""
        key = "c.id * 4 + j"
        start = f"({self.local_day('coalesce(c.first_response_at, c.received_at)')})"
        self.insert(
            Service,
            {
                "id": key,
                "case_id": "c.id",
                "child_id": f"CASE WHEN c.nchild > 0 AND {u(key, 90)} < 0.7 "
                "THEN c.id * 4 + mod(j, c.nchild) END",
                "kind": f"CASE WHEN j = 0 THEN {pick(key, 91, FIRST_SERVICES)} "
                f"ELSE {pick(key, 92, LATER_SERVICES)} END",
                "date": f"least({start} + j * 7 + floor(5 * {u(key, 93)})::int, "
                f"'{self.today.isoformat()}'::date)",
                "provider": "'UPTD PPA ' || c.name",
                "notes": f"CASE WHEN {u(key, 94)} < 0.5 THEN {self.pool('note', key, 95)} ELSE '' END",
                "created_by_id": "coalesce(c.worker2_id, c.worker_id)",
            },
            "FROM gen_c c CROSS JOIN LATERAL generate_series(0, c.nserv - 1) j",
        )
        key = "c.id * 2 + j"
        self.insert(
            Referral,
            {
                "id": key,
                "case_id": "c.id",
                "kind": f"CASE WHEN c.outcome = 'transferred' OR {u(key, 100)} < 0.05 "
                "THEN 'transfer' ELSE 'referral' END",
                "institution": f"CASE WHEN c.outcome = 'transferred' OR {u(key, 100)} < 0.05 "
                f"THEN 'UPTD PPA ' || n.name ELSE "
                f"('{INSTITUTION_ARRAY}'::text[])[1 + floor({u(key, 101)} * {len(INSTITUTIONS)})::int] END",
                "target_local_government_id": f"CASE WHEN c.outcome = 'transferred' "
                f"OR {u(key, 100)} < 0.05 THEN c.next_lg END",
                "reason": self.pool("reason", key, 102),
                "status": f"CASE WHEN c.status = 'referred' THEN "
                f"{pick(key, 103, [('sent', 0.4), ('accepted', 0.6)])} "
                f"WHEN c.status = 'closed' THEN "
                f"{pick(key, 104, [('completed', 0.7), ('accepted', 0.15), ('declined', 0.15)])} "
                f"ELSE {pick(key, 105, [('sent', 0.4), ('accepted', 0.4), ('declined', 0.2)])} END",
                "feedback": f"CASE WHEN c.status = 'closed' THEN {self.pool('feedback', key, 106)} "
                "ELSE '' END",
                "consent_overridden": f"{u('c.id', 110)} >= 0.95",
                "override_reason": f"CASE WHEN {u('c.id', 110)} >= 0.95 "
                f"THEN {self.pool('unobtainable', 'c.id', 112)} ELSE '' END",
                "sent_on": f"least({start} + 2 + j * 10, '{self.today.isoformat()}'::date)",
                "created_by_id": "coalesce(c.worker2_id, c.worker_id)",
            },
            "FROM gen_c c JOIN gen_lg n ON n.lg = c.next_lg "
            "CROSS JOIN LATERAL generate_series(0, c.nref - 1) j",
        )
        self.insert(
            GuardianConsent,
            {
                "id": "c.id",
                "case_id": "c.id",
                "obtained": f"{u('c.id', 110)} < 0.95",
                "guardian_relation": pick("c.id", 111, GUARDIANS),
                "given_on": f"least({start} + 1, '{self.today.isoformat()}'::date)",
                "reason_unobtainable": f"CASE WHEN {u('c.id', 110)} < 0.95 THEN '' "
                f"ELSE {self.pool('unobtainable', 'c.id', 112)} END",
                "recorded_by_id": "coalesce(c.worker2_id, c.worker_id)",
            },
            "FROM gen_c c WHERE c.nref > 0",
        )
        # Who opened which case: once when responding, a second reading, search or export for
        # some; every fifth complaint opened as well.
        now = literal(self.now)
        key = "c.id * 2 + j"
        self.insert(
            AccessLog,
            {
                "id": key,
                "at": f"least({now}, coalesce(c.first_response_at, c.received_at) "
                f"+ make_interval(hours => 1 + j * 24 * floor(1 + 30 * {u(key, 120)})::int))",
                "user_id": f"CASE WHEN c.worker2_id IS NULL THEN c.worker_id "
                f"WHEN {u(key, 121)} < 0.5 THEN {self.users[Role.CASE_WORKER].pk} "
                f"ELSE c.supervisor_id END",
                "local_government_id": "c.lg",
                "kind": f"CASE WHEN j = 0 THEN 'open_case' ELSE "
                f"{pick(key, 122, [('open_case', 0.75), ('search', 0.15), ('export', 0.1)])} END",
                "case_id": "c.id",
            },
            f"FROM gen_c c CROSS JOIN LATERAL generate_series(0, "
            f"CASE WHEN {u('c.id', 123)} < 0.3 THEN 1 ELSE 0 END) j",
        )
        self.insert(
            AccessLog,
            {
                "id": f"{2 * self.max_case + 2} + m.id",
                "at": f"least({now}, m.received_at + interval '30 minutes')",
                "user_id": "coalesce(m.recorded_by_id, l.worker_id, l.worker2_id)",
                "local_government_id": "m.local_government_id",
                "kind": "'open_complaint'",
                "complaint_id": "m.id",
            },
            f"FROM protection_complaint m JOIN gen_lg l ON l.lg = m.local_government_id "
            f"WHERE {u('m.id', 124)} < 0.2",
        )

    # -- statistics facts --------------------------------------------------------------------

    def _facts(self) -> None:
        """VictimFact, CaseFact and CaseItemFact exactly as `statistics.derive` defines them."""
        self.temp_table(
            "gen_typebit", "(type text, bit int)", ((t, 1 << i) for i, t in enumerate(TYPE_BITS))
        )
        day = self.local_day("c.received_at", lg="c.local_government_id")
        area = "coalesce(ch.address_region_id, c.incident_region_id, '')"
        parts = f"array_length(string_to_array({area}, '.'), 1)"
        self.insert(
            VictimFact,
            {
                "local_government_id": "c.local_government_id",
                "case_id": "c.id",
                "received_on": day,
                "sex": "coalesce(ch.sex, '')",
                "age_group": "CASE WHEN ch.age BETWEEN 0 AND 5 THEN '0-5' WHEN ch.age BETWEEN 6 "
                "AND 12 THEN '6-12' WHEN ch.age BETWEEN 13 AND 17 THEN '13-17' ELSE '' END",
                "kecamatan": f"CASE WHEN {parts} >= 3 THEN split_part({area}, '.', 1) || '.' || "
                f"split_part({area}, '.', 2) || '.' || split_part({area}, '.', 3) ELSE '' END",
                "kelurahan": f"CASE WHEN {parts} = 4 THEN {area} ELSE '' END",
                "type_bits": "coalesce(t.bits, 0)",
                "served": "(sc.child_id IS NOT NULL OR cw.case_id IS NOT NULL)",
                "referred": "r.case_id IS NOT NULL",
            },
            """FROM protection_case c
            LEFT JOIN protection_child ch ON ch.case_id = c.id
            LEFT JOIN (SELECT ct.case_id, bit_or(b.bit) AS bits FROM protection_casetype ct
                JOIN gen_typebit b ON b.type = ct.type GROUP BY ct.case_id) t ON t.case_id = c.id
            LEFT JOIN (SELECT DISTINCT case_id FROM protection_service WHERE child_id IS NULL) cw
                ON cw.case_id = c.id
            LEFT JOIN (SELECT DISTINCT child_id FROM protection_service WHERE child_id IS NOT NULL)
                sc ON sc.child_id = ch.id
            LEFT JOIN (SELECT DISTINCT case_id FROM protection_referral WHERE status <> 'declined')
                r ON r.case_id = c.id
""",
        )
        self.insert(
            CaseFact,
            {
                "case_id": "c.id",
                "local_government_id": "c.local_government_id",
                "received_on": day,
                "outcome": "c.outcome",
                "closed": "c.status = 'closed'",
                # whole seconds, so float8 arithmetic gives Python's total_seconds() / 3600
                "hours_to_first_response": "extract(epoch FROM c.first_response_at - c.received_at)"
                "::float8 / 3600::float8",
                "within_target": "coalesce(c.first_response_at <= c.response_due_at, false)",
            },
            "FROM protection_case c",
        )
        for item, key, table in (
            (CaseItemFact.SERVICE, "x.kind", "protection_service"),
            (CaseItemFact.REFERRAL, "x.kind || ':' || x.status", "protection_referral"),
        ):
            self.insert(
                CaseItemFact,
                {
                    "case_id": "c.id",
                    "local_government_id": "c.local_government_id",
                    "received_on": day,
                    "item": f"'{item}'",
                    "key": "x.key",
                    "n": "x.n",
                },
                f"FROM (SELECT x.case_id, {key} AS key, count(*) AS n FROM {table} x "
                f"GROUP BY 1, 2) x JOIN protection_case c ON c.id = x.case_id",
            )

    def _fed_values(self) -> None:
        """Indicators 21–24: per sex × age group, the victims of the data year whose case has a
        type of the indicator (denominator) and how many were served (numerator); a cell without
        victims stays empty, as protection.feeds leaves it."""
        fed = self._fed_numbers()
        if not fed:
            return
        masks = " ".join(f"WHEN {n} THEN {FED_MASKS[n]}" for n in sorted(fed))
        self.insert(
            DataValue,
            {
                "submission_id": "s.id",
                "region_id": "s.lg",
                "sex": "v.sex",
                "age_group": "v.age_group",
                "numerator": "count(*) FILTER (WHERE v.served)",
                "denominator": "count(*)",
            },
            f"""FROM gen_sub s JOIN protection_victimfact v ON v.local_government_id = s.lg
                AND extract(year FROM v.received_on)::int = s.year - 1
            WHERE s.filled AND s.number IN ({", ".join(map(str, sorted(fed)))})
                AND v.type_bits & (CASE s.number {masks} END) <> 0
                AND v.sex IN ('L', 'P') AND v.age_group <> ''
            GROUP BY s.id, s.lg, v.sex, v.age_group""",
        )

    # -- evaluations -------------------------------------------------------------------------


def _niks(rows):
    """(child id, NIK token, NIK hash, birth-date token) for each child, NIKs unique: six
    digits of the kecamatan, DDMMYY (+40 on the day for girls), a fictitious serial 9xxx."""
    seen: set[str] = set()
    for cid, kec, sex, birth in rows:
        stem = f"{kec[:6]:0<6}{birth.day + (40 if sex == 'P' else 0):02d}{birth:%m%y}"
        for attempt in range(1000):
            nik = f"{stem}{9000 + (cid + attempt) % 1000:04d}"
            if nik not in seen:
                break
        else:  # a thousand children of one kecamatan born the same day: leave this one without
            continue
        seen.add(nik)
        yield cid, crypto.encrypt(nik), crypto.lookup_hash(nik), crypto.encrypt(birth.isoformat())
