"""The kiosk's copy of the hub's published stories per exhibit, with thumbnails, kept within a disk budget."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.fsutil import atomic_write_bytes, atomic_write_json, locked, remove_leftover_temp_files
from sync.client import HubClient

log = logging.getLogger(__name__)

GALLERY_DIR = "gallery"
GALLERY_FILE = "gallery.json"
THUMBS_DIR = "thumbs"
LOCK_FILE = "gallery.lock"
DEFAULT_BUDGET_BYTES = 50 * 1024 * 1024
# Items per exhibit asked from the hub (its endpoint allows at most 50).
DEFAULT_PER_EXHIBIT = 12
_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


@dataclass(frozen=True)
class GalleryItem:
    """One published story as the kiosk shows it; `thumbnails` are local files (photos only)."""

    id: str
    exhibit: str
    prompt: str
    text: str
    author: str
    licence: str
    language: str
    published_at: str
    thumbnails: tuple[Path, ...]
    recordings: int  # how many recordings the story has (the kiosk shows a sign, it does not play them)


class GalleryCache:
    """<data>/gallery/: gallery.json (the commit point) and thumbs/<hash of the URL><ext>."""

    def __init__(self, data_dir: Path, budget_bytes: int = DEFAULT_BUDGET_BYTES,
                 per_exhibit: int = DEFAULT_PER_EXHIBIT):
        self.folder = Path(data_dir) / GALLERY_DIR
        self.budget_bytes = budget_bytes
        self.per_exhibit = per_exhibit

    def load(self, exhibit: str | None = None) -> list[GalleryItem]:
        """The stories of one exhibit (or all), newest first; empty before the first pull."""
        saved = self._read()
        thumbs = self.folder / THUMBS_DIR
        found = []
        for raw in saved.get("items", []):
            if exhibit is not None and raw.get("exhibit") != exhibit:
                continue
            files = tuple(thumbs / name for name in raw.get("thumbnails", []) if (thumbs / name).is_file())
            found.append(GalleryItem(
                id=raw["id"], exhibit=raw["exhibit"], prompt=raw.get("prompt", ""), text=raw.get("text", ""),
                author=raw.get("author", ""), licence=raw.get("licence", ""), language=raw.get("language", ""),
                published_at=raw.get("published_at", ""), thumbnails=files, recordings=raw.get("recordings", 0),
            ))
        return found

    def thumbnail_name(self, url: str) -> str:
        suffix = Path(urlsplit(url).path).suffix.lower()
        return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + (suffix if suffix in _SUFFIXES else ".jpg")

    def has_thumbnail(self, url: str) -> bool:
        return (self.folder / THUMBS_DIR / self.thumbnail_name(url)).is_file()

    def thumbnail_size(self, url: str) -> int:
        return (self.folder / THUMBS_DIR / self.thumbnail_name(url)).stat().st_size

    def save_thumbnail(self, url: str, data: bytes) -> None:
        thumbs = self.folder / THUMBS_DIR
        thumbs.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(thumbs / self.thumbnail_name(url), data)

    def replace(self, items: list[dict]) -> None:
        """Make `items` (each with "thumbnails": local names) the gallery; drop thumbnails nobody uses."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._locked():
            atomic_write_json(self.folder / GALLERY_FILE, {"format": "agora-gallery/1", "items": items})
            used = {name for item in items for name in item.get("thumbnails", [])}
            thumbs = self.folder / THUMBS_DIR
            if thumbs.is_dir():
                remove_leftover_temp_files(thumbs)
                for path in thumbs.iterdir():
                    if path.is_file() and path.name not in used:
                        path.unlink()

    def _read(self) -> dict:
        try:
            value = json.loads((self.folder / GALLERY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def _locked(self):
        return locked(self.folder / LOCK_FILE, mode=0o644)


def pull_gallery(client: HubClient, cache: GalleryCache, exhibits: Iterable[str] | None) -> int:
    """Replace the gallery with what the hub publishes now; returns how many stories the kiosk keeps.

    Newest stories of every exhibit come first, taken in turns across exhibits, until the thumbnails and
    text fill the disk budget; older stories beyond it are left out. Nothing is replaced unless every
    needed thumbnail was downloaded. Raises HubError, or ValueError for an answer that is not a gallery.
    """
    per_exhibit: list[list[dict]] = []
    for slug in (list(exhibits) if exhibits is not None else [None]):
        answer, _ = client.get_gallery(exhibit=slug, limit=cache.per_exhibit)
        items = answer.get("items") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise ValueError("the gallery answer has no list of items")
        per_exhibit.append([item for item in items if _valid(item)])
    ranked = [column[rank] for rank in range(max(map(len, per_exhibit), default=0))
              for column in per_exhibit if rank < len(column)]
    kept, used = [], 0
    for item in ranked:
        urls = [m["thumbnail_url"] for m in item.get("media") or [] if isinstance(m, dict) and m.get("thumbnail_url")]
        size = len(json.dumps(item, ensure_ascii=False).encode("utf-8"))
        for url in urls:
            if not cache.has_thumbnail(url):
                cache.save_thumbnail(url, client.fetch(url))
            size += cache.thumbnail_size(url)
        if used + size > cache.budget_bytes:
            continue
        used += size
        kept.append(_local(item, [cache.thumbnail_name(url) for url in urls]))
    kept.sort(key=lambda item: item["published_at"], reverse=True)
    cache.replace(kept)
    return len(kept)


def _valid(item: object) -> bool:
    return (isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("exhibit"), dict)
            and isinstance(item["exhibit"].get("slug"), str) and isinstance(item.get("published_at"), str))


def _local(item: dict, thumbnails: list[str]) -> dict:
    media = [m for m in item.get("media") or [] if isinstance(m, dict)]
    return {
        "id": item["id"],
        "exhibit": item["exhibit"]["slug"],
        "exhibit_title": item["exhibit"].get("title", ""),
        "prompt": item.get("prompt", ""),
        "text": item.get("text", ""),
        "author": item.get("author", ""),
        "licence": item.get("licence", ""),
        "language": item.get("language", ""),
        "published_at": item["published_at"],
        "thumbnails": thumbnails,
        "recordings": sum(1 for m in media if m.get("kind") == "audio"),
    }
