"""Admin pages for paired kiosks (with revoking) and pairing codes."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.devices.models import Device, PairingCode


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "id", "created_at", "last_seen_at", "revoked_at"]
    readonly_fields = ["id", "created_at", "last_seen_at"]
    fields = ["name", "id", "created_at", "last_seen_at", "revoked_at"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected kiosks"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("Revoked %(count)d kiosk(s).") % {"count": count})


@admin.register(PairingCode)
class PairingCodeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "expires_at", "used_at", "used_by", "created_by"]
    readonly_fields = ["created_at", "expires_at", "used_at", "used_by", "created_by"]

    def has_add_permission(self, request):
        # A code is shown in clear only once, by `agora-hub pairing-code`; the admin only ever sees hashes.
        return False
