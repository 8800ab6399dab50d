from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import health, metrics

app_name = "ops"
urlpatterns = [
    path("healthz", login_not_required(health.healthz), name="healthz"),
    path("readyz", login_not_required(health.readyz), name="readyz"),
    path("metrics", login_not_required(metrics.metrics), name="metrics"),
]
