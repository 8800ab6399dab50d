"""The public complaint API (no login, rate-limited). Being written: see the issue-5 commits."""

from ninja import Router

router = Router(tags=["pengaduan publik"])
