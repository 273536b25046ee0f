"""The hub client turns every answer and every network failure into a receipt or a HubError in plain words."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.contribution import Contribution
from sync.client import USER_AGENT, HubClient, HubError
from sync.protocol import receipt_code

from .conftest import story


class Canned(BaseHTTPRequestHandler):
    """A stand-in for the network between kiosk and hub: answers whatever the test asks for."""

    status = 200
    body = b"{}"
    content_type = "application/json"
    delay = 0.0
    seen_headers = None

    def _answer(self):
        type(self).seen_headers = dict(self.headers)
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        time.sleep(self.delay)
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_PUT = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def wifi():
    handler = type("Answers", (Canned,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield handler
    server.shutdown()
    server.server_close()


def draft_payload() -> dict:
    return Contribution.from_draft(story(), "2026-11-27T10:33:39.123Z", True).payload()


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_a_busy_or_broken_hub_is_a_transient_error(wifi, status):
    wifi.status, wifi.body = status, b'{"detail": "The hub hit an unexpected error. Try again later."}'

    with pytest.raises(HubError) as raised:
        HubClient(wifi.url, "t").put_contribution(draft_payload())

    assert raised.value.status == status
    assert raised.value.permanent is False
    assert raised.value.detail == "The hub hit an unexpected error. Try again later."


@pytest.mark.parametrize("status", [400, 401, 403, 409, 422])
def test_a_refusal_is_a_permanent_error(wifi, status):
    wifi.status, wifi.body = status, b'{"detail": "No."}'

    with pytest.raises(HubError) as raised:
        HubClient(wifi.url, "t").put_contribution(draft_payload())

    assert raised.value.permanent is True
    assert raised.value.unauthorised == (status in (401, 403))


def test_a_validation_error_names_the_field(wifi):
    wifi.status = 422
    wifi.body = (b'{"detail": [{"loc": ["body", "payload", "exhibit"], '
                 b'"msg": "Unknown exhibit \'le-mur\'", "type": "unknown_exhibit"}]}')

    with pytest.raises(HubError) as raised:
        HubClient(wifi.url, "t").put_contribution(draft_payload())

    assert raised.value.detail == "exhibit: Unknown exhibit 'le-mur'"


def test_a_captive_portal_page_is_not_taken_for_a_receipt(wifi):
    wifi.body, wifi.content_type = b"<html>Welcome to Museum Wi-Fi</html>", "text/html"

    with pytest.raises(HubError) as raised:
        HubClient(wifi.url, "t").put_contribution(draft_payload())

    assert raised.value.permanent is False
    assert "Agora hub" in raised.value.detail


def test_a_hub_that_stops_answering_times_out_in_plain_words(wifi):
    wifi.delay = 1.0

    with pytest.raises(HubError) as raised:
        HubClient(wifi.url, "t", timeout=(1, 0.2)).get_config()

    assert raised.value.status is None
    assert raised.value.permanent is False
    assert "stopped answering" in raised.value.detail


def test_a_receipt_comes_back_and_the_kiosk_says_who_it_is(wifi):
    body = draft_payload()
    wifi.body = (f'{{"uuid": "{body["uuid"]}", "receipt": "{receipt_code(body["uuid"])}", '
                 f'"received_at": "2026-11-27T10:33:40.000Z", "blobs": []}}').encode()

    receipt = HubClient(wifi.url + "/", "s3cret").put_contribution(body)

    assert receipt["receipt"] == receipt_code(body["uuid"])
    assert wifi.seen_headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("agora-kiosk/")
    assert wifi.seen_headers["Authorization"] == "Bearer s3cret"
    assert wifi.seen_headers["Content-Type"] == "application/json"


def test_the_token_is_never_sent_to_another_server(wifi):
    wifi.body, wifi.content_type = b"\xff\xd8\xff picture", "image/jpeg"

    data = HubClient("http://hub.invalid", "s3cret").fetch(wifi.url + "/media/la-tapisserie.jpg")

    assert data == b"\xff\xd8\xff picture"
    assert "Authorization" not in wifi.seen_headers
