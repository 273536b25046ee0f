"""Approving and rejecting pending contributions; only a pending one can change, once."""

from __future__ import annotations

from django.utils import timezone

from hub.contributions.models import Contribution, Status


def approve(contribution: Contribution, curator) -> bool:
    """Whether this call approved it; False if it was no longer pending (someone else was quicker)."""
    now = timezone.now()
    return _decide(contribution, status=Status.APPROVED, moderated_by=curator, moderated_at=now, published_at=now)


def reject(contribution: Contribution, curator, reason: str) -> bool:
    if not reason.strip():
        raise ValueError("A reason is needed to reject a contribution.")
    return _decide(
        contribution,
        status=Status.REJECTED,
        reject_reason=reason.strip(),
        moderated_by=curator,
        moderated_at=timezone.now(),
    )


def _decide(contribution: Contribution, **changes) -> bool:
    # Filtering on the pending state makes two curators deciding at once safe: only the first update matches.
    changed = Contribution.objects.filter(pk=contribution.pk, status=Status.PENDING).update(**changes)
    contribution.refresh_from_db()
    return bool(changed)
