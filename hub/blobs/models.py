"""A media blob: a photo or a recording known by the SHA-256 of the bytes the kiosk sent."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.devices.models import Device
from sync.protocol import MEDIA_KINDS


class Blob(models.Model):
    sha256 = models.CharField(max_length=64, primary_key=True, editable=False)
    kind = models.CharField(max_length=10, choices=[(kind, kind) for kind in MEDIA_KINDS])
    declared_type = models.CharField(max_length=40, help_text=_("The Content-Type the kiosk sent."))
    content_type = models.CharField(max_length=40, blank=True, help_text=_("What the bytes turned out to be."))
    size = models.BigIntegerField(help_text=_("Total bytes, as announced by the kiosk."))
    complete = models.BooleanField(default=False)
    file = models.CharField(max_length=200, blank=True, help_text=_("The checked file in the media storage."))
    thumbnail = models.CharField(max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True, help_text=_("Seconds, for recordings."))
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["complete", "updated_at"], name="blob_age_idx")]

    def __str__(self):
        state = "complete" if self.complete else "partial"
        return f"{self.kind} {self.sha256[:12]}… ({state})"
