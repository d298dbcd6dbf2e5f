from django.apps import AppConfig


class DizPortalConfig(AppConfig):
    name = "diz_portal"
    verbose_name = "Portal"

    def ready(self):
        from diz_portal.caching import watch

        # Documents lists (and their "being prepared" state) are cached fragments.
        watch(self.get_model("GeneratedDocument"), ["documents"])
