"""Staff API of the UPTD PPA: cases and services. Being written: see the issue-5 commits."""

from ninja import Router

router = Router(tags=["perlindungan: kasus"])
