from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from partners.models import GoverningBody, Organisation


class StaticSitemap(Sitemap):
    def items(self):
        return ["home", "partners:directory", "partners:bodies", "accessibility"]

    def location(self, item):
        return reverse(item)


class OrganisationSitemap(Sitemap):
    def items(self):
        return Organisation.objects.listed().order_by("name").only("slug")


class BodySitemap(Sitemap):
    def items(self):
        return GoverningBody.objects.only("slug")


SITEMAPS = {"pages": StaticSitemap, "partners": OrganisationSitemap, "bodies": BodySitemap}
