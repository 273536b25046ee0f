"""A draft can be submitted only when complete; every problem is explained to the visitor in French and English."""

import pytest

from kiosk.contribution import Contribution, Draft, InvalidContribution, MediaRef
from sync.protocol import MAX_AUTHOR_LENGTH, MAX_MEDIA_PER_CONTRIBUTION, MAX_TEXT_LENGTH, PAYLOAD_FIELDS, receipt_code


def alice_story(**changes) -> Draft:
    values = dict(exhibit="la-tapisserie", prompt="souvenir", language="fr",
                  text="La fête des moissons de 1962, toute la vallée dansait.", author_name="Alice")
    values.update(changes)
    return Draft(**values)


def codes(draft: Draft) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in draft.problems()}


def test_alices_complete_story_has_no_problem():
    assert alice_story().problems() == []


def test_a_new_draft_gets_its_own_uuid_v7():
    first, second = Draft(), Draft()

    assert first.uuid != second.uuid
    assert first.uuid[14] == "7"


def test_a_blank_draft_says_what_is_missing():
    assert codes(Draft()) == {("exhibit", "missing"), ("prompt", "missing"), ("text", "empty")}


def test_text_of_only_spaces_counts_as_empty():
    assert codes(alice_story(text="  \n\t ")) == {("text", "empty")}


def test_text_is_measured_after_trimming_spaces():
    assert alice_story(text="  " + "a" * MAX_TEXT_LENGTH + "  ").problems() == []
    assert codes(alice_story(text="a" * (MAX_TEXT_LENGTH + 1))) == {("text", "too_long")}


def test_an_overlong_author_name_is_refused():
    assert codes(alice_story(author_name="A" * (MAX_AUTHOR_LENGTH + 1))) == {("author_name", "too_long")}


def test_an_unknown_language_is_refused():
    assert codes(alice_story(language="de")) == {("language", "unknown")}


def test_public_consent_needs_a_known_licence():
    assert codes(alice_story(licence=None)) == {("licence", "missing")}
    assert codes(alice_story(licence="all-rights-reserved")) == {("licence", "missing")}


def test_archive_consent_has_no_licence():
    assert alice_story(consent="archive", licence=None).problems() == []
    assert codes(alice_story(consent="archive", licence="cc0-1.0")) == {("licence", "not_allowed")}


def test_an_unknown_consent_is_refused():
    assert codes(alice_story(consent="friends")) == {("consent", "unknown")}


def test_every_problem_speaks_both_languages():
    for problem in Draft(language="xx", consent="?", author_name="B" * 100).problems():
        assert problem.message_fr and problem.message_en
        assert problem.message("fr") == problem.message_fr
        assert problem.message("en") == problem.message_en


def test_an_invalid_draft_cannot_become_a_contribution():
    with pytest.raises(InvalidContribution) as raised:
        Contribution.from_draft(alice_story(text=""), "2026-11-27T10:33:39.123Z", True)

    assert [p.field for p in raised.value.problems] == ["text"]


def test_the_payload_is_the_wire_body_with_trimmed_text():
    draft = alice_story(text="  Bonjour  ", author_name=" Alice ")
    contribution = Contribution.from_draft(draft, "2026-11-27T10:33:39.123Z", False)

    payload = contribution.payload()

    assert tuple(payload) == PAYLOAD_FIELDS
    assert payload["uuid"] == draft.uuid
    assert payload["text"] == "Bonjour"
    assert payload["author_name"] == "Alice"
    assert payload["clock_synchronised"] is False
    assert payload["media"] == []
    assert contribution.state == "pending"
    assert contribution.receipt_code == receipt_code(draft.uuid)


def photo(number: int = 1) -> MediaRef:
    return MediaRef(sha256=f"{number:064x}", size=1000 + number, type="image/jpeg", kind="photo")


def test_a_photo_without_words_can_be_submitted():
    assert alice_story(text="", media=[photo()]).problems() == []


def test_more_media_than_allowed_is_refused():
    draft = alice_story(media=[photo(n) for n in range(MAX_MEDIA_PER_CONTRIBUTION + 1)])

    assert codes(draft) == {("media", "too_many")}


def test_a_media_descriptor_travels_as_the_contract_dict():
    recording = MediaRef(sha256="ab" * 32, size=3_300_000, type="audio/flac", kind="audio")

    assert recording.to_wire() == {"sha256": "ab" * 32, "size": 3_300_000, "type": "audio/flac", "kind": "audio"}
    assert MediaRef.from_wire(recording.to_wire()) == recording


@pytest.mark.parametrize(("wire", "expected"), [
    ({"sha256": "AB" * 32, "size": 1, "type": "image/jpeg", "kind": "photo"}, "64 lower-case hex"),
    ({"sha256": "ab" * 32, "size": -1, "type": "image/jpeg", "kind": "photo"}, "whole number"),
    ({"sha256": "ab" * 32, "size": 1, "type": "audio/flac", "kind": "photo"}, "a photo must be one of"),
    ({"sha256": "ab" * 32, "size": 1, "type": "video/mp4", "kind": "video"}, "kind"),
    ({"sha256": "ab" * 32, "size": 1}, "needs type, kind"),
])
def test_a_wrong_media_descriptor_is_refused_with_the_reason(wire, expected):
    with pytest.raises(ValueError, match=expected):
        MediaRef.from_wire(wire)


def test_the_payload_lists_the_media():
    contribution = Contribution.from_draft(alice_story(media=[photo()]), "2026-11-27T10:33:39.123Z", True)

    assert contribution.payload()["media"] == [photo().to_wire()]
