from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"

    def ready(self):
        # The public funding page and the open data are cached; any change to what they show
        # (through a service, the admin or a shell) starts a new generation. Only the cache is
        # touched here: no record is changed by a signal.
        from django.db.models.signals import post_delete, post_save

        from funding import models, opendata
        from partners.models import Organisation

        def changed(**kwargs):
            opendata.changed()

        for model in (models.Funder, models.Opportunity, models.Bid, models.Award, models.Allocation, Organisation):
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"funding-opendata-{model.__name__}-save")
            post_delete.connect(
                changed, sender=model, weak=False, dispatch_uid=f"funding-opendata-{model.__name__}-delete"
            )
