"""The one NinjaAPI mounted at /api/v1/, with the kiosk and public routers and JSON errors everywhere."""

from ninja import NinjaAPI

from hub.api import errors, kiosk, public

api = NinjaAPI(
    title="Agora API",
    version="1",
    description="Kiosks deliver visitors' contributions here; the museum's website reads the published ones.",
    urls_namespace="api",
    parser=errors.JsonParser(),
)
errors.install(api)
api.add_router("/kiosk", kiosk.router)
api.add_router("", public.router)
