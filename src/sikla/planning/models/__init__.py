"""Planning models: task-force meetings and follow-ups (`meetings.py`), the action plan
(`plan.py`)."""

from .meetings import *  # noqa: F403
from .plan import *  # noqa: F403
