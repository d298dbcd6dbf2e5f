"""The programme manager's strategy pages, under /manage/strategy/."""

from django.urls import path

from strategy import manage_views as views

app_name = "manage_strategy"
urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("versions/new/", views.version_create, name="version_create"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/consult/", views.version_consult, name="version_consult"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("amendments/<int:pk>/", views.amendment_answer, name="amendment_answer"),
]
