"""`sikla generate-national`: national-size SYNTHETIC data for benchmarks, in minutes.

What it makes (scale 1): the 514 kab/kota with their agencies, ten evaluation years of periods and
submissions, data values at each indicator's own level and disaggregations, an evaluation per
period with its stages, answers, reviews and frozen stage results, and 1 M fictitious
child-protection cases skewed to one kab/kota (Kab. Aceh Utara 11.08: 50 000; seven other large
ones 30 000–45 000), with complaints, children, perpetrators, services, referrals, consents,
workers, the access log and the de-identified statistics facts. Plus the benchmark accounts.

Why it looks like this:

- The Kota Kupang demo writes through the actions: seconds for its 18 cases; a million cases
  that way would take days. Here every table is one or two set-based statements (`INSERT … SELECT` over
  `generate_series` and small staging tables) or a COPY, all in ONE transaction: a failure leaves
  the database as it was, and the refusal ("this database holds data") stays true.
- Randomness is a hash of the row's own key (`hashint8extended`), never `random()`: the same scale
  gives the same data on every run whatever plan PostgreSQL picks, and a child can be derived from
  its case without looking anything up.
- Ids are computed, not read back: a case's children are `case.id * 4 + j`, its services
  `case.id * 4 + j`, its linked complaint `case.id`, an evaluation the id of its period. Each table
  is then a single statement with no join back to find its parent; sequences are reset at the end.
- Django's foreign keys are deferred and checked row by row at commit: about 40 M checks here,
  3–4 minutes. When the database role may, the session runs as a replica
  (`session_replication_role`), which skips those per-row triggers, and every foreign key of the
  tables written is then checked once, set-based (an anti-join), before the commit.
- Identities are real Fernet tokens (pages decrypt them): a small pool of fictitious names and
  texts is encrypted once and reused; each child with a NIK gets its own (fictitious serial 9xxx,
  unique), hashed with `crypto.lookup_hash`; names get their blind-index rows (`ChildNameToken`).
- The statistics facts are written in SQL that follows `statistics.derive` line by line; the
  tests compare `counts` with `tabulate(extract(...))` on generated data. Indicators 21–24 take
  their values from those facts, as the cluster V feed would offer them.
- Evaluations are scored by the real engine (`evaluation.scoring`) in Python, from the generated
  answers and data, so every stored total equals what the pages recompute.

`--scale` multiplies the volumes (cases and all that hangs on them) and the years (ten at 1, never
fewer than two: a determined year and an open one); the kab/kota are always all of them. Not made:
evidence files, task forces, plans and meetings, case transitions and the audit trail of the rows
(the five accounts have theirs).
"""

from .generator import (
    Refused,
    Report,
    check_password,
    generate,
    plan,
    refusal,
    write_password,
)

__all__ = ["Refused", "Report", "check_password", "generate", "plan", "refusal", "write_password"]
