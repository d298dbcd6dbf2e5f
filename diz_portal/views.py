from django.http import HttpResponse
from django.shortcuts import render

from diz_portal.caching import public_page
from partners.models import GoverningBody


@public_page("partners", "meetings")
def home(request):
    return render(request, "home.html", {"bodies": GoverningBody.objects.all()})


@public_page("partners", "meetings")
def accessibility(request):
    return render(request, "accessibility.html")


def bare(request):
    """The benchmark's yardstick: a view that does nothing, behind the same middleware."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
