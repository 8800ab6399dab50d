"""Every state change of the protection module: keyword-only, checking the rule, writing the
audit row (never an identity: case numbers, codes and field names only), in one transaction —
by the noun it serves: reports (`complaints.py`), a case's record and workflow (`cases.py`), its
children and alleged perpetrators (`children.py`), services, consent and referrals
(`services.py`), the end of retention (`retention.py`); what they share is in `common.py`.

Reads of identities are logged by `log_access`, called from the fetch helpers in access.py.
"""

from .cases import *  # noqa: F403
from .children import *  # noqa: F403
from .common import *  # noqa: F403
from .complaints import *  # noqa: F403
from .retention import *  # noqa: F403
from .services import *  # noqa: F403
