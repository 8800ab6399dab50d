"""The figures behind the yearly children's profile (Profil Anak) that SIKLA does not hold
elsewhere: how many children live in each kecamatan, by sex and age group, in a data year, with
the source they were taken from (e.g. Disdukcapil's consolidated population data).

One `ChildPopulation` per local government and data year carries the source; its
`ChildPopulationFigure` rows hold one count per kecamatan × sex × age group. Everything else in
the profile is read from the other modules when it is built (`profile.py`).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from sikla.collection.models import AgeGroup, Sex
from sikla.core.models import PublicIdModel

DISTRICT_CODE_LENGTH = 8  # 53.71.04
SEXES = [Sex.MALE, Sex.FEMALE]
AGE_GROUPS = [AgeGroup.EARLY, AgeGroup.MIDDLE, AgeGroup.TEEN]


class ChildPopulation(PublicIdModel):
    """The population figures of one data year, with their source."""

    local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="child_populations",
    )
    year = models.PositiveSmallIntegerField(_("tahun data"))
    source = models.CharField(_("sumber data"), max_length=255)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disimpan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("jumlah anak per tahun data")
        verbose_name_plural = _("jumlah anak per tahun data")
        ordering = ["local_government_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_government", "year"], name="childpopulation_one_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="childpopulation_year_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=""), name="childpopulation_source_given"
            ),
        ]

    def __str__(self) -> str:
        return f"Jumlah anak {self.year} {self.local_government_id}"


class ChildPopulationFigure(models.Model):
    """The number of children of one sex and age group living in one kecamatan."""

    population = models.ForeignKey(
        ChildPopulation, on_delete=models.CASCADE, related_name="figures"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    age_group = models.CharField(_("kelompok umur"), max_length=5, choices=AgeGroup.choices)
    count = models.PositiveIntegerField(_("jumlah anak"))

    class Meta:
        verbose_name = _("jumlah anak per kecamatan")
        verbose_name_plural = _("jumlah anak per kecamatan")
        ordering = ["population", "region_id", "sex", "age_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["population", "region", "sex", "age_group"],
                name="childpopulationfigure_one_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=[s.value for s in SEXES]),
                name="childpopulationfigure_sex_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(age_group__in=[a.value for a in AGE_GROUPS]),
                name="childpopulationfigure_age_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(models.lookups.Exact(Length("region_id"), DISTRICT_CODE_LENGTH)),
                name="childpopulationfigure_district",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=0), name="childpopulationfigure_count_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.sex} {self.age_group}: {self.count}"
