"""De-identified protection statistics API. Being written: see the issue-5 commits."""

from ninja import Router

router = Router(tags=["perlindungan: statistik"])
