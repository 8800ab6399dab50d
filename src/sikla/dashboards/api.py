"""The dashboards API: the children's profile (`api_profile.py`) and the public portal
(`api_portal.py`)."""

from ninja import Router

from .api_portal import router as portal
from .api_profile import router as profile

router = Router()
router.add_router("", profile)
router.add_router("", portal)
