"""The public site's pages: news, about, privacy, the newsletter (archive, subscribe, confirm,
unsubscribe, a subscriber's data). The programme manager's pages are in manage_views.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from diz_portal import structured_data
from diz_portal.caching import public_page
from diz_portal.spam import over_limit
from news import services
from news.forms import ContactForm, JoinForm, SubscribeForm
from news.models import NewsItem, NewsletterIssue, Subscriber
from news.permissions import get_news_item_for_user, get_page, get_sent_issue
from partners.models import GoverningBody, Membership, Partnership, Role

NEWS_PAGE_SIZE = 10
ARCHIVE_PAGE_SIZE = 20


@public_page("news")
def news_list(request):
    items = NewsItem.objects.live().order_by("-published_at", "-pk")
    page = Paginator(items, NEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "news/news_list.html", {"page": page, "filter_query": ""})


@public_page("news")
def news_item(request, slug):
    item = get_news_item_for_user(request.user, slug)
    partnership = Partnership.current()
    aims = [(n, partnership.aims[n - 1]) for n in item.aims if 0 < n <= len(partnership.aims)]
    return render(
        request,
        "news/news_item.html",
        {
            "item": item,
            "aims": aims,
            "structured_data": structured_data.news_article(item, request=request, partnership=partnership),
        },
    )


@public_page("partners", "news")
def about(request):
    partnership = Partnership.current()
    seats = (
        Membership.objects.current()
        .filter(role__in=[Role.CHAIR, Role.VICE_CHAIR])
        .with_people()
        .order_by("body__display_order", "body__name", "role", "person__name")
    )
    return render(
        request,
        "news/about.html",
        {
            "page": get_page("about"),
            "bodies": GoverningBody.objects.order_by("display_order", "name"),
            "leaders": seats,
            "structured_data": structured_data.organisation(partnership, request=request),
        },
    )


@public_page("news")
def privacy(request):
    return render(request, "news/privacy.html", {"page": get_page("privacy")})


# --- The newsletter --------------------------------------------------------------------------


# No CSRF token: the page (form and archive) is the same for every visitor and is cached whole. A
# forged subscription gains nothing: the address's owner must still follow the emailed link, and
# the honeypot, time stamp and rate limits apply as to any other.
@csrf_exempt
@public_page("news")
def newsletter(request):
    """The archive of sent issues and the form to subscribe (which posts here)."""
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.looks_like_a_bot() and not over_limit(
            request, action="newsletter_subscribe", key=form.cleaned_data["email"].lower()
        ):
            services.subscribe(email=form.cleaned_data["email"], source=request.build_absolute_uri())
        return redirect("news:subscribed")
    issues = NewsletterIssue.objects.filter(status="sent").order_by("-sent_at", "-pk")
    page = Paginator(issues, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "news/newsletter.html", {"form": form, "page": page, "filter_query": ""})


@public_page("news")
def subscribed(request):
    return render(request, "news/subscribed.html")


@public_page("news")
def newsletter_issue(request, slug):
    issue = get_sent_issue(slug)
    return render(request, "news/issue.html", {"issue": issue, "news_items": issue.news_items.live()})


def _subscriber_from_link(pk: int, purpose: str, token: str) -> Subscriber | None:
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not subscriber.token_matches(purpose, token):
        return None
    return subscriber


def confirm(request, pk, token):
    subscriber = _subscriber_from_link(pk, "confirm", token)
    if subscriber is None:
        return render(request, "news/link_invalid.html", status=404)
    try:
        services.confirm(subscriber=subscriber)
    except ValidationError as error:
        return render(request, "news/link_invalid.html", {"reason": error.messages[0]}, status=410)
    return render(request, "news/confirmed.html", {"subscriber": subscriber})


@csrf_exempt  # mail clients post the one-click unsubscribe (RFC 8058) with no cookie; the token is the credential
def unsubscribe(request, pk, token):
    """GET shows one button (link checkers in mail systems follow links, so a GET changes
    nothing); POST, from that button or a mail client's one-click unsubscribe, unsubscribes."""
    subscriber = _subscriber_from_link(pk, "manage", token)
    if subscriber is None:
        return render(request, "news/link_invalid.html", status=404)
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber)
        return render(request, "news/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "news/unsubscribe.html", {"subscriber": subscriber})


@csrf_exempt  # reached from an email link; the token is the credential
def my_data(request, pk, token):
    subscriber = _subscriber_from_link(pk, "manage", token)
    if subscriber is None:
        raise Http404
    if request.method == "POST":
        services.delete_subscriber(subscriber=subscriber)
        messages.success(request, "Your subscription and everything we kept about it have been deleted.")
        return redirect("news:newsletter")
    return render(
        request,
        "news/my_data.html",
        {"subscriber": subscriber, "data": services.subscriber_data(subscriber), "portal_name": settings.PORTAL_NAME},
    )


# --- Get involved and contact ----------------------------------------------------------------


def _public_form(request, form_class, *, template, email_field, done, save):
    """A public form: bots are thanked and ignored, people over the rate limit told to wait."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.looks_like_a_bot():
            return redirect(done)
        if over_limit(request, action="public_message", key=form.cleaned_data[email_field].lower()):
            form.add_error(None, "You have sent several messages in the last hour. Please try again later.")
        else:
            fields = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "started")}
            save(**fields)
            return redirect(done)
    return render(request, template, {"form": form})


# No CSRF token on these public forms (the pages are cached whole): a forged submission gains
# nothing over a real one, and the same bot checks and limits apply.
@csrf_exempt
@public_page("news")
def get_involved(request):
    return _public_form(
        request,
        JoinForm,
        template="news/get_involved.html",
        email_field="contact_email",
        done="news:join_thanks",
        save=services.ask_to_join,
    )


@public_page("news")
def join_thanks(request):
    return render(request, "news/thanks.html", {"heading": "Thank you for asking to join", "kind": "join"})


@csrf_exempt
@public_page("news")
def contact(request):
    return _public_form(
        request,
        ContactForm,
        template="news/contact.html",
        email_field="email",
        done="news:contact_thanks",
        save=services.send_contact_message,
    )


@public_page("news")
def contact_thanks(request):
    return render(request, "news/thanks.html", {"heading": "Your message has been sent", "kind": "contact"})
