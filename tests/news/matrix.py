"""Rows of the permission matrix for the public site (news/urls.py, robots.txt, security.txt).

Everything here is public (drafts and scheduled news, the programme manager's alone to preview,
are walked as each role in tests/news/test_public_pages.py). Subscribers' links work for whoever
holds them: the token is the credential."""

from news.models import SubscriberStatus
from tests.news.conftest import issue, join_request, news_item, subscriber
from tests.support.matrix import everyone, pm_only


def news_world() -> dict:
    return {
        "news": news_item("matrix-news"),
        "sent_issue": issue("matrix-issue"),
        "pending": subscriber("pending@example.org", status=SubscriberStatus.PENDING),
        "subscriber": subscriber("reader@example.org"),
        "draft_issue": issue("matrix-draft-issue", sent=False),
        "join_request": join_request(),
    }


def _link(kind):
    def build(w):
        who = w["pending"] if kind == "confirm" else w["subscriber"]
        return {"pk": who.pk, "token": who.token("confirm" if kind == "confirm" else "manage")}

    return build


ROWS: dict = {
    "search": (None, everyone(200)),
    "news:get_involved": (None, everyone(200)),
    "news:join_thanks": (None, everyone(200)),
    "news:contact": (None, everyone(200)),
    "news:contact_thanks": (None, everyone(200)),
    "robots_txt": (None, everyone(200)),
    "security_txt": (None, everyone(200)),
    "news:about": (None, everyone(200)),
    "news:privacy": (None, everyone(200)),
    "news:list": (None, everyone(200)),
    "news:feed": (None, everyone(200)),
    "news:item": (lambda w: {"slug": w["news"].slug}, everyone(200)),
    "news:newsletter": (None, everyone(200)),
    "news:subscribed": (None, everyone(200)),
    "news:issue": (lambda w: {"slug": w["sent_issue"].slug}, everyone(200)),
    "news:confirm": (_link("confirm"), everyone(200)),
    "news:unsubscribe": (_link("manage"), everyone(200)),
    "news:my_data": (_link("manage"), everyone(200)),
}

# The programme manager's pages: everyone else is sent to sign in, or told there is nothing here.
ROWS |= {
    "manage_news:index": (None, pm_only()),
    "manage_news:news_create": (None, pm_only()),
    "manage_news:news_edit": (lambda w: {"pk": w["news"].pk}, pm_only()),
    "manage_news:news_history": (lambda w: {"pk": w["news"].pk}, pm_only()),
    "manage_news:page_edit": (lambda w: {"slug": "about"}, pm_only()),
    "manage_news:issue_create": (None, pm_only()),
    "manage_news:issue": (lambda w: {"pk": w["draft_issue"].pk}, pm_only()),
    "manage_news:issue_edit": (lambda w: {"pk": w["draft_issue"].pk}, pm_only()),
    "manage_news:issue_test": (lambda w: {"pk": w["draft_issue"].pk}, pm_only(405)),
    "manage_news:issue_send": (lambda w: {"pk": w["draft_issue"].pk}, pm_only(405)),
    "manage_news:join_requests": (None, pm_only()),
    "manage_news:join_request": (lambda w: {"pk": w["join_request"].pk}, pm_only()),
    "manage_news:subscribers": (None, pm_only()),
    "manage_news:subscribers_export": (None, pm_only()),
    "manage_news:subscriber_delete": (lambda w: {"pk": w["subscriber"].pk}, pm_only(405)),
}
