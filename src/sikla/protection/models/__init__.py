"""Child protection (UPTD PPA): complaints, cases, children, perpetrators, services, referrals,
guardian consent, and the append-only access log — by noun: the code lists (`choices.py`),
reports and cases (`cases.py`), the access log (`access_log.py`), the de-identified facts the
statistics read (`fact_tables.py`).

Code lists follow SIMFONI-PPA so the data can be reported there (KLA-REFERENCE.md §4). Every
identity — a child's or a reporter's name, NIK, date of birth, address, school, and every free text
that may carry one — is an `EncryptedTextField`; the NIK is found through a keyed hash. The
`__str__` of every model here is safe to print: a case number or a code, never a name.
"""

from .access_log import *  # noqa: F403
from .cases import *  # noqa: F403
from .choices import *  # noqa: F403
from .fact_tables import *  # noqa: F403
