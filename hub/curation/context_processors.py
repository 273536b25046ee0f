"""Template variables every curator page needs."""

from django.conf import settings


def museum(request):
    return {"museum_name": settings.MUSEUM_NAME}
