"""The public, read-only list of published contributions that the museum's website shows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from ninja import Query, Router

from hub.api.schemas import Error, ItemsPage, ValidationErrors
from hub.api.urls import absolute
from hub.contributions.models import Contribution, ContributionMedia
from hub.isotime import iso_z
from sync.protocol import MEDIA_KIND_PHOTO

router = Router(tags=["public"])

MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000


def published_items():
    """Approved, publicly consented contributions with their exhibit, prompt and media, newest first."""
    return Contribution.objects.published().select_related("exhibit", "prompt").prefetch_related(
        Prefetch("media", queryset=ContributionMedia.objects.select_related("blob").order_by("position"))
    )


@router.get("/items", response={200: ItemsPage, 422: ValidationErrors, 429: Error}, summary="Published contributions")
def items(
    request,
    response: HttpResponse,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE),
):
    """Approved contributions whose visitors chose public consent, newest published first, with links to
    their photos and recordings."""
    published = published_items()
    count = published.count()
    start = (page - 1) * page_size
    rows = published[start : start + page_size]
    # The museum's website may read this from visitors' browsers on its own domain.
    response["Access-Control-Allow-Origin"] = "*"
    return {
        "count": count,
        "next": _page_url(request, page + 1, page_size) if start + page_size < count else None,
        "previous": _page_url(request, page - 1, page_size) if page > 1 else None,
        "items": [item(request, contribution) for contribution in rows],
    }


def _page_url(request, page: int, page_size: int) -> str:
    return absolute(request, f"{request.path}?{urlencode({'page': page, 'page_size': page_size})}")


def item(request, contribution: Contribution) -> dict:
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
        "media": [_media(request, contribution, media) for media in contribution.media.all()],
    }


def _media(request, contribution: Contribution, media: ContributionMedia) -> dict:
    blob = media.blob
    url = reverse("published-media", args=[contribution.uuid, blob.sha256])
    is_photo = blob.kind == MEDIA_KIND_PHOTO
    thumbnail = reverse("published-thumbnail", args=[contribution.uuid, blob.sha256]) if is_photo else None
    return {
        "kind": blob.kind,
        "type": blob.content_type,
        "url": absolute(request, url),
        "thumbnail_url": absolute(request, thumbnail) if thumbnail else None,
        "width": blob.width,
        "height": blob.height,
        "duration": blob.duration,
    }
