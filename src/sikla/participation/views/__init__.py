"""Staff pages of the participation app: access → form → action → redirect or render.

Reading: everyone in scope (`Perm.VIEW_PLANNING`); changing: the secretariat
(`Perm.MANAGE_PARTICIPATION`). The public consultation pages are in public_views.py.

By noun: the overview (`overview.py`), Forum Anak (`forums.py`), consultation records
(`records.py`), public consultations (`consultations.py`), partners (`partners.py`); what they
share is in `common.py`.
"""

from .consultations import *  # noqa: F403
from .forums import *  # noqa: F403
from .overview import *  # noqa: F403
from .partners import *  # noqa: F403
from .records import *  # noqa: F403
