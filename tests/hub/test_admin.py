"""The Django admin at /admin/ lists exhibits, kiosks, pairing codes and contributions for Alice."""

import pytest

from hub.contributions.receiving import receive

from .conftest import story

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/",
    "/admin/museum/exhibit/",
    "/admin/museum/exhibit/add/",
    "/admin/devices/device/",
    "/admin/devices/pairingcode/",
    "/admin/contributions/contribution/",
]


@pytest.mark.parametrize("url", PAGES)
def test_alice_sees_the_admin_pages(client, alice, tapestry, hall, url):
    receive(hall.device, story())
    client.force_login(alice)
    assert client.get(url).status_code == 200


def test_alice_can_open_a_contribution_but_not_add_one(client, alice, tapestry, hall):
    contribution, _ = receive(hall.device, story())
    client.force_login(alice)
    page = client.get(f"/admin/contributions/contribution/{contribution.uuid}/change/")
    assert page.status_code == 200
    assert "Ma grand-mère brodait" in page.content.decode()
    assert client.get("/admin/contributions/contribution/add/").status_code == 403


def test_the_root_address_leads_to_the_queue(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/curate/"
