from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

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


def file_response(file, *, filename: str, content_type: str | None = None, private: bool):
    """A stored file as a download (404 if it has gone from storage). `private`: for some viewers
    only, so shared caches must never keep it."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    if private:
        patch_cache_control(response, private=True, no_store=True)
    return response
