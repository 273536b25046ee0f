"""Exhibits and prompts: what the kiosk shows visitors and asks them about."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExhibitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True).order_by("position", "slug")


class Exhibit(models.Model):
    slug = models.SlugField(unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    image = models.ImageField(upload_to="exhibits/", blank=True)
    image_credit = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0, help_text=_("Lower numbers come first on the kiosk."))
    active = models.BooleanField(default=True)

    objects = ExhibitQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self):
        return self.title_en or self.slug

    def title(self, language: str) -> str:
        return self.title_fr if language == "fr" else self.title_en


class PromptQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True).order_by("position", "slug")


class Prompt(models.Model):
    exhibit = models.ForeignKey(Exhibit, on_delete=models.CASCADE, related_name="prompts")
    slug = models.SlugField(help_text=_("The prompt's id, unique within its exhibit."))
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"))
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = ["exhibit", "position", "slug"]
        constraints = [models.UniqueConstraint(fields=["exhibit", "slug"], name="unique_prompt_per_exhibit")]

    def __str__(self):
        return f"{self.exhibit.slug}/{self.slug}"

    def text(self, language: str) -> str:
        return self.text_fr if language == "fr" else self.text_en
