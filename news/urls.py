"""The public site's addresses. /about/, /news/, /news/feed.atom, /newsletter/ and /privacy/ are
stable interfaces (DESIGN.md); subscribers' links (confirm, unsubscribe, their data) are in emails
already sent: keep them."""

from django.urls import path

from diz_portal.caching import public_page
from news import feeds, views

app_name = "news"
urlpatterns = [
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("get-involved/", views.get_involved, name="get_involved"),
    path("get-involved/thank-you/", views.join_thanks, name="join_thanks"),
    path("contact/", views.contact, name="contact"),
    path("contact/thank-you/", views.contact_thanks, name="contact_thanks"),
    path("news/", views.news_list, name="list"),
    path("news/feed.atom", public_page("news")(feeds.NewsFeed()), name="feed"),
    path("news/<slug:slug>/", views.news_item, name="item"),
    path("newsletter/", views.newsletter, name="newsletter"),
    path("newsletter/thank-you/", views.subscribed, name="subscribed"),
    path("newsletter/confirm/<int:pk>/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/unsubscribe/<int:pk>/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/your-data/<int:pk>/<str:token>/", views.my_data, name="my_data"),
    path("newsletter/<slug:slug>/", views.newsletter_issue, name="issue"),
]
