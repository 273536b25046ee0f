"""Every sentence the kiosk shows, per language, looked up by key in the gettext catalogues of assets/translations."""

from __future__ import annotations

import gettext
import logging
from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "translations"
DOMAIN = "kiosk"
# The reference language: every key exists in it, and a sentence missing from another language falls back to it.
REFERENCE = "en"

logger = logging.getLogger(__name__)


def load(folder: Path = TRANSLATIONS_DIR) -> dict[str, dict[str, str]]:
    """Each language's sentences by key, read from folder/<language>/LC_MESSAGES/kiosk.mo."""
    catalogues: dict[str, dict[str, str]] = {}
    for compiled in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")):
        with open(compiled, "rb") as handle:
            sentences = gettext.GNUTranslations(handle)._catalog  # key -> sentence; gettext has no public view
        catalogues[compiled.parents[1].name] = {key: value for key, value in sentences.items() if key}
    if REFERENCE not in catalogues:
        raise RuntimeError(
            f"The kiosk's sentences are missing: no {folder}/{REFERENCE}/LC_MESSAGES/{DOMAIN}.mo. "
            "Restore assets/translations from the Agora sources, or run `make messages` to compile it."
        )
    reference = catalogues[REFERENCE]
    for language, sentences in catalogues.items():
        missing = sorted(set(reference) - set(sentences))
        if missing:
            logger.warning("The %s catalogue lacks %d sentences (shown in English): %s", language, len(missing),
                           ", ".join(missing))
        catalogues[language] = {**reference, **sentences}
    return catalogues


STRINGS: dict[str, dict[str, str]] = load()


def minutes(seconds: float) -> str:
    """A length as the kiosk shows it: 42 -> "0:42", 180 -> "3:00"."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def text(language: str, key: str, **values) -> str:
    """The sentence for a key in a language, with {placeholders} filled in."""
    sentence = STRINGS[language][key]
    return sentence.format(**values) if values else sentence
