"""Meetings' public and member pages, under /meetings/ (and seminars under /seminars/).

`/meetings/calendar.ics` is a stable interface (DESIGN.md), and reminder emails link to
`/meetings/actions/mine/`: keep both addresses."""

from django.urls import path

from meetings import feeds, views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/documents/", views.meeting_documents, name="documents"),
    path("meetings/<int:pk>/respond/", views.meeting_respond, name="respond"),
    path("meetings/items/<int:pk>/declare/", views.item_declare, name="declare"),
    path("meetings/items/<int:pk>/papers/add/", views.paper_add, name="paper_add"),
    path("meetings/papers/<int:pk>/replace/", views.paper_replace, name="paper_replace"),
    path("meetings/papers/<int:pk>/download/", views.paper_download, name="paper_download"),
    path("meetings/papers/versions/<int:pk>/download/", views.paper_version_download, name="paper_version_download"),
    path("meetings/documents/<int:pk>/download/", views.document_download, name="document_download"),
    # Calendar feeds and the page that explains them.
    path("meetings/calendar.ics", feeds.public_feed, name="calendar_public"),
    path("meetings/calendar/", views.calendar_page, name="calendar"),
    path("meetings/calendar/replace/", views.calendar_replace, name="calendar_replace"),
    path("meetings/calendar/private/<str:token>.ics", feeds.private_feed, name="calendar_private"),
    path("meetings/calendar/<slug:slug>.ics", feeds.body_feed, name="calendar_body"),
    # Actions and decisions.
    path("meetings/actions/", views.action_list, name="actions"),
    path("meetings/actions/mine/", views.my_actions, name="my_actions"),
    path("meetings/actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("meetings/decisions/", views.decision_list, name="decisions"),
    path("meetings/declarations/", views.declaration_list, name="declarations"),
    path("meetings/forward-plan/propose/", views.forward_plan_propose, name="propose_item"),
    path("meetings/interests/", views.interest_register, name="interest_register"),
    path("meetings/interests/mine/", views.my_interests, name="my_interests"),
    # Smart Place Seminars.
    path("seminars/", views.seminar_list, name="seminars"),
    path("seminars/files/<int:pk>/download/", views.seminar_file, name="seminar_file"),
    path("seminars/<slug:slug>/", views.seminar_detail, name="seminar"),
    path("seminars/<slug:slug>/report/", views.seminar_report, name="seminar_report"),
]
