"""Admin pages for editing exhibits and their prompts."""

from django.contrib import admin

from hub.museum.models import Exhibit, Prompt


class PromptInline(admin.TabularInline):
    model = Prompt
    extra = 1
    fields = ["slug", "text_fr", "text_en", "position", "active"]


@admin.register(Exhibit)
class ExhibitAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_fr", "title_en", "position", "active"]
    list_editable = ["position", "active"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [PromptInline]
