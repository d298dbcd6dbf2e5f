"""Use-cases of the public site: publishing news and pages, the newsletter's subscriptions (double
opt-in, unsubscribe, a subscriber's data) and sending an issue to every subscriber exactly once.

Sending an issue: `start_sending` records one Delivery per confirmed subscriber, in numbered
batches, in the same transaction that marks the issue "sending", and queues a task per batch after
commit. `send_batch` sends each of its batch's queued deliveries while holding that delivery's row
lock, and marks it sent in the same transaction: a retried batch, the same batch run twice at once,
or the sweep (`resume_unfinished_issues`, run by beat) after a worker died or Redis restarted, all
find the row sent and skip it. The one window left is between the mail server accepting a message
and our commit (a worker killed in that instant); each copy carries a Message-ID fixed per issue and
subscriber, so a receiving system can recognise that copy as a repeat.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from diz_portal import markdown, publishing
from diz_portal.mail import send_once
from diz_portal.mail import subject as email_subject
from diz_portal.queue import enqueue, send_task_now
from news.models import (
    ContactMessage,
    Delivery,
    DeliveryStatus,
    IssueStatus,
    JoinRequest,
    JoinRequestStatus,
    KeyFact,
    NewsItem,
    NewsletterIssue,
    Page,
    Subscriber,
    SubscriberStatus,
)
from partners.models import OrganisationType, Partnership

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
CONFIRMATION_VALID_DAYS = 7
# A pending subscriber asking again within this time is not sent a second confirmation email.
CONFIRMATION_RESEND_AFTER = timedelta(hours=1)
MAX_ATTEMPTS = 5
CONSENT_TEXT = (
    "I would like to receive the {name} newsletter by email. I can unsubscribe at any time from a link in "
    "every email, and ask for the data kept about me or for its deletion."
)


def _as(instance, by):
    instance._history_user = by
    return instance


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- Facts about the place -------------------------------------------------------------------


def key_facts() -> list[dict]:
    """The place in numbers: districts and counties counted from the partner directory,
    population and businesses summed from the districts' records where they hold them, and the
    partnership's own figures (KeyFact) for the rest. Two queries, whatever the data's size."""
    from partners.models import Organisation

    places = Q(org_type=OrganisationType.DISTRICT_COUNCIL)
    counted = Organisation.objects.listed().aggregate(
        districts=Count("pk", filter=places),
        counties=Count("pk", filter=Q(org_type=OrganisationType.COUNTY_COUNCIL)),
        population=Sum("population", filter=places),
        businesses=Sum("businesses", filter=places),
    )
    labels = {"districts": "districts", "counties": "counties", "population": "people", "businesses": "businesses"}
    facts, seen = [], set()
    stored = {fact.key: fact for fact in KeyFact.objects.all()}
    for key, label in labels.items():
        value = counted[key]
        if value:
            facts.append({"key": key, "value": f"{value:,}", "label": label, "from_partners": True})
            seen.add(key)
        elif key in stored:
            facts.append({"key": key, "value": stored[key].value, "label": stored[key].label, "from_partners": False})
            seen.add(key)
    facts += [
        {"key": f.key, "value": f.value, "label": f.label, "from_partners": False}
        for f in stored.values()
        if f.key not in seen
    ]
    return facts


# --- News and pages --------------------------------------------------------------------------


def save_news_item(*, item: NewsItem, by) -> NewsItem:
    item.full_clean()
    if item.created_by_id is None:
        item.created_by = by
    _as(item, by).save()
    return item


def publish(*, record: NewsItem | Page, at=None, by) -> NewsItem | Page:
    """Publish now, or at `at` (scheduled). Keeps the history."""
    if isinstance(record, NewsItem) and record.created_by_id is None:
        record.created_by = by
    return publishing.publish(record=record, at=at, by=by)


def unpublish(*, record: NewsItem | Page, by) -> NewsItem | Page:
    return publishing.unpublish(record=record, by=by)


def save_page(*, page: Page, by) -> Page:
    page.full_clean()
    _as(page, by).save()
    return page


# --- Subscriptions ---------------------------------------------------------------------------


def consent_text() -> str:
    return CONSENT_TEXT.format(name=f"{Partnership.current().short_name} Matters")


def subscribe(*, email: str, source: str, now=None) -> Subscriber | None:
    """Record a request to subscribe and send the confirmation link (double opt-in).

    A new address: a pending subscriber with the consent's words, time and source, and one
    confirmation email. Someone unsubscribed: pending again, with the new consent. Already
    subscribed, or pending with a confirmation sent within the hour: nothing is written or sent
    (returns None). The caller shows the same words in every case, so the page never reveals who
    is subscribed."""
    now = now or timezone.now()
    email = email.strip()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=email, consent_text=consent_text(), consented_at=now, source=source[:200]
                    )
            except IntegrityError:  # the same address, a moment earlier, in another request
                return None
        elif subscriber.status == SubscriberStatus.CONFIRMED or (
            subscriber.status == SubscriberStatus.PENDING and subscriber.consented_at > now - CONFIRMATION_RESEND_AFTER
        ):
            return None
        else:
            subscriber.status = SubscriberStatus.PENDING
            subscriber.consent_text = consent_text()
            subscriber.consented_at = now
            subscriber.source = source[:200]
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["status", "consent_text", "consented_at", "source", "unsubscribed_at"])
        from news import tasks

        enqueue(tasks.send_confirmation, subscriber.pk)
    return subscriber


def send_confirmation(*, subscriber_id: int) -> bool:
    """The double opt-in email, at most once per consent given."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status=SubscriberStatus.PENDING).first()
    if subscriber is None:
        return False
    partnership = Partnership.current()
    body = render_to_string(
        "news/email/confirm.txt",
        {
            "subscriber": subscriber,
            "partnership": partnership,
            "confirm_url": site_url(subscriber.confirm_url()),
            "valid_days": CONFIRMATION_VALID_DAYS,
        },
    )
    sent = send_once(
        key=f"news.confirm:{subscriber.pk}:{subscriber.consented_at.timestamp():.0f}",
        to=subscriber.email,
        subject=email_subject(f"Confirm your subscription to {partnership.short_name} Matters"),
        body=body,
    )
    if sent:
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=timezone.now())
    return sent


def confirm(*, subscriber: Subscriber, now=None) -> Subscriber:
    """The link in the confirmation email was followed. Raises ValidationError if it is too old."""
    now = now or timezone.now()
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    if subscriber.status != SubscriberStatus.PENDING:
        raise ValidationError("This subscription was cancelled. Subscribe again to get a new link.")
    if subscriber.consented_at < now - timedelta(days=CONFIRMATION_VALID_DAYS):
        raise ValidationError(
            f"This link has expired (links work for {CONFIRMATION_VALID_DAYS} days). Subscribe again to get a new one."
        )
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = now
    subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber


def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop every future email (queued copies of an issue being sent included)."""
    with transaction.atomic():
        if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
            subscriber.status = SubscriberStatus.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["status", "unsubscribed_at"])
        subscriber.deliveries.filter(status=DeliveryStatus.QUEUED).delete()
    return subscriber


def subscriber_data(subscriber: Subscriber) -> dict:
    """Everything kept about a subscriber, as they may ask for it (and the export gives it)."""
    return {
        "email": subscriber.email,
        "status": subscriber.get_status_display(),
        "consent": subscriber.consent_text,
        "consented_at": subscriber.consented_at.isoformat(),
        "source": subscriber.source,
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
        "unsubscribed_at": subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else "",
        "issues_sent": subscriber.deliveries.filter(status=DeliveryStatus.SENT).count(),
    }


def delete_subscriber(*, subscriber: Subscriber) -> None:
    """Erase the subscriber and their delivery records (issues already sent keep their totals)."""
    subscriber.delete()


# --- Newsletter issues -----------------------------------------------------------------------


def save_issue(*, issue: NewsletterIssue, by) -> NewsletterIssue:
    if issue.pk and NewsletterIssue.objects.filter(pk=issue.pk).exclude(status=IssueStatus.DRAFT).exists():
        raise ValidationError("This issue has been sent; it can no longer be changed.")
    issue.full_clean()
    if issue.created_by_id is None:
        issue.created_by = by
    _as(issue, by).save()
    return issue


def build_issue_email(*, issue: NewsletterIssue, to: str, unsubscribe_url: str | None, message_id: str | None):
    """The issue as an email: a plain-text part and an HTML part, with the one-click unsubscribe
    headers (RFC 8058) when sent to a subscriber."""
    partnership = Partnership.current()
    context = {
        "issue": issue,
        "partnership": partnership,
        "body_html": markdown.render(issue.body, styled=False),
        "body_text": issue.body,
        "news_items": list(issue.news_items.all()),
        "unsubscribe_url": unsubscribe_url,
        "archive_url": site_url(issue.get_absolute_url()),
        "site_url": settings.SITE_URL,
    }
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message_id:
        headers["Message-ID"] = message_id
    message = EmailMultiAlternatives(
        subject=email_subject(issue.subject),
        body=render_to_string("news/email/issue.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(render_to_string("news/email/issue.html", context), "text/html")
    return message


def send_test(*, issue: NewsletterIssue, to) -> None:
    """A copy to the programme manager, marked as a test, no unsubscribe headers."""
    build_issue_email(issue=issue, to=to.email, unsubscribe_url=None, message_id=None).send()
    issue.test_sent_at = timezone.now()
    issue.save(update_fields=["test_sent_at", "updated_at"])


def start_sending(*, issue: NewsletterIssue, by) -> NewsletterIssue:
    """Record a delivery per confirmed subscriber and queue the batches. Locks the issue so that
    pressing Send twice records the deliveries once."""
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != IssueStatus.DRAFT:
            return issue
        subscriber_ids = list(Subscriber.objects.confirmed().order_by("pk").values_list("pk", flat=True))
        Delivery.objects.bulk_create(
            Delivery(issue=issue, subscriber_id=pk, batch=index // BATCH_SIZE)
            for index, pk in enumerate(subscriber_ids)
        )
        issue.status = IssueStatus.SENDING
        issue.send_started_at = timezone.now()
        _as(issue, by).save(update_fields=["status", "send_started_at", "updated_at"])
        from news import tasks

        batches = sorted({index // BATCH_SIZE for index in range(len(subscriber_ids))})
        for batch in batches:
            enqueue(tasks.send_issue_batch, issue.pk, batch)
        if not batches:
            transaction.on_commit(lambda: finish_if_done(issue_id=issue.pk))
    return issue


def send_batch(*, issue_id: int, batch: int) -> int:
    """Send this batch's queued deliveries; returns how many went now. Safe to run twice, or at
    once in two workers: each delivery is sent under its row lock and marked sent with it. A
    failure leaves the delivery queued (its attempts counted) and re-raises so the task retries."""
    sent = 0
    issue = NewsletterIssue.objects.get(pk=issue_id)
    ids = list(
        Delivery.objects.filter(issue_id=issue_id, batch=batch, status=DeliveryStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "localhost"
    failure = None
    for pk in ids:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(of=("self",))
                .select_related("subscriber")
                .filter(pk=pk, status=DeliveryStatus.QUEUED)
                .first()
            )
            if delivery is None:  # sent by another run, or the subscriber left
                continue
            subscriber = delivery.subscriber
            try:
                build_issue_email(
                    issue=issue,
                    to=subscriber.email,
                    unsubscribe_url=site_url(subscriber.unsubscribe_url()),
                    message_id=f"<newsletter-{issue.pk}-{subscriber.pk}@{domain}>",
                ).send()
            except Exception as error:  # the mail server refused or was unreachable
                failure = error
                delivery.attempts += 1
                delivery.error = str(error)[:300]
                if delivery.attempts >= MAX_ATTEMPTS:
                    delivery.status = DeliveryStatus.FAILED
                delivery.save(update_fields=["attempts", "error", "status"])
                continue
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.attempts += 1
            delivery.save(update_fields=["status", "sent_at", "attempts"])
            sent += 1
    finish_if_done(issue_id=issue_id)
    if failure is not None:
        raise failure
    return sent


def finish_if_done(*, issue_id: int) -> bool:
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue_id)
        if issue.status != IssueStatus.SENDING:
            return issue.status == IssueStatus.SENT
        if issue.deliveries.filter(status=DeliveryStatus.QUEUED).exists():
            return False
        issue.status = IssueStatus.SENT
        issue.sent_at = timezone.now()
        issue.save(update_fields=["status", "sent_at", "updated_at"])
    return True


def progress(issue: NewsletterIssue) -> dict:
    counts = issue.deliveries.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
    )
    return counts


def resume_unfinished_issues(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Periodic sweep: queue again every batch that still has unsent copies of an issue that has
    been sending for a while (its task was lost with Redis, or its worker died). Re-queuing a batch
    that is in fact running is harmless: the row locks make the second run skip what is sent."""
    cutoff = timezone.now() - older_than
    pending = (
        Delivery.objects.filter(
            issue__status=IssueStatus.SENDING, issue__send_started_at__lt=cutoff, status=DeliveryStatus.QUEUED
        )
        .values_list("issue_id", "batch")
        .distinct()
    )
    from news import tasks

    count = 0
    for issue_id, batch in pending:
        send_task_now(tasks.send_issue_batch, issue_id, batch)
        count += 1
    for issue_id in NewsletterIssue.objects.filter(status=IssueStatus.SENDING, send_started_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        finish_if_done(issue_id=issue_id)
    return count


UNCONFIRMED_KEPT_DAYS = 30


def delete_unconfirmed_subscribers(*, now=None) -> int:
    """Addresses never confirmed are kept 30 days (the privacy notice says so), then deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=UNCONFIRMED_KEPT_DAYS)
    deleted, _ = Subscriber.objects.filter(status=SubscriberStatus.PENDING, consented_at__lt=cutoff).delete()
    return deleted


# --- Get involved and contact ----------------------------------------------------------------


def ask_to_join(**fields) -> JoinRequest:
    """Record an organisation's request to join and tell the programme team (once, by a worker)."""
    request = JoinRequest(**fields)
    request.full_clean()
    request.save()
    from news import tasks

    enqueue(tasks.tell_programme_team, "join", request.pk)
    return request


def send_contact_message(**fields) -> ContactMessage:
    message = ContactMessage(**fields)
    message.full_clean()
    message.save()
    from news import tasks

    enqueue(tasks.tell_programme_team, "contact", message.pk)
    return message


def programme_team_address() -> str:
    return Partnership.current().contact_email or settings.DEFAULT_FROM_EMAIL


def tell_programme_team(*, kind: str, pk: int) -> bool:
    """Forward a contact message or a join request to the programme team, at most once."""
    record = (ContactMessage if kind == "contact" else JoinRequest).objects.filter(pk=pk).first()
    if record is None:
        return False
    template = "news/email/contact_message.txt" if kind == "contact" else "news/email/join_request.txt"
    subject = (
        f"Message from {record.name}: {record.subject}"
        if kind == "contact"
        else f"{record.organisation_name} asks to join the partnership"
    )
    sent = send_once(
        key=f"news.{kind}:{pk}",
        to=programme_team_address(),
        subject=email_subject(subject),
        body=render_to_string(template, {"record": record, "site_url": settings.SITE_URL}),
    )
    if sent and kind == "contact":
        ContactMessage.objects.filter(pk=pk).update(forwarded_at=timezone.now())
    return sent


def accept_join_request(*, join_request: JoinRequest, by) -> JoinRequest:
    """The organisation becomes a prospective partner (out of the public directory until it
    joins) and its contact is invited to the portal. Locks the request so two clicks accept once.
    Raises ValidationError (nothing written) if the organisation's name or the contact's email is
    already in use."""
    from partners import services as partner_services
    from partners.models import MembershipStatus, Organisation

    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if join_request.status != JoinRequestStatus.PENDING:
            raise ValidationError("This request has already been answered.")
        if Organisation.objects.filter(name__iexact=join_request.organisation_name).exists():
            raise ValidationError(
                f"An organisation called {join_request.organisation_name} is already in the directory."
            )
        slug = _free_slug(join_request.organisation_name)
        organisation = Organisation(
            name=join_request.organisation_name,
            slug=slug,
            org_type=join_request.org_type,
            website=join_request.organisation_website,
            membership_status=MembershipStatus.PROSPECTIVE,
            org_id=None,
        )
        partner_services.save_organisation(organisation=organisation, by=by)
        partner_services.invite_person(
            email=join_request.contact_email,
            name=join_request.contact_name,
            job_title=join_request.contact_role,
            organisation=organisation,
            by=by,
        )
        join_request.status = JoinRequestStatus.ACCEPTED
        join_request.organisation = organisation
        join_request.decided_at = timezone.now()
        join_request.decided_by = by
        _as(join_request, by).save(update_fields=["status", "organisation", "decided_at", "decided_by"])
    return join_request


def _free_slug(name: str) -> str:
    from django.utils.text import slugify

    from partners.models import Organisation

    base = slugify(name)[:70] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def decline_join_request(*, join_request: JoinRequest, reply: str, by) -> JoinRequest:
    """Decline with a reply, emailed to the contact once (by a worker)."""
    if not reply.strip():
        raise ValidationError({"reply": "Write a reply to tell them why."})
    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if join_request.status != JoinRequestStatus.PENDING:
            raise ValidationError("This request has already been answered.")
        join_request.status = JoinRequestStatus.DECLINED
        join_request.reply = reply
        join_request.decided_at = timezone.now()
        join_request.decided_by = by
        _as(join_request, by).save(update_fields=["status", "reply", "decided_at", "decided_by"])
        from news import tasks

        enqueue(tasks.send_join_reply, join_request.pk)
    return join_request


def send_join_reply(*, join_request_id: int) -> bool:
    join_request = JoinRequest.objects.filter(pk=join_request_id, status=JoinRequestStatus.DECLINED).first()
    if join_request is None:
        return False
    partnership = Partnership.current()
    return send_once(
        key=f"news.join-reply:{join_request.pk}",
        to=join_request.contact_email,
        subject=email_subject(f"Your request to join the {partnership.name}"),
        body=render_to_string("news/email/join_reply.txt", {"join_request": join_request, "partnership": partnership}),
    )
