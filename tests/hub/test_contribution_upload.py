"""Uploading a contribution: new, resent, conflicting, and every way a body can be refused."""

import pytest

from hub.contributions.models import Contribution, Status
from sync.protocol import MAX_AUTHOR_LENGTH, MAX_TEXT_LENGTH, contribution_path, receipt_code

from .conftest import story

pytestmark = pytest.mark.django_db


def test_a_new_contribution_is_stored_as_pending_with_a_receipt(client, tapestry, hall):
    payload = story()
    response = hall.put(client, payload)
    assert response.status_code == 201
    receipt = response.json()
    assert receipt["uuid"] == payload["uuid"]
    assert receipt["receipt"] == receipt_code(payload["uuid"])
    assert receipt["received_at"].endswith("Z")
    assert receipt["blobs"] == []
    stored = Contribution.objects.get()
    assert stored.status == Status.PENDING
    assert stored.device == hall.device
    assert stored.exhibit == tapestry
    assert stored.author_name == "Bob"
    assert stored.clock_synchronised is True


def test_a_resent_contribution_is_not_duplicated_and_gets_the_same_receipt(client, tapestry, hall):
    payload = story()
    first = hall.put(client, payload)
    again = hall.put(client, dict(reversed(list(payload.items()))))
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Contribution.objects.count() == 1


def test_a_reused_uuid_with_a_different_body_is_refused(client, tapestry, hall):
    payload = story()
    hall.put(client, payload)
    response = hall.put(client, {**payload, "text": "Un tout autre récit."})
    assert response.status_code == 409
    assert payload["uuid"] in response.json()["detail"]
    assert Contribution.objects.get().text == payload["text"]


def test_a_resend_is_answered_even_after_the_exhibit_was_retired(client, tapestry, hall):
    payload = story()
    first = hall.put(client, payload)
    tapestry.active = False
    tapestry.save()
    assert hall.put(client, payload).json() == first.json()


def test_an_archive_only_story_carries_no_licence(client, tapestry, hall):
    response = hall.put(client, story(consent="archive", licence=None, author_name=""))
    assert response.status_code == 201
    assert Contribution.objects.get().licence is None


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"exhibit": "la-joconde"}, "exhibit", "la-joconde"),
        ({"prompt": "reve"}, "prompt", "reve"),
        ({"text": "   \n "}, "text", "empty"),
        ({"text": "a" * (MAX_TEXT_LENGTH + 1)}, "text", str(MAX_TEXT_LENGTH)),
        ({"author_name": "b" * (MAX_AUTHOR_LENGTH + 1)}, "author_name", str(MAX_AUTHOR_LENGTH)),
        ({"consent": "archive", "licence": "cc-by-4.0"}, "licence", "null"),
        ({"consent": "public", "licence": None}, "licence", "required"),
        ({"licence": "all-rights-reserved"}, "licence", "cc-by-4.0"),
        ({"consent": "maybe"}, "consent", "public"),
        ({"language": "de"}, "language", "fr"),
        ({"created_at": "yesterday"}, "created_at", "ISO 8601"),
        ({"clock_synchronised": "yes"}, "clock_synchronised", "boolean"),
        ({"media": [{"sha256": "0" * 64, "size": 9, "kind": "photo", "type": "audio/flac"}]}, "type", "image/jpeg"),
        ({"media": [{"sha256": "A" * 64, "size": 9, "kind": "photo", "type": "image/jpeg"}]}, "sha256", "pattern"),
        ({"media": [{"sha256": "0" * 64, "size": 0, "kind": "photo", "type": "image/jpeg"}]}, "size", "1"),
        ({"media": [{"sha256": "0" * 64, "size": 9, "kind": "video", "type": "video/mp4"}]}, "kind", "photo"),
    ],
)
def test_a_bad_field_is_named_in_the_refusal(client, tapestry, hall, change, field, words):
    response = hall.put(client, story(**change))
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert [problem["loc"][-1] for problem in problems] == [field]
    assert words in problems[0]["msg"]
    assert not Contribution.objects.exists()


def test_a_missing_field_is_named(client, tapestry, hall):
    payload = story()
    del payload["created_at"]
    response = hall.put(client, payload)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "created_at"


def test_a_body_uuid_that_differs_from_the_path_is_refused(client, tapestry, hall):
    payload = story()
    other = story()["uuid"]
    response = hall.put(client, payload, uuid=other)
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["body", "payload", "uuid"]
    assert other in problem["msg"]
    assert not Contribution.objects.exists()


def test_a_path_that_is_not_a_uuid_is_refused(client, tapestry, hall):
    response = hall.put(client, story(), uuid="not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "uuid"]


def test_an_upper_case_uuid_is_refused(client, tapestry, hall):
    payload = story()
    payload["uuid"] = payload["uuid"].upper()
    response = hall.put(client, payload)
    assert response.status_code == 422
    assert not Contribution.objects.exists()


def test_a_form_encoded_body_is_refused_as_unsupported(client, tapestry, hall):
    payload = story()
    response = client.put(
        contribution_path(payload["uuid"]), "text=hello", content_type="application/x-www-form-urlencoded", **hall.auth
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_malformed_json_is_refused_with_a_clear_message(client, tapestry, hall):
    payload = story()
    response = client.put(
        contribution_path(payload["uuid"]), '{"uuid": "', content_type="application/json", **hall.auth
    )
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["body"]
    assert "not valid JSON" in problem["msg"]


def test_a_json_list_instead_of_an_object_is_refused(client, tapestry, hall):
    payload = story()
    response = client.put(contribution_path(payload["uuid"]), "[]", content_type="application/json", **hall.auth)
    assert response.status_code == 422


def test_a_charset_parameter_on_the_content_type_is_fine(client, tapestry, hall):
    payload = story()
    response = hall.put(client, payload, CONTENT_TYPE="application/json; charset=utf-8")
    assert response.status_code == 201
