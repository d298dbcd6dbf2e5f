"""Meetings management pages for the programme manager, under /manage/meetings/ (second factor
required, like every page under /manage/)."""

from django.urls import path  # noqa: F401

app_name = "manage_meetings"
urlpatterns: list = []
