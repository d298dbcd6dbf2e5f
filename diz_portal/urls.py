from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from diz_portal import health, views
from diz_portal.caching import public_page
from diz_portal.sitemaps import SITEMAPS

# The admin signs in through allauth, so its second factor and rate limits apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = f"{settings.PORTAL_NAME} administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "sitemap.xml",
        public_page("partners", "meetings", "news", "strategy", "funding")(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("", include("partners.urls")),
    path("", include("meetings.urls")),
    path("", include("funding.urls")),
    path("", include("news.urls")),
    path("manage/meetings/", include("meetings.manage_urls")),
    path("manage/funding/", include("funding.manage_urls")),
    path("", include("strategy.urls")),
    path("", include("strategy.projects_urls")),
    path("manage/strategy/", include("strategy.manage_urls")),
    path("manage/site/", include("news.manage_urls")),
    path("manage/", include("partners.manage_urls")),
    path("reports/", include("reports.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_BARE_VIEW:
    urlpatterns.append(path("bench/bare", views.bare, name="bench_bare"))
