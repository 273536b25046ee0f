"""The hub's URL map: curator pages, the admin, the API, and static and media files."""

from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve as serve_media

from hub.api.api import api
from hub.blobs import serving


def exhibit_image(request, path):
    return serve_media(request, path, document_root=Path(settings.MEDIA_ROOT) / "exhibits")


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="curation:queue", permanent=False)),
    path("curate/", include("hub.curation.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("media/items/<uuid:uuid>/<str:sha256>", serving.published, name="published-media"),
    path("media/items/<uuid:uuid>/<str:sha256>/thumbnail", serving.published_thumbnail, name="published-thumbnail"),
    # A museum runs the hub as a single appliance without a separate web server, so Django serves the few
    # stylesheets and the exhibit images itself, DEBUG or not. Behind nginx these routes are simply unused.
    # Only the exhibits' folder is public: visitors' media go through the checks of hub.blobs.serving.
    re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}),
    re_path(r"^media/exhibits/(?P<path>.*)$", exhibit_image),
]
