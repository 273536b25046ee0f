"""Admin pages for looking up contributions (moderation itself happens on /curate/)."""

from django.contrib import admin

from hub.contributions.models import Contribution


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["receipt", "exhibit", "language", "consent", "status", "received_at", "device"]
    list_filter = ["status", "consent", "language", "exhibit", "device"]
    search_fields = ["text", "author_name"]
    date_hierarchy = "received_at"
    # What the visitor gave is kept exactly as received; only the moderation fields can be corrected here.
    readonly_fields = [
        "uuid", "device", "exhibit", "prompt", "language", "text", "author_name", "consent", "licence",
        "created_at", "clock_synchronised", "received_at", "moderated_by", "moderated_at", "published_at",
    ]
    fields = [*readonly_fields, "status", "reject_reason"]

    def has_add_permission(self, request):
        # Contributions only ever come from kiosks, through the API.
        return False
