from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from diz_portal.caching import watch

        # Every meetings record can show on a cached page or fragment (history rows cannot).
        for model in self.get_models():
            if not model.__name__.startswith("Historical"):
                watch(model, ["meetings"])
