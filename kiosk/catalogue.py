"""The exhibits and prompts the kiosk offers: the hub's last good copy on disk, else the bundled demo list."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import kiosk
from kiosk.fsutil import atomic_write_bytes, atomic_write_json, locked, remove_leftover_temp_files

log = logging.getLogger(__name__)

DEMO_DIR = Path(kiosk.__file__).resolve().parents[1] / "assets" / "demo"
CATALOGUE_DIR = "catalogue"
CONFIG_FILE = "config.json"
# The copy before the current one, with its images kept, so a damaged current copy has a hub fallback.
PREVIOUS_FILE = "config.previous.json"
IMAGES_DIR = "images"
LOCK_FILE = "catalogue.lock"

_SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
_MAGIC = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG", ".png"), (b"GIF8", ".gif"), (b"RIFF", ".webp"))


class CatalogueError(ValueError):
    """A catalogue cannot be used; the message says what is wrong with it."""


@dataclass(frozen=True)
class Prompt:
    id: str
    text: dict[str, str]


@dataclass(frozen=True)
class Exhibit:
    slug: str
    title: dict[str, str]
    description: dict[str, str]
    image: Path | None
    image_credit: str
    prompts: tuple[Prompt, ...]

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


@dataclass(frozen=True)
class Catalogue:
    museum_name: str
    languages: tuple[str, ...]
    exhibits: tuple[Exhibit, ...]
    source: str  # "demo" or "hub"

    def exhibit(self, slug: str) -> Exhibit | None:
        return next((e for e in self.exhibits if e.slug == slug), None)


class CatalogueCache:
    """The local copy of the hub's config in <data dir>/catalogue/, replaced only by a complete download."""

    def __init__(self, folder: Path, demo_dir: Path = DEMO_DIR):
        self.folder = Path(folder) / CATALOGUE_DIR
        self.demo_dir = Path(demo_dir)

    def load(self) -> Catalogue:
        """The hub copy if present and valid, else the previous hub copy, else the bundled demo list."""
        for name in (CONFIG_FILE, PREVIOUS_FILE):
            path = self.folder / name
            if not path.exists():
                continue
            try:
                return parse_catalogue(_read_json(path), self.folder / IMAGES_DIR, "hub")
            except CatalogueError as error:
                log.error("Ignoring the exhibit list in %s: %s", path, error)
        try:
            return parse_catalogue(_read_json(self.demo_dir / CONFIG_FILE), self.demo_dir / "images", "demo")
        except CatalogueError as error:
            raise CatalogueError(f"the bundled demo list {self.demo_dir / CONFIG_FILE} is unusable: {error}") \
                from None

    def revision(self) -> tuple[int, int] | None:
        """Changes whenever a new hub copy is saved (by this or another process); None before the first."""
        try:
            stat = (self.folder / CONFIG_FILE).stat()
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns)

    def cached_image(self, url: str) -> bytes | None:
        """The bytes saved for an image URL by the current copy, so unchanged images are not downloaded again."""
        try:
            config = _read_json(self.folder / CONFIG_FILE)
            for exhibit in config.get("exhibits", []):
                if exhibit.get("image_source_url") == url and exhibit.get("image_url"):
                    return (self.folder / IMAGES_DIR / exhibit["image_url"]).read_bytes()
        except (CatalogueError, OSError, AttributeError, TypeError):
            return None
        return None

    def replace(self, config: dict, images: dict[str, bytes]) -> None:
        """Save a complete download atomically: images first, config.json last as the commit point.

        `config` is the hub's JSON; `images` maps exhibit slugs to image bytes. An invalid config raises
        CatalogueError and leaves the current copy untouched.
        """
        parse_catalogue(config, None, "hub")
        images_dir = self.folder / IMAGES_DIR
        images_dir.mkdir(parents=True, exist_ok=True)
        with self._locked():
            remove_leftover_temp_files(self.folder)
            remove_leftover_temp_files(images_dir)
            local = json.loads(json.dumps(config))
            for exhibit in local["exhibits"]:
                source = exhibit.get("image_url")
                data = images.get(exhibit["slug"])
                exhibit["image_source_url"] = source
                exhibit["image_url"] = None
                if source and data:
                    # Content-addressed names let the previous copy keep its own images until it is dropped.
                    name = f"{exhibit['slug']}-{hashlib.sha256(data).hexdigest()[:12]}{_suffix(source, data)}"
                    if not (images_dir / name).exists():
                        atomic_write_bytes(images_dir / name, data)
                    exhibit["image_url"] = name
            current = self.folder / CONFIG_FILE
            if current.exists():
                try:
                    parse_catalogue(_read_json(current), images_dir, "hub")
                    os.replace(current, self.folder / PREVIOUS_FILE)
                except CatalogueError as error:
                    log.warning("Not keeping the damaged exhibit list %s as a fallback: %s", current, error)
            atomic_write_json(current, local)
            self._drop_unused_images(images_dir)

    def _drop_unused_images(self, images_dir: Path) -> None:
        used = set()
        for name in (CONFIG_FILE, PREVIOUS_FILE):
            try:
                used.update(e.get("image_url") for e in _read_json(self.folder / name).get("exhibits", []))
            except (CatalogueError, AttributeError):
                continue
        for path in images_dir.iterdir():
            if path.is_file() and path.name not in used:
                path.unlink()

    def _locked(self):
        # The app's sync thread and `agora-kiosk sync --once` may pull at the same time.
        return locked(self.folder / LOCK_FILE, mode=0o644)


def parse_catalogue(config: object, images_dir: Path | None, source: str) -> Catalogue:
    """Check the config JSON shape (the hub's endpoint, or a saved copy) and build a Catalogue.

    With `images_dir`, image_url values are file names in it; a missing file leaves that exhibit
    without a picture rather than hiding the whole list. Without it, images are not resolved.
    """
    if not isinstance(config, dict):
        raise CatalogueError("expected a JSON object")
    museum = config.get("museum")
    if not isinstance(museum, dict) or not isinstance(museum.get("name"), str):
        raise CatalogueError('"museum" must be an object with a "name"')
    languages = config.get("languages")
    if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
        raise CatalogueError('"languages" must be a non-empty list of language codes')
    raw_exhibits = config.get("exhibits")
    if not isinstance(raw_exhibits, list):
        raise CatalogueError('"exhibits" must be a list')
    exhibits = []
    for index, raw in enumerate(raw_exhibits):
        exhibit = _parse_exhibit(raw, index, images_dir)
        if exhibit.prompts:
            exhibits.append(exhibit)
        else:
            log.info("Exhibit %s has no prompt, so visitors cannot answer it; not shown", exhibit.slug)
    return Catalogue(museum["name"], tuple(languages), tuple(exhibits), source)


def _parse_exhibit(raw: object, index: int, images_dir: Path | None) -> Exhibit:
    where = f"exhibits[{index}]"
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where} must be an object")
    slug = raw.get("slug")
    if not isinstance(slug, str) or not _SLUG_RE.match(slug):
        raise CatalogueError(f"{where}.slug must be a slug like la-tapisserie, not {slug!r}")
    prompts = raw.get("prompts", [])
    if not isinstance(prompts, list):
        raise CatalogueError(f"{where}.prompts must be a list")
    parsed_prompts = []
    for number, prompt in enumerate(prompts):
        if not isinstance(prompt, dict) or not isinstance(prompt.get("id"), str) or not prompt["id"]:
            raise CatalogueError(f"{where}.prompts[{number}] must have an id")
        parsed_prompts.append(Prompt(prompt["id"], _texts(prompt.get("text"), f"{where}.prompts[{number}].text")))
    image_url = raw.get("image_url")
    if image_url is not None and not isinstance(image_url, str):
        raise CatalogueError(f"{where}.image_url must be a string or null")
    credit = raw.get("image_credit") or ""
    if not isinstance(credit, str):
        raise CatalogueError(f"{where}.image_credit must be a string")
    return Exhibit(
        slug=slug,
        title=_texts(raw.get("title"), f"{where}.title"),
        description=_texts(raw.get("description") or {}, f"{where}.description"),
        image=_image(images_dir, image_url, slug),
        image_credit=credit,
        prompts=tuple(parsed_prompts),
    )


def _image(images_dir: Path | None, name: str | None, slug: str) -> Path | None:
    if images_dir is None or not name:
        return None
    path = images_dir / name
    if Path(name).name != name or not path.is_file():
        log.warning("The picture of exhibit %s (%s) is missing; showing it without one", slug, path)
        return None
    return path


def _texts(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise CatalogueError(f"{where} must map language codes to text, like {{\"fr\": \"...\", \"en\": \"...\"}}")
    return dict(value)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogueError(f"{path} does not exist") from None
    except (OSError, ValueError) as error:
        raise CatalogueError(f"{path} is not readable JSON ({error})") from None


def _suffix(url: str, data: bytes) -> str:
    suffix = Path(urlsplit(url).path).suffix.lower()
    if suffix in _IMAGE_SUFFIXES:
        return suffix
    return next((ext for magic, ext in _MAGIC if data.startswith(magic)), ".img")
