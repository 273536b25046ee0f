"""A visitor's contribution as received from a kiosk, with its moderation state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.blobs.models import Blob
from hub.devices.models import Device
from hub.museum.models import Exhibit, Prompt
from sync.protocol import CONSENT_PUBLIC, CONSENTS, LANGUAGES, LICENCES, MEDIA_KINDS, licence_uri, receipt_code


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ContributionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Status.PENDING).order_by("received_at", "uuid")

    def published(self):
        """What the public may see: approved by a curator AND given with public consent by the visitor."""
        return self.filter(status=Status.APPROVED, consent=CONSENT_PUBLIC).order_by("-published_at", "-uuid")


class Contribution(models.Model):
    uuid = models.UUIDField(primary_key=True, editable=False)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="contributions")
    exhibit = models.ForeignKey(Exhibit, on_delete=models.PROTECT, related_name="contributions")
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="contributions")
    language = models.CharField(max_length=2, choices=[(code, code) for code in LANGUAGES])
    text = models.TextField()
    author_name = models.CharField(max_length=100, blank=True)
    consent = models.CharField(max_length=10, choices=[(consent, consent) for consent in CONSENTS])
    licence = models.CharField(  # noqa: DJ001 - null is meaningful: archive-only stories carry no licence
        max_length=20, null=True, blank=True, choices=[(key, key) for key in LICENCES]
    )
    created_at = models.DateTimeField(help_text=_("When the visitor submitted it, by the kiosk's clock."))
    clock_synchronised = models.BooleanField(help_text=_("Whether the kiosk's clock was known to be right."))
    received_at = models.DateTimeField(auto_now_add=True)
    body_digest = models.CharField(max_length=64, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    reject_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["received_at"]
        permissions = [("moderate_contribution", "Can approve or reject contributions")]
        indexes = [models.Index(fields=["status", "consent", "published_at"], name="published_idx")]

    def __str__(self):
        return f"{self.receipt} ({self.status})"

    @property
    def receipt(self) -> str:
        return receipt_code(str(self.uuid))

    @property
    def author_display(self) -> str:
        return self.author_name or "Anonymous"

    @property
    def exhibit_title(self) -> str:
        return self.exhibit.title(self.language)

    @property
    def prompt_text(self) -> str:
        return self.prompt.text(self.language)

    @property
    def licence_uri(self) -> str | None:
        return licence_uri(self.licence)

    def excerpt(self, length: int = 60) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= length else text[: length - 1] + "…"


class ContributionMedia(models.Model):
    """One photo or recording of a contribution, in the order the kiosk listed them."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="media")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="uses")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=[(kind, kind) for kind in MEDIA_KINDS])

    class Meta:
        ordering = ["contribution", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "position"], name="unique_media_position"),
        ]

    def __str__(self):
        return f"{self.kind} {self.position} of {self.contribution_id}"
