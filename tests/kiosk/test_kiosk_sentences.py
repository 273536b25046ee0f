"""The kiosk's sentences come from gettext catalogues: complete in French and English, compiled, and forgiving."""

import gettext
import logging
import re
import shutil
import subprocess

import pytest

from kiosk.ui.strings import REFERENCE, STRINGS, TRANSLATIONS_DIR, load, text
from tests.catalogues import po_entries

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_the_kiosk_speaks_french_and_english():
    assert {"fr", "en"} <= set(STRINGS)
    assert text("fr", "attract.welcome") == "Bienvenue"
    assert text("en", "common.step", number=2, total=5) == "Step 2 of 5"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_sentence_is_translated_with_the_same_blanks_to_fill(language):
    entries = po_entries(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "kiosk.po")
    reference = po_entries(TRANSLATIONS_DIR / REFERENCE / "LC_MESSAGES" / "kiosk.po")
    assert sorted(set(reference) - set(entries)) == []
    assert [key for key, (sentence,) in entries.items() if not sentence] == []
    different = [key for key, (sentence,) in entries.items()
                 if set(PLACEHOLDER.findall(sentence)) != set(PLACEHOLDER.findall(reference[key][0]))]
    assert different == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_compiled_catalogue_says_what_its_source_says(language):
    folder = TRANSLATIONS_DIR / language / "LC_MESSAGES"
    with open(folder / "kiosk.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [key for key, (sentence,) in po_entries(folder / "kiosk.po").items() if compiled.gettext(key) != sentence]
    assert stale == [], f"{folder}/kiosk.mo is older than kiosk.po: run `make messages`"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is in tools/packages/test.txt")
def test_a_sentence_a_new_language_lacks_is_shown_in_english(tmp_path, caplog):
    shutil.copytree(TRANSLATIONS_DIR / REFERENCE, tmp_path / REFERENCE)
    german = tmp_path / "de" / "LC_MESSAGES"
    german.mkdir(parents=True)
    (german / "kiosk.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "attract.welcome"\nmsgstr "Willkommen"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", german / "kiosk.mo", german / "kiosk.po"], check=True)
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.strings"):
        catalogues = load(tmp_path)
    assert catalogues["de"]["attract.welcome"] == "Willkommen"
    assert catalogues["de"]["common.back"] == "Back"
    assert "The de catalogue lacks" in caplog.text and "common.back" in caplog.text


def test_without_the_reference_catalogue_the_kiosk_says_what_to_restore(tmp_path):
    with pytest.raises(RuntimeError, match="make messages"):
        load(tmp_path)
