from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Dashboards and Board reports"

    def ready(self):
        from django.apps import apps

        from diz_portal.caching import watch

        watch(self.get_model("Report"), ["reports"])
        watch(self.get_model("ReportRequest"), ["reports"])
        # Records the dashboards show that their own apps do not announce to diz_portal.caching
        # yet (their apps' ready() is the better home, once they cache pages themselves; strategy
        # does). A second watch of a model is harmless: watch() connects once per model.
        watch(apps.get_model("partners", "Invitation"), ["invitations"])
        for model in apps.get_app_config("funding").get_models():
            if not model.__name__.startswith("Historical"):
                watch(model, ["funding"])
