from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from diz_portal import caching

# Each app that has demo data adds its loader here, in dependency order.
LOADERS = [
    "partners.demo.load",
    "meetings.demo.load",
    "strategy.demo.load",
    "news.demo.load",
    "funding.demo.load",
    "reports.demo.load",
]


class Command(BaseCommand):
    help = "Load the DIZ demo partnership from the seeds (safe to run again: nothing is duplicated)."

    def handle(self, *args, **options):
        for path in LOADERS:
            import_string(path)(stdout=self.stdout)
        # Some demo rows are written without signals (dates set with update()): forget every page.
        caching.bump_all()
        call_command("rebuild_search_index", stdout=self.stdout)  # demo rows written in bulk, too
