"""The JSON shapes of the API, with the checks that make a 422 name the field that is wrong."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from hub.isotime import parse_iso
from sync.protocol import (
    CONSENT_ARCHIVE,
    CONSENTS,
    LANGUAGES,
    LICENCES,
    MAX_AUTHOR_LENGTH,
    MAX_TEXT_LENGTH,
    is_uuid,
)

Language = Literal[LANGUAGES]
Consent = Literal[CONSENTS]
LicenceKey = Literal[tuple(LICENCES)]


class Error(Schema):
    detail: str = Field(description="What is wrong and what to do about it, in one or two plain sentences.")


class ErrorItem(Schema):
    loc: list[str | int] = Field(description='Where the problem is, e.g. ["body", "payload", "exhibit"].')
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[ErrorItem]


class PairIn(Schema):
    code: str = Field(description="The code from `agora-hub pairing-code`; case, hyphens and spaces do not matter.")
    name: str = Field(min_length=1, max_length=100, description='A name for the kiosk, e.g. "Hall".')

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


class ConfigOut(Schema):
    museum: MuseumOut
    languages: list[str]
    exhibits: list[ExhibitOut]


class ContributionIn(Schema):
    uuid: str
    exhibit: str
    prompt: str
    language: Language
    text: str
    author_name: str
    consent: Consent
    licence: LicenceKey | None
    created_at: str = Field(description="ISO 8601, UTC, as the kiosk's clock saw it.")
    clock_synchronised: StrictBool
    media: list[Any] = Field(description="Always [] in protocol v1.")

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
    def _text(cls, value: str) -> str:
        length = len(value.strip())
        if length == 0:
            raise PydanticCustomError("empty_text", "The text is empty; a contribution needs at least one character.")
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
    def _media(cls, value: list[Any]) -> list[Any]:
        if value:
            raise PydanticCustomError("media_unsupported", "media must be [] in protocol v1.")
        return value


class ReceiptOut(Schema):
    uuid: str
    receipt: str = Field(description="The short code the kiosk printed for the visitor, e.g. ABCD-EFGH.")
    received_at: str
    blobs: list[Any]


class ItemExhibitOut(Schema):
    slug: str
    title: str


class ItemOut(Schema):
    id: str
    exhibit: ItemExhibitOut
    prompt: str
    text: str
    author: str
    licence: str
    language: str
    published_at: str


class ItemsPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[ItemOut]
