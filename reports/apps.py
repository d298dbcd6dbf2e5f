from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Dashboards and Board reports"

    def ready(self):
        from django.apps import apps

        from diz_portal.caching import watch

        watch(self.get_model("Report"), ["reports"])
        watch(self.get_model("ReportRequest"), ["reports"])
        # Invitations show on the programme manager's dashboard, and the partners app does not
        # announce them to diz_portal.caching (its own ready() is the better home for this).
        watch(apps.get_model("partners", "Invitation"), ["invitations"])
