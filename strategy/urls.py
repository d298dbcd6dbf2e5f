"""The strategy's public and partner pages. `/strategy/`, `/strategy/feed.atom` and
`/open-data/endorsements.{csv,json}` are stable interfaces (DESIGN.md): keep these addresses."""

from django.urls import path

from strategy import views

app_name = "strategy"
urlpatterns = [
    path("strategy/", views.index, name="index"),
    path("strategy/feed.atom", views.feed, name="feed"),
    path("strategy/versions/<str:label>/", views.version_detail, name="version"),
    path("strategy/versions/<str:label>/document/", views.version_document, name="version_document"),
    path("strategy/compare/", views.diff_choose, name="diff_choose"),
    path("strategy/compare/<str:old>/<str:new>/", views.diff, name="diff"),
    path("strategy/evidence/<int:pk>/", views.evidence, name="evidence"),
    path("strategy/partners/<slug:slug>/", views.partner, name="partner"),
    path("strategy/kits/<int:pk>/request/", views.kit_request, name="kit_request"),
    path("strategy/kits/documents/<int:pk>/download/", views.kit_download, name="kit_download"),
    path("strategy/amendments/", views.amendments, name="amendments"),
    path("strategy/amendments/new/", views.amendment_new, name="amendment_new"),
    path("open-data/endorsements.csv", views.endorsements_csv, name="endorsements_csv"),
    path("open-data/endorsements.json", views.endorsements_json, name="endorsements_json"),
]
