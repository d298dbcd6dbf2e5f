from django.core.management.base import BaseCommand

from diz_portal.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the site search's index (PostgreSQL; after data written in bulk, without signals)."

    def handle(self, *args, **options):
        self.stdout.write(f"Search index: {rebuild_index()} records.")
