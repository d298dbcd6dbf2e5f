"""Meetings management pages for the programme manager, under /manage/meetings/ (second factor
required, like every page under /manage/)."""

from django.urls import path

from meetings import manage_views as views

app_name = "manage_meetings"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:pk>/generate/", views.series_generate, name="series_generate"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:pk>/end/", views.series_end, name="series_end"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("forward-plan/", views.forward_plan, name="forward_plan"),
    path("forward-plan/new/", views.forward_propose, name="forward_propose"),
    path("forward-plan/<int:pk>/accept/", views.forward_accept, name="forward_accept"),
    path("forward-plan/<int:pk>/defer/", views.forward_defer, name="forward_defer"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action_complete"),
    path("seminars/", views.seminars, name="seminars"),
    path("seminars/new/", views.seminar_create, name="seminar_create"),
    path("seminars/<int:pk>/edit/", views.seminar_edit, name="seminar_edit"),
    path("seminars/<int:pk>/history/", views.seminar_history, name="seminar_history"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda/add/", views.item_add, name="item_add"),
    path("<int:pk>/agenda/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/agenda/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/agenda/supplement-notice/", views.send_supplement_notice, name="send_supplement_notice"),
    path("<int:pk>/notice/", views.send_notice, name="send_notice"),
    path("<int:pk>/email/", views.message_members, name="message_members"),
    path("<int:pk>/agenda/reorder/", views.agenda_reorder, name="agenda_reorder"),
    path("<int:pk>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path("<int:pk>/documents/rebuild/", views.documents_rebuild, name="documents_rebuild"),
    path("<int:pk>/papers/", views.papers, name="papers"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes/circulate/", views.minutes_circulate, name="minutes_circulate"),
    path("<int:pk>/minutes/decisions/<int:decision_pk>/edit/", views.decision_edit, name="decision_edit"),
    path("<int:pk>/minutes/decisions/<int:decision_pk>/delete/", views.decision_delete, name="decision_delete"),
    path("<int:pk>/minutes/actions/<int:action_pk>/edit/", views.action_edit, name="action_edit"),
    path("<int:pk>/minutes/actions/<int:action_pk>/delete/", views.action_delete, name="action_delete"),
    path("<int:pk>/minutes/approve-previous/", views.minutes_approve_previous, name="minutes_approve_previous"),
]
