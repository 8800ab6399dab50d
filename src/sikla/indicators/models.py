"""The KLA catalog as loaded from a versioned data file. Rows here are never edited by hand:
a new catalog version is a new file loaded with `sikla load-catalog`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryName(models.TextChoices):
    """The categories of PermenPPPA 12/2022, lowest first: a catalog's bounds may move, their
    names may not (the catalog loader refuses another name; the API lists them as an enum)."""

    PRATAMA = "Pratama", "Pratama"
    MADYA = "Madya", "Madya"
    NINDYA = "Nindya", "Nindya"
    UTAMA = "Utama", "Utama"
    KLA = "KLA", "KLA"


class MeasureType(models.TextChoices):
    AVAILABILITY = "availability", _("Ketersediaan")
    PERCENTAGE = "percentage", _("Persentase")
    COUNT = "count", _("Jumlah")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", _("Makin tinggi makin baik")
    LOWER_IS_BETTER = "lower_is_better", _("Makin rendah makin baik")


class DataLevel(models.TextChoices):
    VILLAGE = "village", _("Per desa/kelurahan")
    DISTRICT = "district", _("Per kecamatan")
    REGENCY = "regency", _("Kabupaten/kota")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Ya/tidak")
    CHOICE = "choice", _("Pilihan")
    PERCENTAGE = "percentage", _("Persentase")
    NUMBER = "number", _("Angka")


class CatalogVersion(models.Model):
    code = models.CharField(_("versi"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    instrument = models.CharField(_("instrumen"), max_length=255)
    source = models.TextField(_("sumber"))
    checksum = models.CharField(max_length=64)
    is_active = models.BooleanField(_("aktif"), default=False)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now=True)

    class Meta:
        verbose_name = _("versi katalog")
        verbose_name_plural = _("versi katalog")
        ordering = ["-is_active", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="catalog_one_active"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CategoryBound(models.Model):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="categories")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=20)
    name = models.CharField(max_length=40)
    min_score = models.DecimalField(max_digits=7, decimal_places=2)
    inclusive = models.BooleanField(default=False)
    # [{"question": "19.1", "min_points": "10", "reason": "..."}]: all must hold, or the
    # category is capped at the one below.
    prerequisites = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="category_unique_code"),
        ]

    def __str__(self) -> str:
        op = "≥" if self.inclusive else ">"
        return f"{self.name} ({op} {self.min_score})"


class Cluster(models.Model):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="clusters")
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (en)"), max_length=200)

    class Meta:
        verbose_name = _("klaster")
        verbose_name_plural = _("klaster")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="cluster_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.name}"

    @property
    def label(self) -> str:
        return "Kelembagaan" if self.number == 0 else f"Klaster {ROMAN[self.number]}"


ROMAN = {0: "0", 1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}


class Indicator(models.Model):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="indicators")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=255)
    name_en = models.CharField(_("nama (en)"), max_length=255)
    definition = models.TextField(_("definisi"))
    measure_type = models.CharField(_("jenis ukuran"), max_length=20, choices=MeasureType.choices)
    direction = models.CharField(_("arah"), max_length=20, choices=Direction.choices)
    data_level = models.CharField(_("tingkat data"), max_length=10, choices=DataLevel.choices)
    disaggregations = models.JSONField(_("disagregasi"), default=list)
    lead_agencies = models.JSONField(_("perangkat daerah pengampu"), default=list)
    max_points = models.DecimalField(_("nilai maksimum"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="indicator_unique_number"),
            models.CheckConstraint(condition=models.Q(max_points__gt=0), name="indicator_max_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Question(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(_("kode"), max_length=12)
    text = models.TextField(_("pertanyaan"))
    answer_type = models.CharField(_("jenis jawaban"), max_length=12, choices=AnswerType.choices)
    rubric = models.JSONField(_("rubrik"), default=dict)
    max_points = models.DecimalField(_("nilai maksimum"), max_digits=6, decimal_places=2)
    evidence = models.JSONField(_("bukti dukung"), default=list)
    # The answer is the indicator's headline percentage from the approved collection data.
    from_data = models.BooleanField(_("dari data"), default=False)

    class Meta:
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        ordering = ["indicator", "order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="question_unique_code"),
            models.CheckConstraint(
                condition=models.Q(max_points__gte=0), name="question_max_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"
