from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy and delivery plan"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from partners.models import Organisation, Partnership
        from strategy import caching, models

        # What the public strategy pages show: when any of it changes, their cached copies go.
        for model in (
            models.Strategy,
            models.StrategyVersion,
            models.Section,
            models.Endorsement,
            Organisation,
            Partnership,
        ):
            post_save.connect(caching.changed, sender=model, dispatch_uid=f"strategy-public-{model.__name__}-save")
            post_delete.connect(caching.changed, sender=model, dispatch_uid=f"strategy-public-{model.__name__}-delete")
