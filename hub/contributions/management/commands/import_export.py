"""`import_export DIR`: take in a kiosk's export folder carried over on a USB stick."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hub.contributions.importing import ExportUnreadable, import_folder


class Command(BaseCommand):
    help = "Import an agora-export-… folder written by `agora-kiosk export`; running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the agora-export-… folder")

    def handle(self, *args, folder: Path, **options):
        try:
            report = import_folder(folder)
        except ExportUnreadable as error:
            raise CommandError(str(error)) from None
        for label, reason in report.refused:
            self.stderr.write(f"Refused {label}: {reason}")
        self.stdout.write(
            f"Imported {len(report.created)} new contribution(s); {len(report.already)} were already on the hub; "
            f"{report.blobs_new} new media file(s), {report.blobs_known} already held."
        )
        if report.refused:
            raise CommandError(f"{len(report.refused)} item(s) were refused (listed above); the rest was imported.")
