"""`seed_demo`: load the demo museum's exhibits, prompts and images; running it again updates, never duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hub.museum.models import Exhibit, Prompt

# The repository root holds assets/demo/ next to the hub package.
DEMO_DIR = Path(__file__).resolve().parents[4] / "assets" / "demo"


class Command(BaseCommand):
    help = "Load the demo exhibits and prompts (config.json + images/) into the hub."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="source", type=Path, default=DEMO_DIR, help=f"demo folder (default {DEMO_DIR})"
        )

    def handle(self, *args, source: Path, **options):
        exhibits = _read(source)
        with transaction.atomic():
            for position, data in enumerate(exhibits):
                created = _load_exhibit(source, position, data)
                self.stdout.write(f"{'Added' if created else 'Updated'} exhibit {data['slug']!r}.")
        self.stdout.write(f"The demo museum has {len(exhibits)} exhibits from {source}.")


def _read(source: Path) -> list[dict]:
    config_file = source / "config.json"
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{config_file} does not exist; pass the demo folder with --from DIR.") from None
    except json.JSONDecodeError as error:
        raise CommandError(f"{config_file} is not valid JSON: {error}.") from None
    exhibits = config.get("exhibits") if isinstance(config, dict) else None
    if not isinstance(exhibits, list):
        raise CommandError(f"{config_file} has no list of exhibits; it must look like the kiosk config.")
    for number, data in enumerate(exhibits, start=1):
        missing = [key for key in ("slug", "title", "prompts") if key not in data]
        if missing:
            raise CommandError(f"Exhibit number {number} in {config_file} lacks {', '.join(missing)}.")
        image = data.get("image_url")
        if image and not (source / "images" / image).is_file():
            raise CommandError(f"The image {image!r} of exhibit {data['slug']!r} is not in {source / 'images'}.")
    return exhibits


def _load_exhibit(source: Path, position: int, data: dict) -> bool:
    exhibit, created = Exhibit.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title_fr": data["title"].get("fr", ""),
            "title_en": data["title"].get("en", ""),
            "description_fr": data.get("description", {}).get("fr", ""),
            "description_en": data.get("description", {}).get("en", ""),
            "image_credit": data.get("image_credit") or "",
            "position": position,
            "active": True,
        },
    )
    if data.get("image_url"):
        _set_image(exhibit, source / "images" / data["image_url"])
    for prompt_position, prompt in enumerate(data["prompts"]):
        Prompt.objects.update_or_create(
            exhibit=exhibit,
            slug=prompt["id"],
            defaults={
                "text_fr": prompt["text"].get("fr", ""),
                "text_en": prompt["text"].get("en", ""),
                "position": prompt_position,
                "active": True,
            },
        )
    return created


def _set_image(exhibit: Exhibit, image_file: Path) -> None:
    content = image_file.read_bytes()
    if exhibit.image:
        try:
            with exhibit.image.open("rb") as stored:
                if stored.read() == content:
                    return
        except FileNotFoundError:
            pass
        exhibit.image.delete(save=False)
    exhibit.image.save(f"{exhibit.slug}{image_file.suffix.lower()}", ContentFile(content), save=True)
