"""`prune_blobs`: remove media blobs that no contribution references, once they are old enough."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hub.blobs.pruning import prune


class Command(BaseCommand):
    help = "Remove photos and recordings (complete or half-uploaded) that no contribution has claimed in time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=None,
            help=f"age after which an unclaimed blob goes (default AGORA_HUB_BLOB_UNREFERENCED_HOURS, now "
            f"{settings.AGORA_HUB_BLOB_UNREFERENCED_HOURS})",
        )
        parser.add_argument("--dry-run", action="store_true", help="list what would go, remove nothing")

    def handle(self, *args, hours: int | None, dry_run: bool, **options):
        if hours is not None and hours < 0:
            raise CommandError(f"--hours must be 0 or more, not {hours}.")
        doomed = prune(hours, dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        for blob in doomed:
            self.stdout.write(f"{verb} {blob.kind} {blob.sha256} ({'complete' if blob.complete else 'partial'}, "
                              f"{blob.size} bytes, last touched {blob.updated_at:%Y-%m-%d %H:%M} UTC).")
        self.stdout.write(f"{verb} {len(doomed)} unreferenced blob{'s' if len(doomed) != 1 else ''}.")
