"""The kiosk's list of exhibits and prompts: active ones only, in order, with absolute image URLs."""

import pytest
from django.core.files.base import ContentFile

from hub.museum.models import Exhibit, Prompt
from sync.protocol import CONFIG_PATH

pytestmark = pytest.mark.django_db


def test_the_hall_kiosk_gets_the_museum_and_its_exhibits(client, tapestry, hall):
    config = client.get(CONFIG_PATH, **hall.auth).json()
    assert config["museum"] == {"name": "Musée de la Vallée"}
    assert config["languages"] == ["fr", "en"]
    assert config["exhibits"] == [
        {
            "slug": "la-tapisserie",
            "title": {"fr": "La tapisserie", "en": "The tapestry"},
            "description": {"fr": "Une tapisserie du XVIe siècle.", "en": "A sixteenth-century tapestry."},
            "image_url": None,
            "image_credit": "Photo : Musée de la Vallée",
            "prompts": [
                {
                    "id": "souvenir",
                    "text": {"fr": "Quel souvenir vous évoque-t-elle ?", "en": "What memory does it bring back?"},
                }
            ],
        }
    ]


def test_inactive_exhibits_and_prompts_are_left_out_and_the_rest_keep_their_order(client, tapestry, hall):
    Prompt.objects.create(
        exhibit=tapestry, slug="couleurs", text_fr="Les couleurs ?", text_en="The colours?", position=0
    )
    Prompt.objects.create(exhibit=tapestry, slug="retire", text_fr="-", text_en="-", active=False)
    Exhibit.objects.create(slug="le-moulin", title_fr="Le moulin", title_en="The mill", position=0)
    Exhibit.objects.create(slug="la-reserve", title_fr="Réserve", title_en="Storage", active=False)
    config = client.get(CONFIG_PATH, **hall.auth).json()
    assert [exhibit["slug"] for exhibit in config["exhibits"]] == ["le-moulin", "la-tapisserie"]
    assert [prompt["id"] for prompt in config["exhibits"][1]["prompts"]] == ["couleurs", "souvenir"]


def test_image_urls_are_absolute_and_served(client, tapestry, hall):
    tapestry.image.save("la-tapisserie.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg"), save=True)
    url = client.get(CONFIG_PATH, **hall.auth).json()["exhibits"][0]["image_url"]
    assert url.startswith("http://testserver/media/exhibits/la-tapisserie")
    image = client.get(url.removeprefix("http://testserver"))
    assert image.status_code == 200
    assert b"".join(image.streaming_content).startswith(b"\xff\xd8")


def test_image_urls_use_the_public_url_when_set(client, tapestry, hall, settings):
    settings.PUBLIC_URL = "https://musee.example"
    tapestry.image.save("la-tapisserie.jpg", ContentFile(b"jpeg"), save=True)
    url = client.get(CONFIG_PATH, **hall.auth).json()["exhibits"][0]["image_url"]
    assert url.startswith("https://musee.example/media/exhibits/la-tapisserie")
