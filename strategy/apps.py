from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy and delivery plan"

    def ready(self):
        from diz_portal.caching import watch

        # Every strategy record can show on a cached page (history rows cannot); organisations'
        # names and the partnership's aims are the "partners" topic, which the pages also name.
        for model in self.get_models():
            if not model.__name__.startswith("Historical"):
                watch(model, ["strategy"])
