from django.apps import AppConfig


class DizPortalConfig(AppConfig):
    name = "diz_portal"
    verbose_name = "Portal"
