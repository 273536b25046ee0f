"""`createcurator NAME`: a staff account in the curators group, password from a prompt or stdin."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hub.curation.roles import curators_group


class Command(BaseCommand):
    help = "Create a curator account (staff, in the 'curators' group) that can sign in at /curate/."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("name", help="the curator's sign-in name, e.g. alice")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (also used when stdin is not a terminal)",
        )
        parser.add_argument("--update", action="store_true", help="set a new password for an existing curator")

    def handle(self, *args, name: str, password_stdin: bool, update: bool, **options):
        User = get_user_model()
        name = name.strip()
        if not name:
            raise CommandError("The curator name is empty; give a name such as 'alice'.")
        existing = User.objects.filter(username=name).first()
        if existing and not update:
            raise CommandError(f"{name!r} already has an account; add --update to give it a new password.")
        if not existing and update:
            raise CommandError(f"There is no user named {name!r} to update; leave out --update to create one.")
        password = self._read_password(options.get("stdin") or sys.stdin, password_stdin)
        user = existing or User(username=name)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password was refused: " + " ".join(error.messages)) from None
        with transaction.atomic():
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(curators_group())
        verb = "Updated" if existing else "Created"
        self.stdout.write(f"{verb} curator {name!r}. Sign in at /accounts/login/.")

    def _read_password(self, stdin, from_stdin: bool) -> str:
        if from_stdin or not stdin.isatty():
            password = stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ; nothing was changed.")
        if not password:
            raise CommandError("The password is empty; nothing was changed.")
        return password
