"""Every API error as JSON `{"detail": ...}`: 415 for a non-JSON body, 422 for malformed JSON, 507 for a full
disk, a JSON 500 for the rest."""

from __future__ import annotations

import errno
import json
import logging

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from hub.devices.auth import RateLimited

logger = logging.getLogger(__name__)


class UnsupportedMediaType(Exception):
    pass


class MalformedJson(Exception):
    pass


class JsonParser(Parser):
    """Ninja's parser, refusing bodies that are not declared as JSON or do not parse as JSON."""

    def parse_body(self, request: HttpRequest):
        if request.content_type != "application/json":
            raise UnsupportedMediaType(
                f"The body is sent as {request.content_type or 'no content type'!r}; "
                "send it as JSON with 'Content-Type: application/json'."
            )
        try:
            return json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError:
            raise MalformedJson("The body is not UTF-8 text; send the JSON encoded as UTF-8.") from None
        except json.JSONDecodeError as error:
            raise MalformedJson(f"The body is not valid JSON ({error}); send one JSON object.") from None


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(HttpError, lambda request, exc: _http_error(api, request, exc))
    api.add_exception_handler(ValidationError, lambda request, exc: _validation_error(api, request, exc))
    api.add_exception_handler(Exception, lambda request, exc: _unexpected(api, request, exc))


def _http_error(api: NinjaAPI, request, exc: HttpError):
    # Ninja wraps every body-parser exception into a bare 400; the cause says what really happened.
    cause = exc.__cause__
    if isinstance(cause, UnsupportedMediaType):
        return api.create_response(request, {"detail": str(cause)}, status=415)
    if isinstance(cause, MalformedJson):
        detail = [{"loc": ["body"], "msg": str(cause), "type": "json_invalid"}]
        return api.create_response(request, {"detail": detail}, status=422)
    response = api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _validation_error(api: NinjaAPI, request, exc: ValidationError):
    detail = [{"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]} for error in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


# The hub's disk (or the database's) is full: nothing was kept, and the kiosk keeps everything until it has room.
DISK_FULL_RETRY_SECONDS = 300
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_DISK_FULL_SQLSTATE = "53100"  # PostgreSQL's disk_full


def disk_full(exc: BaseException) -> bool:
    """Whether this error, or one it was raised from, says a disk is full."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
            return True
        if getattr(exc, "sqlstate", None) == _DISK_FULL_SQLSTATE or getattr(exc, "pgcode", None) == _DISK_FULL_SQLSTATE:
            return True
        if exc.__class__.__name__ == "OperationalError" and "database or disk is full" in str(exc):
            return True  # SQLite's words for SQLITE_FULL
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _unexpected(api: NinjaAPI, request, exc: Exception):
    if disk_full(exc):
        logger.error(
            "The hub's disk is full: %s %s was refused with 507. Free space under AGORA_HUB_DATA (or grow the "
            "database's disk); kiosks keep their contributions and send them again.", request.method, request.path,
        )
        detail = (
            "The hub's disk is full, so nothing from this request was kept. The kiosk keeps its contributions; "
            f"send again in {DISK_FULL_RETRY_SECONDS} s (Retry-After), once the museum's admin has freed space."
        )
        response = api.create_response(request, {"detail": detail}, status=507)
        response["Retry-After"] = str(DISK_FULL_RETRY_SECONDS)
        return response
    logger.exception("Unexpected error on %s %s", request.method, request.path, exc_info=exc)
    detail = "The hub hit an unexpected error. Try again later; if it keeps happening, tell the museum's admin."
    return api.create_response(request, {"detail": detail}, status=500)
