"""Funding's pages. `/funding/` and `/open-data/360giving.json` are stable interfaces (DESIGN.md)."""

from django.urls import path

from funding import views

app_name = "funding"
urlpatterns = [
    path("funding/", views.funding_secured, name="secured"),
    path("funding/pipeline/", views.pipeline, name="pipeline"),
    path("funding/bids/", views.bid_table, name="bids"),
    path("funding/figures/", views.figures_page, name="figures"),
    path("funding/bids/<int:pk>/", views.bid_detail, name="bid"),
    path("funding/awards/<int:pk>/", views.award_detail, name="award"),
    path("funding/awards/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("funding/documents/<int:pk>/download/", views.document_version, name="document_version"),
    path("funding/letters/<int:pk>/download/", views.letter, name="letter"),
    path("open-data/360giving.json", views.open_data_json, name="open_data_json"),
    path("open-data/360giving.csv", views.open_data_csv, name="open_data_csv"),
]
