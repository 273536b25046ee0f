"""`pairing_code`: a one-time code a kiosk trades for its device token within a few minutes."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from hub.devices.models import PairingCode

MAX_MINUTES = 24 * 60


class Command(BaseCommand):
    help = "Print a one-time pairing code for a new kiosk (first line: the code alone)."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=15, help="how long the code stays valid (default 15)")
        parser.add_argument(
            "--authorise",
            action="store_true",
            help="the kiosk paired with this code may send at once, without waiting for a curator on the devices page",
        )
        parser.add_argument("--quiet", action="store_true", help="print only the code")

    def handle(self, *args, minutes: int, authorise: bool, quiet: bool, **options):
        if not 1 <= minutes <= MAX_MINUTES:
            raise CommandError(f"--minutes must be between 1 and {MAX_MINUTES}, not {minutes}.")
        record, code = PairingCode.issue(timedelta(minutes=minutes), authorise=authorise)
        self.stdout.write(code)
        if quiet:
            return
        self.stdout.write(f"Valid until {record.expires_at:%Y-%m-%d %H:%M} UTC ({minutes} minutes), for one kiosk.")
        self.stdout.write(f"On the kiosk: agora-kiosk pair --hub <this hub's URL> --code {code} --name <kiosk name>")
        if authorise:
            self.stdout.write("The kiosk may send as soon as it pairs.")
        else:
            self.stdout.write("Then authorise the kiosk on the devices page, /curate/devices/.")
