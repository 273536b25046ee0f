"""The reject form: a reason is required so the decision can be explained later."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        strip=True,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
        error_messages={"required": _("Write a reason before rejecting; nothing was changed.")},
    )


def reject_form(contribution, data=None) -> RejectForm:
    """A reject form whose field ids are unique on a page listing many contributions."""
    return RejectForm(data, auto_id=f"reason-{contribution.uuid}-%s")
