"""URLs of the curator pages under /curate/."""

from django.urls import path

from hub.curation import views

app_name = "curation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:uuid>/approve", views.approve, name="approve"),
    path("<uuid:uuid>/reject", views.reject, name="reject"),
]
