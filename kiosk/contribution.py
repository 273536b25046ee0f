"""A visitor's contribution: the in-memory draft, its validation in both languages, and the frozen record."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from sync.protocol import (
    CONSENT_ARCHIVE,
    CONSENTS,
    DEFAULT_LICENCE,
    LANGUAGES,
    LICENCES,
    MAX_AUTHOR_LENGTH,
    MAX_MEDIA_PER_CONTRIBUTION,
    MAX_TEXT_LENGTH,
    MEDIA_TYPES,
    PAYLOAD_FIELDS,
    is_uuid,
    new_uuid7,
    receipt_code,
)

# The life of a contribution: a Draft in memory, then pending in the store's live table (frozen from then
# on), then delivered with the hub's receipt (moved to the archive folder, pruned after the retention), or
# failed with the hub's reason. Quarantined records are the ones whose media were missing or damaged at start.
DRAFT = "draft"
PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"
QUARANTINED = "quarantined"
STATES = (PENDING, DELIVERED, FAILED)

_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class MediaRef:
    """One photo or recording of a contribution, named by the sha256 of its bytes (the same dict on the wire)."""

    sha256: str
    size: int
    type: str
    kind: str

    def __post_init__(self):
        if not isinstance(self.sha256, str) or not _SHA256_RE.match(self.sha256):
            raise ValueError(f"a media sha256 must be 64 lower-case hex digits, not {self.sha256!r}")
        if not isinstance(self.size, int) or isinstance(self.size, bool) or self.size < 0:
            raise ValueError(f"a media size must be a whole number of bytes, not {self.size!r}")
        if self.kind not in MEDIA_TYPES:
            raise ValueError(f"a media kind must be one of {', '.join(MEDIA_TYPES)}, not {self.kind!r}")
        if self.type not in MEDIA_TYPES[self.kind]:
            raise ValueError(f"a {self.kind} must be one of {', '.join(MEDIA_TYPES[self.kind])}, not {self.type!r}")

    def to_wire(self) -> dict:
        return {"sha256": self.sha256, "size": self.size, "type": self.type, "kind": self.kind}

    @classmethod
    def from_wire(cls, value: dict) -> MediaRef:
        """The descriptor from its dict; ValueError naming the problem when it is not one."""
        if isinstance(value, MediaRef):
            return value
        if not isinstance(value, dict):
            raise ValueError(f"a media descriptor is a JSON object, not {value!r}")
        missing = [name for name in ("sha256", "size", "type", "kind") if name not in value]
        if missing:
            raise ValueError(f"a media descriptor needs {', '.join(missing)}")
        return cls(sha256=value["sha256"], size=value["size"], type=value["type"], kind=value["kind"])


@dataclass(frozen=True)
class Problem:
    """One reason a draft cannot be submitted yet, worded for the visitor in French and English."""

    field: str
    code: str
    message_fr: str
    message_en: str

    def message(self, language: str) -> str:
        return self.message_fr if language == "fr" else self.message_en


class InvalidContribution(ValueError):
    """A draft was submitted with problems; nothing was stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.field}: {p.message_en}" for p in self.problems))


@dataclass
class Draft:
    """What a visitor is writing; lives only in memory while they are at the kiosk."""

    uuid: str = field(default_factory=new_uuid7)
    language: str = "fr"
    exhibit: str = ""
    prompt: str = ""
    text: str = ""
    author_name: str = ""
    consent: str = "public"
    licence: str | None = DEFAULT_LICENCE
    media: list[MediaRef] = field(default_factory=list)

    def problems(self) -> list[Problem]:
        """Everything that stops this draft from being submitted; empty when it can be submitted."""
        found = []
        if not is_uuid(self.uuid):
            found.append(Problem("uuid", "invalid", "Identifiant de contribution invalide.",
                                 "Invalid contribution identifier."))
        if not self.exhibit:
            found.append(Problem("exhibit", "missing", "Choisissez une œuvre.", "Choose an exhibit."))
        if not self.prompt:
            found.append(Problem("prompt", "missing", "Choisissez une question.", "Choose a question."))
        if self.language not in LANGUAGES:
            found.append(Problem("language", "unknown", "Choisissez une langue.", "Choose a language."))
        text = (self.text or "").strip()
        found.extend(self._media_problems())
        if not text and not self.media:
            found.append(Problem("text", "empty", "Écrivez quelques mots avant d'envoyer.",
                                 "Write a few words before sending."))
        elif len(text) > MAX_TEXT_LENGTH:
            found.append(Problem(
                "text", "too_long",
                f"Votre texte dépasse {MAX_TEXT_LENGTH} caractères ; raccourcissez-le un peu.",
                f"Your text is longer than {MAX_TEXT_LENGTH} characters; please shorten it a little.",
            ))
        if len((self.author_name or "").strip()) > MAX_AUTHOR_LENGTH:
            found.append(Problem(
                "author_name", "too_long",
                f"Le nom ne peut pas dépasser {MAX_AUTHOR_LENGTH} caractères.",
                f"The name can be at most {MAX_AUTHOR_LENGTH} characters long.",
            ))
        found.extend(self._consent_problems())
        return found

    def _media_problems(self) -> list[Problem]:
        if len(self.media) > MAX_MEDIA_PER_CONTRIBUTION:
            return [Problem(
                "media", "too_many",
                f"Vous pouvez joindre au plus {MAX_MEDIA_PER_CONTRIBUTION} photos ou enregistrements.",
                f"You can add at most {MAX_MEDIA_PER_CONTRIBUTION} photos or recordings.",
            )]
        if not all(isinstance(item, MediaRef) for item in self.media):
            return [Problem("media", "invalid", "Une photo ou un enregistrement est illisible.",
                            "A photo or recording cannot be read.")]
        return []

    def _consent_problems(self) -> list[Problem]:
        if self.consent not in CONSENTS:
            return [Problem("consent", "unknown", "Choisissez qui pourra lire votre texte.",
                            "Choose who may read your text.")]
        if self.consent == CONSENT_ARCHIVE:
            if self.licence is not None:
                return [Problem("licence", "not_allowed",
                                "Une contribution réservée aux archives n'a pas de licence.",
                                "A contribution kept for the archive only has no licence.")]
            return []
        if self.licence not in LICENCES:
            return [Problem("licence", "missing", "Choisissez une licence pour publier votre texte.",
                            "Choose a licence to publish your text.")]
        return []


@dataclass(frozen=True)
class Contribution:
    """A submitted contribution as the kiosk stores it; only state, receipt and failure ever change."""

    uuid: str
    exhibit: str
    prompt: str
    language: str
    text: str
    author_name: str
    consent: str
    licence: str | None
    created_at: str
    clock_synchronised: bool
    state: str = PENDING
    receipt: dict | None = None
    failure: str | None = None
    media: tuple[MediaRef, ...] = ()

    @classmethod
    def from_draft(cls, draft: Draft, created_at: str, clock_synchronised: bool) -> Contribution:
        problems = draft.problems()
        if problems:
            raise InvalidContribution(problems)
        return cls(
            uuid=draft.uuid,
            exhibit=draft.exhibit,
            prompt=draft.prompt,
            language=draft.language,
            text=draft.text.strip(),
            author_name=(draft.author_name or "").strip(),
            consent=draft.consent,
            licence=draft.licence,
            created_at=created_at,
            clock_synchronised=bool(clock_synchronised),
            media=tuple(draft.media),
        )

    @classmethod
    def from_record(cls, record: dict) -> Contribution:
        known = {name: record[name] for name in cls.__dataclass_fields__ if name in record}
        known["media"] = tuple(MediaRef.from_wire(item) for item in known.get("media") or ())
        return cls(**known)

    def to_record(self) -> dict:
        record = asdict(self)
        record["media"] = [item.to_wire() for item in self.media]
        return record

    @property
    def receipt_code(self) -> str:
        return receipt_code(self.uuid)

    def payload(self) -> dict:
        """The wire body of PUT /api/v1/kiosk/contributions/{uuid}: every field, always in the same order."""
        values = self.to_record()
        return {name: values[name] for name in PAYLOAD_FIELDS}
