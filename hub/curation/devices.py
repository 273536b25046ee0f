"""The devices page: pairing codes (text and QR code), and authorising, revoking and rotating kiosks."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.devices.models import Device, PairingCode

MANAGE = "devices.change_device"


def device_manager_only(view):
    return login_required(permission_required(MANAGE, raise_exception=True)(view))


def pairing_uri(hub_url: str, code: str) -> str:
    """What the QR code holds: the hub's address and the one-time code, never a token."""
    return "agora://pair?" + urlencode({"hub": hub_url, "code": code})


@require_GET
@device_manager_only
def devices(request):
    return _render(request)


@require_POST
@device_manager_only
def pairing_code(request):
    authorise = request.POST.get("authorise") == "on"
    record, code = PairingCode.issue(created_by=request.user, authorise=authorise)
    hub_url = settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    uri = pairing_uri(hub_url, code)
    fresh = {
        "code": code,
        "expires_at": record.expires_at,
        "authorise": authorise,
        "hub_url": hub_url,
        "qr": segno.make(uri, error="m").svg_data_uri(scale=6, border=2),
        "command": f"agora-kiosk pair --hub {hub_url} --code {code} --name <kiosk name>",
    }
    # Shown once, in this answer only: the code is never stored in clear, not even in the session.
    response = _render(request, fresh=fresh)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@device_manager_only
def authorise(request, device_id):
    device = get_object_or_404(Device, pk=device_id)
    changed = Device.objects.filter(pk=device.pk, authorised_at__isnull=True, revoked_at__isnull=True).update(
        authorised_at=timezone.now(), authorised_by=request.user
    )
    if changed:
        messages.success(request, _("%(name)s may now send contributions.") % {"name": device.name})
    else:
        messages.warning(request, _("%(name)s was already authorised or revoked; nothing changed.")
                         % {"name": device.name})
    return redirect("curation:devices")


@require_POST
@device_manager_only
def revoke(request, device_id):
    device = get_object_or_404(Device, pk=device_id)
    if Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        messages.success(request, _("%(name)s is revoked: its token stops working on its next request.")
                         % {"name": device.name})
    else:
        messages.warning(request, _("%(name)s was already revoked.") % {"name": device.name})
    return redirect("curation:devices")


@require_POST
@device_manager_only
def rotate(request, device_id):
    device = get_object_or_404(Device, pk=device_id, revoked_at__isnull=True)
    Device.objects.filter(pk=device.pk).update(rotate_requested_at=timezone.now())
    messages.success(
        request,
        _("%(name)s will get a new token on its next contact; the old one keeps working for %(minutes)d minutes.")
        % {"name": device.name, "minutes": settings.AGORA_HUB_TOKEN_OVERLAP_MINUTES},
    )
    return redirect("curation:devices")


def _render(request, fresh=None):
    now = timezone.now()
    silent_after = timedelta(minutes=settings.AGORA_HUB_SILENT_MINUTES)
    rows = list(Device.objects.order_by("revoked_at", "name", "created_at"))
    for device in rows:
        silence = device.silent_for(now)
        device.is_silent = device.state == "authorised" and (silence is None or silence > silent_after)
    context = {
        "devices": rows,
        "fresh": fresh,
        "silent_minutes": settings.AGORA_HUB_SILENT_MINUTES,
        "pending_count": sum(1 for device in rows if device.state == "pending"),
    }
    return render(request, "curation/devices.html", context)
