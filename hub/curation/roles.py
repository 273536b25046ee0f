"""The "curators" group and what its members may do."""

from django.contrib.auth.models import Group, Permission

CURATORS = "curators"

# Curators moderate, edit exhibits and prompts, and look after kiosks; they do not manage accounts.
CURATOR_PERMISSIONS = [
    ("contributions", "moderate_contribution"),
    ("contributions", "view_contribution"),
    ("museum", "add_exhibit"),
    ("museum", "change_exhibit"),
    ("museum", "view_exhibit"),
    ("museum", "add_prompt"),
    ("museum", "change_prompt"),
    ("museum", "view_prompt"),
    ("devices", "view_device"),
    ("devices", "change_device"),
    ("devices", "view_pairingcode"),
]


def curators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=CURATORS)
    for app_label, codename in CURATOR_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group
