from django.http import HttpResponse
from django.shortcuts import render

from partners.models import GoverningBody


def home(request):
    return render(request, "home.html", {"bodies": GoverningBody.objects.all()})


def accessibility(request):
    return render(request, "accessibility.html")


def bare(request):
    """The benchmark's yardstick: a view that does nothing, behind the same middleware."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
