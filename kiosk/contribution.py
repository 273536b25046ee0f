"""A visitor's contribution: the in-memory draft, its validation in both languages, and the frozen record."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sync.protocol import (
    CONSENT_ARCHIVE,
    CONSENTS,
    DEFAULT_LICENCE,
    LANGUAGES,
    LICENCES,
    MAX_AUTHOR_LENGTH,
    MAX_TEXT_LENGTH,
    PAYLOAD_FIELDS,
    is_uuid,
    new_uuid7,
    receipt_code,
)

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"
STATES = (PENDING, DELIVERED, FAILED)


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
        if not text:
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
        )

    @classmethod
    def from_record(cls, record: dict) -> Contribution:
        known = {name: record[name] for name in cls.__dataclass_fields__ if name in record}
        return cls(**known)

    def to_record(self) -> dict:
        return asdict(self)

    @property
    def receipt_code(self) -> str:
        return receipt_code(self.uuid)

    def payload(self) -> dict:
        """The wire body of PUT /api/v1/kiosk/contributions/{uuid}: every field, always in the same order."""
        values = self.to_record()
        values["media"] = []
        return {name: values[name] for name in PAYLOAD_FIELDS}
