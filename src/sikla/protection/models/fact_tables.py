"""The de-identified facts the statistics read, kept by `protection/facts.py`: derived from the
cases and rewritten whenever a case changes (`facts.refresh`); they never hold a name, NIK, date
of birth or free text. `sikla refresh-statistics` rebuilds them."""

from django.db import models

from .cases import Case
from .choices import ProtectionType

__all__ = [
    "TYPE_BITS",
    "type_bits",
    "VictimFact",
    "CaseFact",
    "CaseItemFact",
]


# Bit i of `VictimFact.type_bits` is TYPE_BITS[i]; new types go at the end of ProtectionType.
TYPE_BITS: tuple[str, ...] = tuple(ProtectionType.values)


def type_bits(types) -> int:
    """The bit mask of a set of protection type codes."""
    return sum(1 << TYPE_BITS.index(t) for t in set(types) if t in TYPE_BITS)


def _fact_local_government():
    return models.ForeignKey(
        "organisations.LocalGovernment",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # led by the (local_government, received_on) index
    )


class VictimFact(models.Model):
    """One child victim of a case, de-identified (a case without children counts as one victim
    of unknown sex and age). `type_bits` holds the case's types, bit i for `TYPE_BITS[i]`."""

    local_government = _fact_local_government()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_index=False)
    received_on = models.DateField()  # the local day the case was received
    sex = models.CharField(max_length=1, blank=True)
    age_group = models.CharField(max_length=5, blank=True)
    kecamatan = models.CharField(max_length=16, blank=True)
    kelurahan = models.CharField(max_length=20, blank=True)
    type_bits = models.IntegerField(default=0)
    served = models.BooleanField(default=False)
    referred = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Covering (PostgreSQL): a period's counts are an index-only range scan.
            models.Index(
                fields=["local_government", "received_on"],
                include=[
                    "sex",
                    "age_group",
                    "kecamatan",
                    "kelurahan",
                    "type_bits",
                    "served",
                    "referred",
                ],
                name="victimfact_lg_day_idx",
            ),
            models.Index(fields=["case"], name="victimfact_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.local_government_id} {self.received_on}"


class CaseFact(models.Model):
    """One case, de-identified: its day, outcome and first response."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
    local_government = _fact_local_government()
    received_on = models.DateField()
    outcome = models.CharField(max_length=14, blank=True)  # "" while open
    closed = models.BooleanField(default=False)
    hours_to_first_response = models.FloatField(null=True)  # None: still waiting
    within_target = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["local_government", "received_on"],
                include=["closed", "outcome", "hours_to_first_response", "within_target"],
                name="casefact_lg_day_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_government_id} {self.received_on}"


class CaseItemFact(models.Model):
    """How many services of a kind, or referrals of a (kind, status), a case has."""

    SERVICE = "service"
    REFERRAL = "referral"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_index=False)
    local_government = _fact_local_government()
    received_on = models.DateField()
    item = models.CharField(max_length=8)  # SERVICE or REFERRAL
    key = models.CharField(max_length=32)  # service kind, or "kind:status" of a referral
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["local_government", "received_on"],
                include=["item", "key", "n"],
                name="itemfact_lg_day_idx",
            ),
            models.Index(fields=["case"], name="itemfact_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.local_government_id} {self.item} {self.key}"
