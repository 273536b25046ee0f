"""The moderation queue: pending contributions, oldest first, each approved or rejected with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.contributions import moderation
from hub.contributions.models import Contribution, ContributionMedia, Status
from hub.curation.forms import reject_form

QUEUE_PAGE = 50
MODERATE = "contributions.moderate_contribution"


def curator_only(view):
    """Signed-in curators only: strangers go to the login page, other signed-in users get 403."""
    return login_required(permission_required(MODERATE, raise_exception=True)(view))


@require_GET
@curator_only
def queue(request):
    return _render_queue(request)


@require_POST
@curator_only
def approve(request, uuid):
    contribution = get_object_or_404(Contribution, uuid=uuid)
    if moderation.approve(contribution, request.user):
        messages.success(request, _("Approved: “%(excerpt)s”") % {"excerpt": contribution.excerpt()})
    else:
        _already_moderated(request, contribution)
    return redirect("curation:queue")


@require_POST
@curator_only
def reject(request, uuid):
    contribution = get_object_or_404(Contribution, uuid=uuid)
    form = reject_form(contribution, request.POST)
    if not form.is_valid():
        return _render_queue(request, failed=(contribution.uuid, form), status=400)
    if moderation.reject(contribution, request.user, form.cleaned_data["reason"]):
        messages.success(request, _("Rejected: “%(excerpt)s”") % {"excerpt": contribution.excerpt()})
    else:
        _already_moderated(request, contribution)
    return redirect("curation:queue")


def _already_moderated(request, contribution: Contribution) -> None:
    who = contribution.moderated_by.get_username() if contribution.moderated_by else _("someone")
    messages.warning(
        request,
        _("“%(excerpt)s” was already %(status)s by %(who)s; nothing was changed.")
        % {"excerpt": contribution.excerpt(), "status": contribution.get_status_display().lower(), "who": who},
    )


def _render_queue(request, failed=None, status=200):
    media = Prefetch("media", queryset=ContributionMedia.objects.select_related("blob").order_by("position"))
    pending = list(
        Contribution.objects.pending().select_related("exhibit", "prompt", "device").prefetch_related(media)[
            :QUEUE_PAGE
        ]
    )
    for contribution in pending:
        if failed and failed[0] == contribution.uuid:
            contribution.reject_form = failed[1]
        else:
            contribution.reject_form = reject_form(contribution)
    counts = dict(Contribution.objects.values_list("status").annotate(n=Count("uuid")))
    context = {
        "pending": pending,
        "counts": {state: counts.get(state, 0) for state in Status.values},
        "has_error": failed is not None,
    }
    return render(request, "curation/queue.html", context, status=status)
