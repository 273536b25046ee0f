"""The public list of stories: only approved ones given with public consent, newest first, page by page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.contributions import moderation
from hub.contributions.models import Contribution
from hub.contributions.receiving import receive
from sync.protocol import ITEMS_PATH

from .conftest import story

pytestmark = pytest.mark.django_db


def received(hall, **changes) -> Contribution:
    contribution, _ = receive(hall.device, story(**changes))
    return contribution


def approved(hall, alice, **changes) -> Contribution:
    contribution = received(hall, **changes)
    moderation.approve(contribution, alice)
    return contribution


def test_only_approved_public_stories_appear(client, tapestry, hall, alice):
    published = approved(hall, alice, text="Publié")
    received(hall, text="En attente")
    rejected = received(hall, text="Refusé")
    moderation.reject(rejected, alice, "Hors sujet")
    approved(hall, alice, text="Archive seulement", consent="archive", licence=None)
    body = client.get(ITEMS_PATH).json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [str(published.uuid)]


def test_an_item_speaks_the_language_of_its_story(client, tapestry, hall, alice):
    contribution = approved(hall, alice, language="en", text="My grandmother\nembroidered.", author_name="")
    item = client.get(ITEMS_PATH).json()["items"][0]
    assert item == {
        "id": str(contribution.uuid),
        "exhibit": {"slug": "la-tapisserie", "title": "The tapestry"},
        "prompt": "What memory does it bring back?",
        "text": "My grandmother\nembroidered.",
        "author": "Anonymous",
        "licence": "https://creativecommons.org/licenses/by/4.0/",
        "language": "en",
        "published_at": item["published_at"],
        "media": [],
    }
    assert item["published_at"].endswith("Z")


def test_newest_published_come_first_and_pages_link_to_each_other(client, tapestry, hall, alice):
    now = timezone.now()
    for number in range(5):
        contribution = approved(hall, alice, text=f"Récit {number}")
        Contribution.objects.filter(pk=contribution.pk).update(published_at=now + timedelta(minutes=number))
    first = client.get(ITEMS_PATH, {"page_size": 2}).json()
    assert first["count"] == 5
    assert [item["text"] for item in first["items"]] == ["Récit 4", "Récit 3"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/items?page=2&page_size=2"
    last = client.get(ITEMS_PATH, {"page": 3, "page_size": 2}).json()
    assert [item["text"] for item in last["items"]] == ["Récit 0"]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/items?page=2&page_size=2"


def test_pages_hold_twenty_items_unless_asked(client, tapestry, hall, alice):
    for number in range(21):
        approved(hall, alice, text=f"Récit {number}")
    body = client.get(ITEMS_PATH).json()
    assert len(body["items"]) == 20
    assert body["next"].endswith("page=2&page_size=20")


@pytest.mark.parametrize("query", [{"page_size": 101}, {"page_size": 0}, {"page": 0}, {"page": "deux"}])
def test_an_impossible_page_is_refused_naming_the_parameter(client, db, query):
    response = client.get(ITEMS_PATH, query)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", next(iter(query))]


def test_the_website_may_read_the_list_from_another_domain(client, db):
    assert client.get(ITEMS_PATH)["Access-Control-Allow-Origin"] == "*"
