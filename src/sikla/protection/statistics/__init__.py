"""De-identified statistics of the unit's cases: what the page, the workbook, the API and the
cluster V feed all read. No row here ever carries a name, NIK, case number, date of birth or
free text; only codes, counts and the month.

Definitions (the same everywhere they are shown):

- A case counts when it was *received* in [start, end], both local dates (in the local
  government's own time zone, `core.localtime`) included.
- A *victim* is a `Child` row of such a case; a case with no child recorded yet counts as one
  victim of unknown sex and age, so a case is never lost from the totals.
- *Age group*: 0–5, 6–12, 13–17 (SIMFONI-PPA); no age recorded → "" (unknown).
- *Kelurahan*: the child's home kelurahan, else the case's incident kelurahan; its kecamatan is
  the first three parts of its code. Neither recorded → "".
- *Served*: the child has at least one service, or the case has a service not tied to a child
  (it serves every child of the case). A case without children is served when it has a service.
- *Referred*: the case has a referral or transfer that the receiving side did not decline.
- *Time to first response*: hours from receipt to the first response; *within target* when the
  first response came no later than the response deadline (`response_due_at`). Cases still
  without a response are counted apart ("menunggu respons"), not in the share.

Who may see which counts, and what is hidden from whom, is decided in one place:
`disclosure/`. The UPTD PPA see the exact counts of any range (`exact_report`); everyone else
sees the published counts of an ended month, quarter or year (`published_report`).

By what each part does: what is counted and how (`counting.py`), the report the page and the
API show (`report.py`), its workbook (`workbook.py`).
"""

from .counting import *  # noqa: F403
from .report import *  # noqa: F403
from .workbook import *  # noqa: F403
