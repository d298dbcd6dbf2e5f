"""Meetings' public and member pages, under /meetings/ (and seminars under /seminars/)."""

from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
]
