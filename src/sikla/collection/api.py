"""The collection API (issue 3 item 9): being written; mounted at /api/v1/."""

from ninja import Router

router = Router(tags=["pengumpulan data"])
