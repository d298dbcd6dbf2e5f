from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"

    def ready(self):
        from diz_portal.caching import watch

        # Published awards show on cached public pages (/funding/, the open data, the home page);
        # organisations' names there are the "partners" topic, which those pages also name.
        for model in self.get_models():
            if not model.__name__.startswith("Historical"):
                watch(model, ["funding"])
