from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy and delivery plan"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from partners.models import Organisation, Partnership
        from strategy import caching, models

        # What the public strategy and project pages show: when any of it changes, their cached
        # copies go (strategy.caching).
        shown = [
            models.Strategy,
            models.StrategyVersion,
            models.Section,
            models.Endorsement,
            models.Workstream,
            models.Project,
            models.ProjectPartner,
            models.Milestone,
            models.ProgressUpdate,
            Organisation,
            Partnership,
        ]
        for model in shown:
            uid = f"strategy-public-{model.__name__}"
            post_save.connect(caching.changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(caching.changed, sender=model, dispatch_uid=f"{uid}-delete")
        for through in (models.ProgressUpdate.milestones_met.through, models.ProgressUpdate.milestones_slipped.through):
            m2m_changed.connect(caching.changed, sender=through, dispatch_uid=f"strategy-public-{through.__name__}")
