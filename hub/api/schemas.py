"""The JSON shapes of the API, with the checks that make a 422 name the field that is wrong."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, StrictBool, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from hub.isotime import parse_iso
from sync.protocol import (
    CONSENT_ARCHIVE,
    CONSENTS,
    LANGUAGES,
    LICENCES,
    MAX_AUTHOR_LENGTH,
    MAX_MEDIA_PER_CONTRIBUTION,
    MAX_TEXT_LENGTH,
    MEDIA_KINDS,
    MEDIA_TYPES,
    is_uuid,
)

Language = Literal[LANGUAGES]
Consent = Literal[CONSENTS]
LicenceKey = Literal[tuple(LICENCES)]
MediaKind = Literal[MEDIA_KINDS]
SHA256_PATTERN = r"^[0-9a-f]{64}$"
# Far above anything real, below what every database column can hold.
MAX_COUNT = 2**31 - 1
MAX_BYTES = 2**53


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "The text holds a NUL character (\\u0000); remove it.")
    return value


# Text as stored: PostgreSQL refuses NUL characters, so they are refused here for every database alike.
Text = Annotated[str, AfterValidator(_no_nul)]


class Error(Schema):
    detail: str = Field(description="What is wrong and what to do about it, in one or two plain sentences.")


class ErrorItem(Schema):
    loc: list[str | int] = Field(description='Where the problem is, e.g. ["body", "payload", "exhibit"].')
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[ErrorItem]


class PairIn(Schema):
    code: Text = Field(description="The code from `agora-hub pairing-code`; case, hyphens and spaces do not matter.")
    name: Text = Field(min_length=1, max_length=100, description='A name for the kiosk, e.g. "Hall".')

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank", "The kiosk name is empty; give it a name such as 'Hall'.")
        return value.strip()


class PairOut(Schema):
    device_id: str
    token: str = Field(description="The device's bearer token. Shown once; the hub keeps only its hash.")
    hub_name: str


class MuseumOut(Schema):
    name: str


class PromptOut(Schema):
    id: str
    text: dict[str, str]


class ExhibitOut(Schema):
    slug: str
    title: dict[str, str]
    description: dict[str, str]
    image_url: str | None
    image_credit: str
    prompts: list[PromptOut]


class TimeoutsOut(Schema):
    idle_seconds: int = Field(description="Back to the attract screen after this long without a touch.")
    thanks_seconds: int = Field(description="How long the thank-you screen stays.")


class AttractOut(Schema):
    title: dict[str, str] = Field(description="The attract screen's headline, per language.")
    text: dict[str, str] = Field(description="The line under it, per language.")
    images: list[str] = Field(description="Absolute URLs of pictures to cycle through (the exhibits' images).")


class ConfigOut(Schema):
    museum: MuseumOut
    languages: list[str]
    exhibits: list[ExhibitOut]
    timeouts: TimeoutsOut
    attract: AttractOut


class MediaIn(Schema):
    sha256: str = Field(pattern=SHA256_PATTERN, description="SHA-256 of the bytes, 64 lower-case hex digits.")
    size: int = Field(ge=1, le=MAX_BYTES, description="Bytes.")
    kind: MediaKind
    type: str = Field(description="image/jpeg, image/png, image/webp; audio/flac, audio/wav, audio/ogg, audio/mpeg.")

    @field_validator("type")
    @classmethod
    def _type_fits_kind(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind in MEDIA_TYPES and value not in MEDIA_TYPES[kind]:
            raise PydanticCustomError(
                "media_type", "{value!r} is not a {kind} type; use one of {types}.",
                {"value": value, "kind": kind, "types": ", ".join(MEDIA_TYPES[kind])},
            )
        return value


class ContributionIn(Schema):
    uuid: str
    exhibit: Text
    prompt: Text
    language: Language
    # Before the text, so that the text check knows whether a photo or recording carries the contribution.
    media: list[MediaIn] = Field(
        max_length=MAX_MEDIA_PER_CONTRIBUTION,
        description="Photos and recordings, each uploaded first to /api/v1/kiosk/blobs/sha256/{hex}.",
    )
    text: Text
    author_name: Text
    consent: Consent
    licence: LicenceKey | None
    created_at: str = Field(description="ISO 8601, UTC, as the kiosk's clock saw it.")
    clock_synchronised: StrictBool

    @field_validator("uuid")
    @classmethod
    def _uuid(cls, value: str) -> str:
        if not is_uuid(value):
            raise PydanticCustomError(
                "uuid_format", "uuid must be a lower-case hyphenated UUID such as 0190f2c4-5b7e-7d3a-8c1f-2a4b6c8d0e1f."
            )
        return value

    @field_validator("text")
    @classmethod
    def _text(cls, value: str, info: ValidationInfo) -> str:
        length = len(value.strip())
        if length == 0 and "media" in info.data and not info.data["media"]:
            raise PydanticCustomError(
                "empty_text", "The text is empty; a contribution needs some text, a photo or a recording."
            )
        if length > MAX_TEXT_LENGTH:
            raise PydanticCustomError(
                "text_too_long",
                "The text has {length} characters; the most a contribution may have is {limit}.",
                {"length": length, "limit": MAX_TEXT_LENGTH},
            )
        return value

    @field_validator("author_name")
    @classmethod
    def _author_name(cls, value: str) -> str:
        length = len(value.strip())
        if length > MAX_AUTHOR_LENGTH:
            raise PydanticCustomError(
                "author_too_long",
                "The author name has {length} characters; the most allowed is {limit}.",
                {"length": length, "limit": MAX_AUTHOR_LENGTH},
            )
        return value

    @field_validator("licence")
    @classmethod
    def _licence_matches_consent(cls, value: str | None, info: ValidationInfo) -> str | None:
        consent = info.data.get("consent")
        if consent == CONSENT_ARCHIVE and value is not None:
            raise PydanticCustomError(
                "licence_with_archive", "licence must be null when consent is 'archive' (the story stays private)."
            )
        if consent is not None and consent != CONSENT_ARCHIVE and value is None:
            raise PydanticCustomError(
                "licence_missing", "licence is required when consent is 'public'; use one of {keys}.",
                {"keys": ", ".join(LICENCES)},
            )
        return value

    @field_validator("created_at")
    @classmethod
    def _created_at(cls, value: str) -> str:
        try:
            parse_iso(value)
        except ValueError:
            raise PydanticCustomError(
                "datetime_format", "created_at must be an ISO 8601 time such as 2026-11-27T10:33:39.123Z."
            ) from None
        return value

    @field_validator("media")
    @classmethod
    def _media_listed_once(cls, value: list[MediaIn]) -> list[MediaIn]:
        hashes = [item.sha256 for item in value]
        twice = sorted({sha for sha in hashes if hashes.count(sha) > 1})
        if twice:
            raise PydanticCustomError(
                "media_repeated", "The blob {sha} is listed more than once; list each photo or recording once.",
                {"sha": twice[0]},
            )
        return value


class ReceiptOut(Schema):
    uuid: str
    receipt: str = Field(description="The short code the kiosk printed for the visitor, e.g. ABCD-EFGH.")
    received_at: str
    blobs: list[str] = Field(description="Every blob hash the hub holds for this contribution.")


class MissingBlobs(Schema):
    detail: str
    missing: list[str] = Field(description="The blobs to upload (or finish uploading) before sending again.")


class BlobOut(Schema):
    sha256: str
    offset: int = Field(description="Bytes the hub holds; equal to the size once complete.")
    complete: bool


class OffsetError(Schema):
    detail: str
    offset: int = Field(description="Bytes the hub holds: resume the upload from here.")


class HeartbeatIn(Schema):
    app_version: Text = Field(max_length=40, description="The kiosk software's version.")
    outbox_depth: int = Field(0, ge=0, le=MAX_COUNT, description="Contributions waiting on the kiosk to be delivered.")
    oldest_pending_seconds: float | None = Field(None, ge=0, le=1e12, description="Age of the oldest waiting one.")
    free_disk_bytes: int | None = Field(None, ge=0, le=MAX_BYTES)
    camera: bool | None = Field(None, description="Whether a camera is present and working.")
    microphone: bool | None = Field(None, description="Whether a microphone is present and working.")
    last_error: Text | None = Field(None, max_length=2000, description="The kiosk's last error, in plain words.")


class HeartbeatOut(Schema):
    received_at: str = Field(description="The hub's clock, so the kiosk can tell whether its own is right.")
    device_id: str
    name: str
    rotate_token: bool = Field(description="A curator asked this kiosk to rotate its token.")


class RotateOut(Schema):
    device_id: str
    token: str = Field(description="The new bearer token. Shown once; the hub keeps only its hash.")
    previous_token_valid_until: str = Field(description="Until then the token used for this call still works.")


class ItemExhibitOut(Schema):
    slug: str
    title: str


class ItemMediaOut(Schema):
    kind: MediaKind
    type: str
    url: str
    thumbnail_url: str | None = Field(description="A small JPEG for photos; null for recordings.")
    width: int | None
    height: int | None
    duration: float | None = Field(description="Seconds, for recordings.")


class ItemOut(Schema):
    id: str
    exhibit: ItemExhibitOut
    prompt: str
    text: str
    author: str
    licence: str
    language: str
    published_at: str
    media: list[ItemMediaOut]


class GalleryOut(Schema):
    exhibit: str | None
    items: list[ItemOut]


class ItemsPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[ItemOut]
