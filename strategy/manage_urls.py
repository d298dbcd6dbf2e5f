"""The programme manager's strategy pages, under /manage/strategy/."""

from django.urls import path

from strategy import delivery_views
from strategy import manage_views as views

app_name = "manage_strategy"
urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("versions/new/", views.version_create, name="version_create"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/consult/", views.version_consult, name="version_consult"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("amendments/<int:pk>/", views.amendment_answer, name="amendment_answer"),
    # The delivery plan.
    path("workstreams/", delivery_views.workstreams, name="workstreams"),
    path("workstreams/<int:pk>/edit/", delivery_views.workstream_edit, name="workstream_edit"),
    path("projects/new/", delivery_views.project_edit, name="project_new"),
    path("projects/<slug:slug>/edit/", delivery_views.project_edit, name="project_edit"),
    path("projects/<slug:slug>/milestones/new/", delivery_views.milestone_add, name="milestone_add"),
    path("projects/<slug:slug>/partners/add/", delivery_views.project_partner_add, name="project_partner_add"),
    path("milestones/<int:pk>/edit/", delivery_views.milestone_edit, name="milestone_edit"),
    path("ideas/weights/", delivery_views.weights, name="weights"),
    path("agenda-links/new/", delivery_views.agenda_link, name="agenda_link"),
]
