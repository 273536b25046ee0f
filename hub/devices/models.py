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


class DeviceQuerySet(models.QuerySet):
    def by_token(self, token: str, now=None):
        """The device this token belongs to: its current token, or the previous one during the overlap."""
        digest = sha256_hex(token)
        now = now or timezone.now()
        matches = self.filter(
            models.Q(token_hash=digest) | models.Q(previous_token_hash=digest, previous_token_expires_at__gt=now)
        ).order_by()[:1]
        return next(iter(matches), None)


class Device(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # After a rotation the old token keeps working for a short overlap, so an answer lost on the way back
    # does not lock the kiosk out.
    previous_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    previous_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    rotate_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # What the kiosk said in its last heartbeat.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    app_version = models.CharField(max_length=40, blank=True, editable=False)
    outbox_depth = models.PositiveIntegerField(null=True, blank=True, editable=False)
    oldest_pending_seconds = models.FloatField(null=True, blank=True, editable=False)
    free_disk_bytes = models.BigIntegerField(null=True, blank=True, editable=False)
    camera = models.BooleanField(null=True, blank=True, editable=False)
    microphone = models.BooleanField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "created_at"]
        verbose_name = _("kiosk")

    def __str__(self):
        return self.name

    @classmethod
    def register(cls, name: str, authorised: bool = False) -> tuple[Device, str]:
        """A new device and its token; the token is returned once and never stored in clear."""
        token = new_token()
        now = timezone.now()
        device = cls.objects.create(
            name=name, token_hash=sha256_hex(token), created_at=now, authorised_at=now if authorised else None
        )
        return device, token

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def authorised(self) -> bool:
        return self.authorised_at is not None

    @property
    def state(self) -> str:
        if self.revoked:
            return "revoked"
        return "authorised" if self.authorised else "pending"

    def silent_for(self, now=None) -> timedelta | None:
        """How long since the kiosk was last heard from, or None if never."""
        if self.last_seen_at is None:
            return None
        return (now or timezone.now()) - self.last_seen_at


class PairingCode(models.Model):
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authorise = models.BooleanField(
        default=False, help_text=_("Whether the kiosk paired with this code may send at once, without waiting.")
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"pairing code created {self.created_at:%Y-%m-%d %H:%M} UTC"

    @classmethod
    def issue(
        cls, lifetime: timedelta = PAIRING_CODE_LIFETIME, created_by=None, authorise: bool = False
    ) -> tuple[PairingCode, str]:
        """A new code, returned once in clear for the curator to type on the kiosk.

        A kiosk paired with it waits for a curator's authorisation unless `authorise` says it is trusted already.
        """
        code = new_pairing_code()
        now = timezone.now()
        record = cls.objects.create(
            code_hash=sha256_hex(normalise_code(code)),
            created_at=now,
            expires_at=now + lifetime,
            created_by=created_by,
            authorise=authorise,
        )
        return record, code

    @classmethod
    def find(cls, code: str) -> PairingCode | None:
        return cls.objects.filter(code_hash=sha256_hex(normalise_code(code))).first()


class RequestCount(models.Model):
    """How many requests one subject (a device or an address) made in one window of one rate-limit scope."""

    key = models.CharField(max_length=200, unique=True)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.count}"
