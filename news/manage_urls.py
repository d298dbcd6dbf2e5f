"""The programme manager's pages for the public site, under /manage/site/ (second factor required)."""

from django.urls import path

from news import manage_views as views

app_name = "manage_news"
urlpatterns = [
    path("", views.index, name="index"),
    path("news/new/", views.news_create, name="news_create"),
    path("news/<int:pk>/edit/", views.news_edit, name="news_edit"),
    path("news/<int:pk>/history/", views.news_history, name="news_history"),
    path("pages/<slug:slug>/edit/", views.page_edit, name="page_edit"),
    path("newsletter/new/", views.issue_create, name="issue_create"),
    path("newsletter/<int:pk>/", views.issue_detail, name="issue"),
    path("newsletter/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("newsletter/<int:pk>/test/", views.issue_test, name="issue_test"),
    path("newsletter/<int:pk>/send/", views.issue_send, name="issue_send"),
    path("join-requests/", views.join_requests, name="join_requests"),
    path("join-requests/<int:pk>/", views.join_request_detail, name="join_request"),
    path("subscribers/", views.subscribers, name="subscribers"),
    path("subscribers/export.csv", views.subscribers_export, name="subscribers_export"),
    path("subscribers/<int:pk>/delete/", views.subscriber_delete, name="subscriber_delete"),
]
