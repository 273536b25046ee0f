"""Paired kiosks and the one-time codes that pair them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.devices.tokens import new_pairing_code, new_token, normalise_code, sha256_hex

PAIRING_CODE_LIFETIME = timedelta(minutes=15)


class Device(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "created_at"]
        verbose_name = _("kiosk")

    def __str__(self):
        return self.name

    @classmethod
    def register(cls, name: str) -> tuple[Device, str]:
        """A new device and its token; the token is returned once and never stored in clear."""
        token = new_token()
        return cls.objects.create(name=name, token_hash=sha256_hex(token)), token

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class PairingCode(models.Model):
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"pairing code created {self.created_at:%Y-%m-%d %H:%M} UTC"

    @classmethod
    def issue(cls, lifetime: timedelta = PAIRING_CODE_LIFETIME, created_by=None) -> tuple[PairingCode, str]:
        """A new code, returned once in clear for the curator to type on the kiosk."""
        code = new_pairing_code()
        now = timezone.now()
        record = cls.objects.create(
            code_hash=sha256_hex(normalise_code(code)),
            created_at=now,
            expires_at=now + lifetime,
            created_by=created_by,
        )
        return record, code

    @classmethod
    def find(cls, code: str) -> PairingCode | None:
        return cls.objects.filter(code_hash=sha256_hex(normalise_code(code))).first()
