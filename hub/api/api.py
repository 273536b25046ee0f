"""The one NinjaAPI mounted at /api/v1/, with the kiosk and public routers and JSON errors everywhere."""

from __future__ import annotations

from ninja import NinjaAPI

from hub.api import blobs, devices, errors, kiosk, public

_OFFSET = {"description": "Bytes of the blob the hub holds.", "schema": {"type": "integer", "minimum": 0}}
_COMPLETE = {
    "description": "?1 when the hub holds the whole blob, checked; ?0 while bytes are missing.",
    "schema": {"type": "string", "enum": ["?0", "?1"]},
}
_NO_STORE = {"description": "Always no-store: progress changes with every chunk.", "schema": {"type": "string"}}
_RETRY_AFTER = {"description": "Seconds to wait before sending again.", "schema": {"type": "integer", "minimum": 1}}
_ETAG = {"description": "Identifies this version of the config; send it back in If-None-Match.",
         "schema": {"type": "string"}}
_ROTATE = {"description": "?1 when a curator asked this kiosk to rotate its token (POST /kiosk/token/rotate).",
           "schema": {"type": "string", "enum": ["?1"]}}

# Response headers by (path, method, status); ninja has no place to declare them, so they are added here.
_BLOB = "/api/v1/kiosk/blobs/sha256/{sha256}"
RESPONSE_HEADERS = {
    (_BLOB, "head", "200"): {"Upload-Offset": _OFFSET, "Upload-Complete": _COMPLETE, "Cache-Control": _NO_STORE},
    (_BLOB, "head", "404"): {"Upload-Offset": _OFFSET, "Upload-Complete": _COMPLETE, "Cache-Control": _NO_STORE},
    (_BLOB, "put", "200"): {"Upload-Offset": _OFFSET, "Upload-Complete": _COMPLETE, "Cache-Control": _NO_STORE},
    (_BLOB, "put", "201"): {"Upload-Offset": _OFFSET, "Upload-Complete": _COMPLETE, "Cache-Control": _NO_STORE},
    (_BLOB, "put", "202"): {"Upload-Offset": _OFFSET, "Upload-Complete": _COMPLETE, "Cache-Control": _NO_STORE},
    (_BLOB, "put", "409"): {"Upload-Offset": _OFFSET, "Upload-Complete": _COMPLETE},
    ("/api/v1/kiosk/config", "get", "200"): {"ETag": _ETAG},
    ("/api/v1/kiosk/config", "get", "304"): {"ETag": _ETAG},
}


class AgoraApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                for status, response in operation.get("responses", {}).items():
                    headers = dict(RESPONSE_HEADERS.get((path, method, str(status)), {}))
                    if int(status) == 429:
                        headers["Retry-After"] = _RETRY_AFTER
                    if path.startswith("/api/v1/kiosk/") and path != "/api/v1/kiosk/pair" and int(status) < 300:
                        headers["Agora-Rotate-Token"] = _ROTATE
                    if headers:
                        response.setdefault("headers", {}).update(headers)
        return schema


api = AgoraApi(
    title="Agora API",
    version="1",
    description=(
        "Kiosks deliver visitors' contributions here; the museum's website reads the published ones. "
        "Kiosk calls carry `Authorization: Bearer <device token>`; a paired kiosk gets 403 until a curator "
        "authorises it. Photos and recordings are uploaded first as blobs named by their SHA-256 (resumable "
        "with Content-Range), then the contribution lists them. See docs/kiosk-protocol.md."
    ),
    urls_namespace="api",
    parser=errors.JsonParser(),
)
errors.install(api)
api.add_router("/kiosk", kiosk.router)
api.add_router("/kiosk", blobs.router)
api.add_router("/kiosk", devices.router)
api.add_router("", public.router)
