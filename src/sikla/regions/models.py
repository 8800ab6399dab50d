from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten/Kota")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Desa/Kelurahan")


# The level of a Kemendagri code is its length.
LEVEL_BY_LENGTH = {2: Level.PROVINCE, 5: Level.REGENCY, 8: Level.DISTRICT, 13: Level.VILLAGE}


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


class Region(models.Model):
    """An administrative region keyed by its Kemendagri code (`53`, `53.71`, `53.71.01.1001`).

    Descendants are a prefix match on `code`; on PostgreSQL the primary key gets Django's
    `varchar_pattern_ops` twin index (`regions_region_code_..._like`), which serves
    `code LIKE '53.71.%'`.
    """

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    population_male = models.PositiveIntegerField(_("penduduk laki-laki"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("penduduk perempuan"), null=True, blank=True)
    population = models.PositiveIntegerField(_("jumlah penduduk"), null=True, blank=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "code"], name="region_level_code_idx"),
            models.Index(fields=["name"], name="region_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="region_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_kelurahan(self) -> bool:
        """Urban villages have a fourth part starting with 1; rural desa with 2."""
        return self.level == Level.VILLAGE and self.code.rsplit(".", 1)[1].startswith("1")

    @property
    def is_city(self) -> bool:
        return self.level == Level.REGENCY and self.name.startswith("Kota ")

    @property
    def kind_label(self) -> str:
        if self.level == Level.VILLAGE:
            return str(_("Kelurahan") if self.is_kelurahan else _("Desa"))
        if self.level == Level.REGENCY:
            return str(_("Kota") if self.is_city else _("Kabupaten"))
        return str(self.get_level_display())

    def ancestor_codes(self) -> list[str]:
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]
