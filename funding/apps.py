from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"

    def ready(self):
        from diz_portal.caching import watch, watch_m2m

        # Published awards show on cached public pages (/funding/, the open data, the home page);
        # organisations' names there are the "partners" topic, which those pages also name.
        for model in self.get_models():
            if not model.__name__.startswith("Historical"):
                watch(model, ["funding"])
        # Linking a bid to a project saves no model.
        watch_m2m(self.get_model("Bid").projects.through, ["funding"])
