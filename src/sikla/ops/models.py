from django.db import models


class PeriodicRun(models.Model):
    """One row per periodic job and local day: the unique pair is what makes "once a day" hold
    when several workers on several machines look at the clock together."""

    name = models.CharField(max_length=64)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "day"], name="periodic_run_once_a_day")
        ]
        ordering = ["-day", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
