from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "seals"
    verbose_name = "印章使用和管理"
