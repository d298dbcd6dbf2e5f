from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("partners/", views.directory, name="directory"),
    path("partners/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("governance/", views.body_list, name="bodies"),
    path("governance/<slug:slug>/", views.body_detail, name="body"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accounts/invitation/<int:pk>/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
