"""URLs of the curator pages under /curate/."""

from django.urls import path

from hub.blobs import serving
from hub.curation import devices, views

app_name = "curation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:uuid>/approve", views.approve, name="approve"),
    path("<uuid:uuid>/reject", views.reject, name="reject"),
    path("media/<str:sha256>", serving.for_curators, name="media"),
    path("media/<str:sha256>/thumbnail", serving.thumbnail_for_curators, name="thumbnail"),
    path("devices/", devices.devices, name="devices"),
    path("devices/pairing-code", devices.pairing_code, name="pairing-code"),
    path("devices/<uuid:device_id>/authorise", devices.authorise, name="authorise"),
    path("devices/<uuid:device_id>/revoke", devices.revoke, name="revoke"),
    path("devices/<uuid:device_id>/rotate", devices.rotate, name="rotate"),
]
