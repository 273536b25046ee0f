"""Curators read the hub in French when their browser asks for it, English otherwise; the catalogue is whole."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hub.contributions.receiving import receive
from tests.catalogues import po_entries

from .conftest import story

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "hub" / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_a_curator_whose_browser_asks_for_french_moderates_in_french(alice_client, tapestry, hall):
    receive(hall.device, story())
    page = alice_client.get("/curate/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="fr">' in page
    assert "File de modération" in page
    assert "Approuver" in page and "Refuser" in page
    assert "Moderation queue" not in page


def test_a_french_curator_is_told_in_french_what_happened(alice_client, tapestry, hall):
    contribution, _ = receive(hall.device, story())
    response = alice_client.post(
        f"/curate/{contribution.uuid}/approve", follow=True, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "Approuvée : « Ma grand-mère brodait" in response.content.decode()


def test_the_sign_in_page_follows_the_browser_too(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Mot de passe" in page


def test_a_language_the_hub_does_not_speak_gets_english(alice_client, tapestry):
    page = alice_client.get("/curate/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert '<html lang="en">' in page
    assert "Moderation queue" in page


def test_every_message_of_the_french_catalogue_is_translated_and_compiled():
    entries = po_entries(CATALOGUE / "django.po")
    assert len(entries) > 100
    assert [msgid for msgid, translations in entries.items() if not all(translations)] == []
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.gettext("Moderation queue") == "File de modération"
    assert compiled.ngettext("%(n)s kiosk is waiting for your authorisation.",
                             "%(n)s kiosks are waiting for your authorisation.", 2) == (
        "%(n)s bornes attendent votre autorisation."
    )
    stale = [msgid for msgid in entries if compiled.gettext(msgid) == msgid and entries[msgid][0] != msgid]
    assert stale == [], "django.mo is older than django.po: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is in tools/packages/test.txt")
def test_the_french_catalogue_holds_every_translatable_string_of_the_hub(tmp_path):
    copy = tmp_path / "hub"
    shutil.copytree(ROOT / "hub", copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-obsolete", "--settings=hub.settings",
         f"--pythonpath={ROOT}"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "AGORA_HUB_DATA": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)},
    )
    fresh = po_entries(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    assert sorted(set(fresh) - set(po_entries(CATALOGUE / "django.po"))) == [], (
        "new strings to translate: run `make messages` and fill in hub/locale/fr/LC_MESSAGES/django.po"
    )
