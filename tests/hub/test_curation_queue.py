"""Alice's moderation queue: pending stories oldest first, approve, reject with a reason, nothing unsafe."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hub.contributions.models import Contribution, Status
from hub.contributions.receiving import receive

from .conftest import ALICE_PASSWORD, story

pytestmark = pytest.mark.django_db


def received(hall, **changes) -> Contribution:
    contribution, _ = receive(hall.device, story(**changes))
    return contribution


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_strangers_are_sent_to_the_login_page(client):
    response = client.get("/curate/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/curate/"


def test_a_signed_in_user_who_is_not_a_curator_is_refused(client, tapestry, hall):
    mallory = get_user_model().objects.create_user("mallory", password="mallory-password-1")
    client.force_login(mallory)
    assert client.get("/curate/").status_code == 403
    contribution = received(hall)
    assert client.post(f"/curate/{contribution.uuid}/approve").status_code == 403
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING


def test_alice_signs_in_through_the_login_form(tapestry):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = browser.post(
        "/accounts/login/", {"username": "alice", "password": "wrong", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    get_user_model().objects.create_user("alice", password=ALICE_PASSWORD)
    response = browser.post(
        "/accounts/login/", {"username": "alice", "password": ALICE_PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response["Location"] == "/curate/"


def test_the_queue_shows_pending_stories_oldest_first_with_their_details(alice_client, tapestry, hall):
    older = received(hall, text="Le plus ancien récit.", author_name="Bob")
    received(hall, text="Un récit plus récent.", author_name="", language="en")
    rejected = received(hall, text="Déjà refusé.")
    Contribution.objects.filter(pk=rejected.pk).update(status=Status.REJECTED)
    page = alice_client.get("/curate/").content.decode()
    assert page.index("Le plus ancien récit.") < page.index("Un récit plus récent.")
    assert "Déjà refusé." not in page
    for detail in ("La tapisserie", "Quel souvenir vous évoque-t-elle ?", "Bob", "Anonymous", "cc-by-4.0",
                   "2026-11-27 10:33 UTC", "Hall", older.receipt, "The tapestry"):
        assert detail in page
    assert re.search(r"Pending</dt><dd>2<", page)
    assert re.search(r"Rejected</dt><dd>1<", page)
    assert "/api/v1/items" in page


def test_story_text_is_escaped_and_keeps_its_line_breaks(alice_client, tapestry, hall):
    received(hall, text="<script>alert('Bob')</script>\nDeuxième ligne", author_name="<b>Bob</b>")
    page = alice_client.get("/curate/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;Bob&#x27;)&lt;/script&gt;<br>Deuxième ligne" in page
    assert "&lt;b&gt;Bob&lt;/b&gt;" in page


def test_the_curator_pages_forbid_framing_and_foreign_scripts(alice_client):
    response = alice_client.get("/curate/")
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_alice_approves_a_story(alice_client, tapestry, hall, alice):
    contribution = received(hall)
    response = alice_client.post(f"/curate/{contribution.uuid}/approve", follow=True)
    assert response.redirect_chain == [("/curate/", 302)]
    assert "Approved: “Ma grand-mère brodait" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == Status.APPROVED
    assert contribution.moderated_by == alice
    assert contribution.published_at is not None


def test_alice_rejects_a_story_with_a_reason(alice_client, tapestry, hall):
    contribution = received(hall)
    response = alice_client.post(f"/curate/{contribution.uuid}/reject", {"reason": "Hors sujet"}, follow=True)
    assert "Rejected: “Ma grand-mère" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == Status.REJECTED
    assert contribution.reject_reason == "Hors sujet"
    assert contribution.published_at is None


def test_rejecting_without_a_reason_changes_nothing(alice_client, tapestry, hall):
    contribution = received(hall)
    response = alice_client.post(f"/curate/{contribution.uuid}/reject", {"reason": "   "})
    assert response.status_code == 400
    assert "Write a reason before rejecting" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING


def test_moderating_a_story_twice_says_so_and_changes_nothing(alice_client, tapestry, hall):
    contribution = received(hall)
    alice_client.post(f"/curate/{contribution.uuid}/approve")
    response = alice_client.post(f"/curate/{contribution.uuid}/reject", {"reason": "Trop tard"}, follow=True)
    assert "was already approved by alice; nothing was changed" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == Status.APPROVED
    assert contribution.reject_reason == ""


def test_approving_needs_a_post_with_a_csrf_token(tapestry, hall, alice):
    contribution = received(hall)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get(f"/curate/{contribution.uuid}/approve").status_code == 405
    assert browser.post(f"/curate/{contribution.uuid}/approve").status_code == 403
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get("/curate/").content.decode())[1]
    response = browser.post(f"/curate/{contribution.uuid}/approve", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Status.APPROVED


def test_an_unknown_story_is_not_found(alice_client, db):
    assert alice_client.post("/curate/0190f2c4-5b7e-7d3a-8c1f-2a4b6c8d0e1f/approve").status_code == 404


def test_signing_out_needs_a_post(alice_client):
    assert alice_client.get("/accounts/logout/").status_code == 405
    assert alice_client.post("/accounts/logout/").status_code == 302
    assert alice_client.get("/curate/").status_code == 302


def test_the_stylesheet_is_served_without_debug(client, db):
    response = client.get("/static/curation/curate.css")
    assert response.status_code == 200
