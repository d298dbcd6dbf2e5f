from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News, newsletter and public pages"

    def ready(self):
        from diz_portal.caching import watch
        from news import checks  # noqa: F401 -- registers the system checks

        # What public pages show: news, the pages' text, key facts and the newsletter's archive.
        # Subscribers and deliveries appear on no public page.
        for name in ["NewsItem", "Page", "KeyFact", "NewsletterIssue"]:
            watch(self.get_model(name), ["news"])
        _announce_strategy_and_funding_changes()

        from diz_portal import search

        search.connect_signals()  # the site search's index (news.SearchEntry) follows every change


def _announce_strategy_and_funding_changes():
    """The home page and the sitemap (cached under the "funding" topic) show funding secured. The
    funding app keeps a cache of its own; these receivers (with their own dispatch ids, so that a
    `watch` it adds later is not shadowed) bump the shared topic when an award changes."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from diz_portal.caching import bump

    watched = {"funding": ["Award"]}  # strategy/apps.py watches its own records
    for app_label, names in watched.items():
        if not apps.is_installed(app_label):
            continue
        for name in names:
            model = apps.get_model(app_label, name)

            def changed(sender, topic=app_label, raw=False, **kwargs):
                if not raw:
                    bump(topic)

            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"news-home-{model._meta.label}-save")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"news-home-{model._meta.label}-del")
