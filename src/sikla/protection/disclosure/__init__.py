"""Disclosure control: the one rule by which a de-identified protection count may leave the UPTD
PPA (issue 13, point 1). The statistics page, its workbook and API, the public portal, the
children's profile and the cluster V values all publish through `published` here.

Who sees what
    The UPTD PPA (case workers and supervisors of the local government) see the unit's exact
    counts for any range of days: they hold the cases anyway. Everyone else — the other roles
    of the local government, evaluators, the public — sees the *published* counts of a whole,
    completed calendar month, quarter or year, never of a day range and never of a period still
    running (so no window can be walked day by day, and no count moves while being watched).

What is hidden
    1. *Primary*: every cell, total or margin from 1 to 4 (`THRESHOLD`). Zero is published.
    2. *Complementary*: the counts are linked — a total is the sum of its cells, a margin of its
       row, a kecamatan of its kelurahan, a quarter of its months, a year of its quarters, the
       months of a year or quarter are its monthly table. For every such line (a total and its
       cells), either nothing in it is hidden, or at least two of its terms are, and when its
       total is published the hidden cells add up to at least `THRESHOLD`: "total minus the
       published cells" then never gives one hidden cell, nor a sum below 5.
    3. *Time*: a month, quarter or year is published only once it has ended, and the hiding of
       a year is decided month by month in order: the hiding of the months (and quarters) that
       had ended stays what it was when the next month ends; only counts of the newly ended
       periods are hidden to protect the new lines. Overlapping windows are therefore
       consistent: a quarter minus two of its months, or a year minus its quarters, meets the
       same rule as any other line. (The cube is recomputed from the records: a late correction
       of an old case changes the counts it touches, as it must.)
    4. Every kecamatan and kelurahan of the kab/kota is listed, with 0 where there is none, so
       that a listed name says nothing by being there.

A hidden count is shown as "x" (`HIDDEN`): it may be 1–4, or a larger count hidden to protect
one. Percentages and the median response time are shown only when the counts they come from
are published.

By noun: the periods and who sees exact counts (`periods.py`), the rule that hides linked
counts and what can be worked out from them (`rule.py`), the counts of a year and their lines
(`cube.py`), what an ended period publishes, built once per change (`publishing.py`).
"""

from .cube import *  # noqa: F403
from .periods import *  # noqa: F403
from .publishing import *  # noqa: F403
from .rule import *  # noqa: F403
