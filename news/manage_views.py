"""The programme manager's pages for the public site, under /manage/site/: news (draft, scheduled,
published, with a preview and history), the pages' text, the newsletter (compose, preview, a test
to themselves, send, progress) and its subscribers (export, delete). Publishing goes through
news.services, which keeps the history."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from diz_portal.forms import apply_validation_error
from news import services
from news.forms import DeclineForm, IssueForm, NewsItemForm, PageForm
from news.models import (
    IssueStatus,
    JoinRequest,
    JoinRequestStatus,
    NewsItem,
    NewsletterIssue,
    Page,
    Subscriber,
    SubscriberStatus,
)
from partners.models import Partnership
from partners.permissions import programme_manager_required

SUBSCRIBERS_PAGE_SIZE = 100
EDITABLE_PAGES = {"about": "About the partnership", "privacy": "Privacy notice"}


@programme_manager_required
def index(request):
    subscribers = Subscriber.objects.aggregate(
        confirmed=Count("pk", filter=Q(status=SubscriberStatus.CONFIRMED)),
        pending=Count("pk", filter=Q(status=SubscriberStatus.PENDING)),
    )
    return render(
        request,
        "news/manage/index.html",
        {
            "items": NewsItem.objects.order_by("-published_at", "-pk").only("title", "slug", "status", "published_at")[
                :50
            ],
            "pages": {page.slug: page for page in Page.objects.all()},
            "editable_pages": EDITABLE_PAGES,
            "issues": NewsletterIssue.objects.order_by("-pk")[:20],
            "subscribers": subscribers,
            "join_requests_waiting": JoinRequest.objects.filter(status=JoinRequestStatus.PENDING).count(),
        },
    )


def _news_form(request, item: NewsItem):
    aims = Partnership.current().aims
    form = NewsItemForm(request.POST or None, request.FILES or None, instance=item, aims=aims)
    preview = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        record = form.save(commit=False)
        if action == "preview":
            preview = record
        else:
            try:
                if action == "publish":
                    services.publish(record=record, at=form.cleaned_data["publish_at"], by=request.user)
                elif action == "unpublish" and record.pk:
                    services.unpublish(record=record, by=request.user)
                else:
                    services.save_news_item(item=record, by=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"“{record.title}” is {record.state}.")
                return redirect("manage_news:index")
    return render(request, "news/manage/news_form.html", {"form": form, "item": item, "preview": preview})


@programme_manager_required
def news_create(request):
    return _news_form(request, NewsItem())


@programme_manager_required
def news_edit(request, pk):
    return _news_form(request, get_object_or_404(NewsItem, pk=pk))


@programme_manager_required
def news_history(request, pk):
    item = get_object_or_404(NewsItem, pk=pk)
    changes = item.history.select_related("history_user").order_by("-history_date")[:100]
    return render(request, "news/manage/history.html", {"record": item, "changes": changes})


@programme_manager_required
def page_edit(request, slug):
    if slug not in EDITABLE_PAGES:
        raise Http404
    page = Page.objects.filter(slug=slug).first() or Page(slug=slug, title=EDITABLE_PAGES[slug])
    form = PageForm(request.POST or None, instance=page)
    preview = None
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        if request.POST.get("action") == "preview":
            preview = record
        else:
            services.save_page(page=record, by=request.user)
            if request.POST.get("action") == "publish":
                services.publish(record=record, by=request.user)
            messages.success(request, f"{record.title}: saved ({record.state}).")
            return redirect("manage_news:index")
    return render(request, "news/manage/page_form.html", {"form": form, "page": page, "preview": preview})


# --- The newsletter --------------------------------------------------------------------------


def _issue_form(request, issue: NewsletterIssue):
    if issue.status != IssueStatus.DRAFT:
        return redirect("manage_news:issue", pk=issue.pk)
    form = IssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        try:
            issue = form.save(commit=False)
            services.save_issue(issue=issue, by=request.user)
            form.save_m2m()
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Saved. Preview it, send yourself a test, then send it.")
            return redirect("manage_news:issue", pk=issue.pk)
    return render(request, "news/manage/issue_form.html", {"form": form, "issue": issue})


@programme_manager_required
def issue_create(request):
    return _issue_form(request, NewsletterIssue())


@programme_manager_required
def issue_edit(request, pk):
    return _issue_form(request, get_object_or_404(NewsletterIssue, pk=pk))


@programme_manager_required
def issue_detail(request, pk):
    """The issue as readers will see it, with test and send buttons and, while it is being sent,
    its progress (the page's #progress fragment refreshes itself)."""
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    return render(
        request,
        "news/manage/issue_detail.html",
        {
            "issue": issue,
            "news_items": issue.news_items.all(),
            "progress": services.progress(issue),
            "recipients": Subscriber.objects.confirmed().count(),
        },
    )


@programme_manager_required
@require_POST
def issue_test(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    services.send_test(issue=issue, to=request.user)
    messages.success(request, f"A test copy went to {request.user.email}.")
    return redirect("manage_news:issue", pk=issue.pk)


@programme_manager_required
@require_POST
def issue_send(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    issue = services.start_sending(issue=issue, by=request.user)
    messages.success(request, "Sending: the page shows how many have gone.")
    return redirect("manage_news:issue", pk=issue.pk)


# --- Subscribers -----------------------------------------------------------------------------


@programme_manager_required
def subscribers(request):
    page = Paginator(Subscriber.objects.order_by("email"), SUBSCRIBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "news/manage/subscribers.html", {"page": page, "filter_query": ""})


@programme_manager_required
def subscribers_export(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subscribers-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["email", "status", "consent", "consented_at", "source", "confirmed_at", "unsubscribed_at"])
    for person in Subscriber.objects.order_by("email"):
        writer.writerow(
            [
                _safe_cell(person.email),
                person.status,
                _safe_cell(person.consent_text),
                person.consented_at.isoformat(),
                _safe_cell(person.source),
                person.confirmed_at.isoformat() if person.confirmed_at else "",
                person.unsubscribed_at.isoformat() if person.unsubscribed_at else "",
            ]
        )
    return response


def _safe_cell(value: str) -> str:
    # A spreadsheet runs a cell that starts with =, +, - or @ as a formula.
    return f"'{value}" if value[:1] in {"=", "+", "-", "@"} else value


@programme_manager_required
@require_POST
def subscriber_delete(request, pk):
    person = get_object_or_404(Subscriber, pk=pk)
    services.delete_subscriber(subscriber=person)
    messages.success(request, f"{person.email} and everything kept about them were deleted.")
    return redirect("manage_news:subscribers")


# --- Requests to join ------------------------------------------------------------------------


@programme_manager_required
def join_requests(request):
    pending = JoinRequest.objects.filter(status=JoinRequestStatus.PENDING).order_by("received_at")
    answered = JoinRequest.objects.exclude(status=JoinRequestStatus.PENDING).order_by("-decided_at")[:50]
    return render(request, "news/manage/join_requests.html", {"pending": pending, "answered": answered})


@programme_manager_required
def join_request_detail(request, pk):
    join_request = get_object_or_404(JoinRequest, pk=pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "accept":
                join_request = services.accept_join_request(join_request=join_request, by=request.user)
                messages.success(
                    request,
                    f"{join_request.organisation_name} is a prospective partner; "
                    f"{join_request.contact_name} has been invited to the portal.",
                )
                return redirect("manage_news:join_requests")
            if form.is_valid():
                services.decline_join_request(
                    join_request=join_request, reply=form.cleaned_data["reply"], by=request.user
                )
                messages.success(request, f"Declined; your reply is on its way to {join_request.contact_email}.")
                return redirect("manage_news:join_requests")
        except ValidationError as error:
            apply_validation_error(form, error, default_field=None)
    return render(request, "news/manage/join_request.html", {"join_request": join_request, "form": form})
