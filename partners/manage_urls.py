"""Management pages for the programme manager, under /manage/ (second factor required)."""

from django.urls import path

from partners import views

app_name = "manage"
urlpatterns = [
    path("", views.manage_index, name="index"),
    path("organisations/", views.manage_organisations, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/history/", views.organisation_history, name="organisation_history"),
    path("organisations/<slug:slug>/archive/", views.organisation_archive, name="organisation_archive"),
    path("organisations/<slug:slug>/restore/", views.organisation_restore, name="organisation_restore"),
    path("people/", views.manage_people, name="people"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/resend-invitation/", views.person_resend_invitation, name="person_resend_invitation"),
    path("bodies/<slug:slug>/members/", views.body_memberships, name="body_memberships"),
    path("bodies/<slug:slug>/members/add/", views.membership_create, name="membership_create"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("memberships/<int:pk>/change-representative/", views.membership_replace, name="membership_replace"),
]
