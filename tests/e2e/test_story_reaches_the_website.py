"""End to end over live HTTP: Bob's story goes from kiosk to hub, Alice approves it, the website sees it."""

import re

import pytest
import requests
from django.contrib.auth.models import User
from django.core.management import call_command

from hub.curation.roles import curators_group
from hub.devices.models import PairingCode
from kiosk import cli
from kiosk.contribution import Draft
from kiosk.store import Store

ALICE_PASSWORD = "moissons-1890-tapisserie"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def museum(live_server, transactional_db):
    """The demo museum on a live hub, with Alice as its curator."""
    call_command("seed_demo")
    alice = User.objects.create_user("alice", password=ALICE_PASSWORD)
    alice.groups.add(curators_group())
    return live_server.url


@pytest.fixture
def hall_kiosk(museum, tmp_path):
    """The "Hall" kiosk's data folder, paired with the hub through `agora-kiosk pair`."""
    _, code = PairingCode.issue(authorise=True)
    folder = tmp_path / "hall"
    assert cli.main(["pair", "--hub", museum, "--code", code, "--name", "Hall", "--data", str(folder)]) == 0
    return folder


def log_in(hub: str, username: str, password: str) -> requests.Session:
    """Alice signs in through the real login form, CSRF token and all."""
    session = requests.Session()
    form = session.get(f"{hub}/accounts/login/")
    token = CSRF_FIELD.search(form.text).group(1)
    answer = session.post(f"{hub}/accounts/login/", data={
        "username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/curate/",
    })
    assert answer.url.endswith("/curate/"), "the login form did not lead to the queue"
    return session


def bobs_story() -> Draft:
    return Draft(language="fr", exhibit="la-tapisserie", prompt="souvenir",
                 text="À la fête des moissons de 1962, mon père a dansé sous cette tapisserie.",
                 author_name="Bob", consent="public", licence="cc-by-sa-4.0")


def published(hub: str) -> list[dict]:
    answer = requests.get(f"{hub}/api/v1/items", timeout=10)
    assert answer.status_code == 200
    return answer.json()["items"]


def test_a_story_told_at_the_kiosk_is_public_once_a_curator_approves_it(museum, hall_kiosk, capsys):
    store = Store(hall_kiosk)
    story = store.submit(bobs_story())
    store.close()

    assert cli.main(["sync", "--once", "--data", str(hall_kiosk)]) == 0
    assert story.receipt_code in capsys.readouterr().out
    assert published(museum) == [], "nothing may be public before a curator approves it"

    alice = log_in(museum, "alice", ALICE_PASSWORD)
    queue = alice.get(f"{museum}/curate/")
    assert "mon père a dansé sous cette tapisserie" in queue.text
    token = CSRF_FIELD.search(queue.text).group(1)
    approved = alice.post(f"{museum}/curate/{story.uuid}/approve", data={"csrfmiddlewaretoken": token})
    assert approved.status_code == 200

    [item] = published(museum)
    assert item["id"] == story.uuid
    assert item["text"] == story.text
    assert item["author"] == "Bob"
    assert item["licence"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert item["language"] == "fr"
    assert item["exhibit"]["slug"] == "la-tapisserie"


def test_syncing_again_after_delivery_sends_nothing_twice(museum, hall_kiosk):
    from hub.contributions.models import Contribution

    store = Store(hall_kiosk)
    store.submit(bobs_story())
    store.close()
    assert cli.main(["sync", "--once", "--data", str(hall_kiosk)]) == 0
    assert cli.main(["sync", "--once", "--data", str(hall_kiosk)]) == 0
    assert Contribution.objects.count() == 1


def test_an_archive_only_story_reaches_the_queue_but_never_the_website(museum, hall_kiosk):
    store = Store(hall_kiosk)
    draft = bobs_story()
    draft.consent, draft.licence = "archive", None
    story = store.submit(draft)
    store.close()
    assert cli.main(["sync", "--once", "--data", str(hall_kiosk)]) == 0

    alice = log_in(museum, "alice", ALICE_PASSWORD)
    token = CSRF_FIELD.search(alice.get(f"{museum}/curate/").text).group(1)
    alice.post(f"{museum}/curate/{story.uuid}/approve", data={"csrfmiddlewaretoken": token})
    assert published(museum) == []
