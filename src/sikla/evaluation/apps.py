from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sikla.evaluation"
    label = "evaluation"
    verbose_name = "Evaluasi"
