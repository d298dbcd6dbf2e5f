"""Rows of the permission matrix for the public site (news/urls.py, robots.txt, security.txt).

Everything here is public (drafts and scheduled news, the programme manager's alone to preview,
are walked as each role in tests/news/test_public_pages.py). Subscribers' links work for whoever
holds them: the token is the credential."""

from news.models import SubscriberStatus
from tests.news.conftest import issue, news_item, subscriber
from tests.support.matrix import everyone


def news_world() -> dict:
    return {
        "news": news_item("matrix-news"),
        "sent_issue": issue("matrix-issue"),
        "pending": subscriber("pending@example.org", status=SubscriberStatus.PENDING),
        "subscriber": subscriber("reader@example.org"),
    }


def _link(kind):
    def build(w):
        who = w["pending"] if kind == "confirm" else w["subscriber"]
        return {"pk": who.pk, "token": who.token("confirm" if kind == "confirm" else "manage")}

    return build


ROWS: dict = {
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
