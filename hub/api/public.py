"""The public, read-only list of published contributions that the museum's website shows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from ninja import Query, Router

from hub.api.schemas import ItemsPage, ValidationErrors
from hub.api.urls import absolute
from hub.contributions.models import Contribution
from hub.isotime import iso_z

router = Router(tags=["public"])

MAX_PAGE_SIZE = 100


@router.get("/items", response={200: ItemsPage, 422: ValidationErrors}, summary="Published contributions")
def items(
    request, response: HttpResponse, page: int = Query(1, ge=1), page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE)
):
    """Approved contributions whose visitors chose public consent, newest published first."""
    published = Contribution.objects.published().select_related("exhibit", "prompt")
    count = published.count()
    start = (page - 1) * page_size
    rows = published[start : start + page_size]
    # The museum's website may read this from visitors' browsers on its own domain.
    response["Access-Control-Allow-Origin"] = "*"
    return {
        "count": count,
        "next": _page_url(request, page + 1, page_size) if start + page_size < count else None,
        "previous": _page_url(request, page - 1, page_size) if page > 1 else None,
        "items": [_item(contribution) for contribution in rows],
    }


def _page_url(request, page: int, page_size: int) -> str:
    return absolute(request, f"{request.path}?{urlencode({'page': page, 'page_size': page_size})}")


def _item(contribution: Contribution) -> dict:
    language = contribution.language
    return {
        "id": str(contribution.uuid),
        "exhibit": {"slug": contribution.exhibit.slug, "title": contribution.exhibit.title(language)},
        "prompt": contribution.prompt.text(language),
        "text": contribution.text,
        "author": contribution.author_display,
        "licence": contribution.licence_uri,
        "language": language,
        "published_at": iso_z(contribution.published_at),
    }
