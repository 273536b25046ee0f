"""Alice moderates in a real Chromium: signs in, approves with the keyboard, rejects with a reason."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hub.contributions.models import Contribution, Status
from hub.contributions.receiving import receive
from sync.protocol import new_uuid7

from .conftest import ALICE_PASSWORD, story

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still sync.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def page():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        browser.close()


def test_alice_approves_bobs_story_with_the_keyboard_and_rejects_another(live_server, page, tapestry, hall, alice):
    bobs, _ = receive(hall.device, story(uuid=new_uuid7(), text="Ma grand-mère brodait des motifs comme ceux-ci.\n"
                                          "Elle disait que chaque fil racontait une saison."))
    advert, _ = receive(hall.device, story(uuid=new_uuid7(), language="en", author_name="", consent="archive",
                                           licence=None, text="Visit my shop for cheap tapestries!"))

    page.goto(f"{live_server.url}/curate/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Name").fill("alice")
    page.get_by_label("Password").fill(ALICE_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/curate/")

    first = page.locator("article.item").first
    sync_api.expect(first).to_contain_text("Elle disait que chaque fil racontait une saison.")
    sync_api.expect(page.locator("article.item")).to_have_count(2)
    sync_api.expect(page.locator(".legend")).to_be_visible()
    sync_api.expect(first).to_be_focused()
    screenshots = os.environ.get("AGORA_SCREENSHOTS_DIR")
    if screenshots:
        Path(screenshots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(screenshots) / "curator-queue.png"), full_page=True)

    page.keyboard.press("j")
    sync_api.expect(page.locator("article.item").nth(1)).to_be_focused()
    page.keyboard.press("k")
    sync_api.expect(first).to_be_focused()
    page.keyboard.press("a")
    sync_api.expect(page.locator(".messages")).to_contain_text("Approved: “Ma grand-mère brodait")
    bobs.refresh_from_db()
    assert bobs.status == Status.APPROVED

    items = json.loads(page.request.get(f"{live_server.url}/api/v1/items").text())
    assert [item["id"] for item in items["items"]] == [str(bobs.uuid)]

    remaining = page.locator("article.item")
    sync_api.expect(remaining).to_have_count(1)
    sync_api.expect(remaining.first).to_be_focused()
    page.keyboard.press("r")
    reason = remaining.first.locator("textarea")
    sync_api.expect(reason).to_be_focused()
    page.keyboard.press("Escape")
    sync_api.expect(remaining.first).to_be_focused()
    page.keyboard.press("r")
    page.keyboard.type("Advertising, not a story")
    page.keyboard.press("Control+Enter")
    sync_api.expect(page.locator(".messages")).to_contain_text("Rejected: “Visit my shop")
    sync_api.expect(page.locator(".empty")).to_be_visible()
    advert.refresh_from_db()
    assert advert.status == Status.REJECTED
    assert advert.reject_reason == "Advertising, not a story"
    assert Contribution.objects.published().count() == 1


def test_the_approve_button_works_without_the_keyboard(live_server, page, tapestry, hall, alice):
    contribution, _ = receive(hall.device, story())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Name").fill("alice")
    page.get_by_label("Password").fill(ALICE_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Approve").click()
    sync_api.expect(page.locator(".messages")).to_contain_text("Approved:")
    contribution.refresh_from_db()
    assert contribution.status == Status.APPROVED
