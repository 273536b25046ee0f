"""Reading gettext .po files in tests: what each message is translated to, as the source of a compiled .mo."""

from __future__ import annotations

import re
from pathlib import Path

_FIELD = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$')


def po_entries(path: Path) -> dict[str, list[str]]:
    """msgid -> its translations (plural forms give several), with escapes undone."""
    entries: dict[str, list[str]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = _FIELD.match(line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            unescaped = {name: _unescape(value) for name, value in fields.items()}
            entries[unescaped["msgid"]] = [value for name, value in sorted(unescaped.items())
                                           if name.startswith("msgstr")]
    return entries


def _unescape(value: str) -> str:
    return re.sub(r'\\(["\\n])', lambda match: "\n" if match.group(1) == "n" else match.group(1), value)
