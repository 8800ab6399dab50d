"""The planning API: meetings and follow-ups (`api_meetings.py`), the action plan (`api_plan.py`)."""

from ninja import Router

from .api_meetings import router as meetings
from .api_plan import router as plan

router = Router()
router.add_router("", meetings)
router.add_router("", plan)
