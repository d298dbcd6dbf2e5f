from partners.models import Partnership
from partners.permissions import is_programme_manager


def portal(request):
    return {
        "partnership": Partnership.current(),
        "is_programme_manager": is_programme_manager(getattr(request, "user", None)),
    }
