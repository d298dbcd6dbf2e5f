from django.urls import path, re_path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^registers/(?P<key>[a-z-]+)\.(?P<fmt>csv|xlsx)$", views.register_export, name="register"),
    path("<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("documents/<int:pk>/download/", views.download, name="download"),
    path("<slug:slug>/", views.body_reports, name="body"),
    path("<slug:slug>/status/", views.body_status, name="status"),
]
