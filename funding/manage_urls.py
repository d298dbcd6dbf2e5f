"""The programme manager's funding pages, under /manage/funding/ (second factor required)."""

from django.urls import path

from funding import manage_views as views

app_name = "manage_funding"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("funders/add/", views.funder_create, name="funder_create"),
    path("funders/<int:pk>/", views.funder_edit, name="funder_edit"),
    path("opportunities/add/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/decide/", views.opportunity_decide, name="opportunity_decide"),
    path("bids/add/", views.bid_create, name="bid_create"),
    path("bids/<int:pk>/", views.bid_edit, name="bid_edit"),
    path("bids/<int:pk>/sign-off/", views.bid_sign_off, name="bid_sign_off"),
    path("bids/<int:pk>/move/", views.bid_move, name="bid_move"),
    path("bids/<int:pk>/contributions/add/", views.contribution_add, name="contribution_add"),
    path("contributions/<int:pk>/", views.contribution_edit, name="contribution_edit"),
    path("bids/<int:pk>/documents/add/", views.document_add, name="document_add"),
    path("documents/<int:pk>/replace/", views.document_replace, name="document_replace"),
    path("bids/<int:pk>/award/", views.award_create, name="award_create"),
    path("awards/<int:pk>/", views.award_edit, name="award_edit"),
    path("awards/<int:pk>/claims/add/", views.claim_add, name="claim_add"),
    path("claims/<int:pk>/", views.claim_edit, name="claim_edit"),
    path("awards/<int:pk>/allocations/add/", views.allocation_add, name="allocation_add"),
    path("allocations/<int:pk>/", views.allocation_edit, name="allocation_edit"),
    path("awards/<int:pk>/reports/add/", views.report_add, name="report_add"),
    path("reports/<int:pk>/", views.report_edit, name="report_edit"),
]
