"""Resumable, content-addressed upload of photos and recordings: HEAD says how far, PUT appends a chunk."""

from __future__ import annotations

import re

from django.http import HttpResponse, JsonResponse
from ninja import Path, Router

from hub.api.schemas import SHA256_PATTERN, BlobOut, Error, OffsetError, ValidationErrors
from hub.blobs.ingest import BlobRefused, Chunk, progress, receive_chunk
from hub.devices.auth import DeviceToken

router = Router(tags=["kiosk"], auth=DeviceToken())

_RANGE = re.compile(r"^bytes (\d{1,15})-(\d{1,15})/(\d{1,15})$")
BLOB_PATH = "/blobs/sha256/{sha256}"
Sha256 = Path(..., pattern=SHA256_PATTERN, description="The blob's SHA-256, 64 lower-case hex digits.")


def _headers(response: HttpResponse, offset: int, complete: bool) -> HttpResponse:
    response["Upload-Offset"] = str(offset)
    response["Upload-Complete"] = "?1" if complete else "?0"
    response["Cache-Control"] = "no-store"
    return response


@router.api_operation(
    ["HEAD"],
    BLOB_PATH,
    response={200: None, 401: None, 403: None, 404: None, 422: None, 429: None},
    summary="How much of a blob the hub holds",
)
def head_blob(request, sha256: str = Sha256):
    """200 with `Upload-Offset` (bytes held) and `Upload-Complete` (`?1` complete, `?0` partial); 404 when the
    hub holds nothing of it. Answers are never cached."""
    held = progress(sha256)
    if held is None:
        response = HttpResponse(status=404)
        # The usual answer before a first upload, not a broken link: kept out of the "Not Found" warnings.
        response._has_been_logged = True
        return _headers(response, 0, False)
    return _headers(HttpResponse(status=200), held.offset, held.complete)


@router.put(
    BLOB_PATH,
    response={
        200: BlobOut,
        201: BlobOut,
        202: BlobOut,
        400: Error,
        401: Error,
        403: Error,
        409: OffsetError,
        411: Error,
        413: Error,
        415: Error,
        422: Error | ValidationErrors,
        429: Error,
    },
    summary="Upload a blob, or one chunk of it",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in (
                    "image/jpeg", "image/png", "image/webp", "audio/flac", "audio/wav", "audio/ogg", "audio/mpeg"
                )
            },
        },
        "parameters": [
            {
                "in": "header",
                "name": "Content-Range",
                "required": False,
                "schema": {"type": "string", "pattern": r"^bytes \d+-\d+/\d+$"},
                "description": "bytes START-END/TOTAL (END inclusive). Without it the body is the whole blob.",
            }
        ],
    },
)
def put_blob(request, sha256: str = Sha256):
    """Appends the body at START (which must equal the hub's offset, else 409 with the offset to resume from).
    202 while bytes are still missing; on the last byte the hub checks the hash and the media (type read from
    the bytes, size, pixels, duration) and answers 201, or refuses with 413/415/422 keeping nothing. A PUT to a
    complete blob answers 200 and changes nothing."""
    content_type = (request.content_type or "").lower()
    length_header = request.META.get("CONTENT_LENGTH") or ""
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if chunked or (length_header and not length_header.isdigit()):
        return _error(411, "Send a Content-Length header with the number of bytes in the body (not chunked).")
    # Without Content-Length or Transfer-Encoding an HTTP body is empty.
    length = int(length_header or 0)
    range_header = request.headers.get("Content-Range")
    if range_header is None:
        start, total = 0, length
    else:
        match = _RANGE.match(range_header.strip())
        if not match:
            return _error(
                400, f"Content-Range {range_header!r} is not 'bytes START-END/TOTAL', e.g. bytes 0-1048575/3145728."
            )
        start, end, total = (int(group) for group in match.groups())
        if end < start or end >= total or end - start + 1 != length:
            return _error(
                400,
                f"Content-Range {range_header!r} does not fit a body of {length} bytes; END is inclusive and must "
                "be below TOTAL, and the body must hold exactly END-START+1 bytes.",
            )
    body = _Body(request.read, length)
    try:
        held, completed = receive_chunk(request.auth, sha256, Chunk(content_type, start, total, length, body.read))
    except BlobRefused as refusal:
        if refusal.offset is not None:
            body.drain()
            response = JsonResponse({"detail": refusal.message, "offset": refusal.offset}, status=refusal.status)
            return _headers(response, refusal.offset, False)
        return _error(refusal.status, refusal.message)
    body.drain()
    if held.complete:
        status = 201 if completed else 200
    else:
        status = 202
    response = JsonResponse({"sha256": sha256, "offset": held.offset, "complete": held.complete}, status=status)
    return _headers(response, held.offset, held.complete)


class _Body:
    """The request body as read by the upload, so that an answer given before reading it can still arrive."""

    # A kiosk sends a new blob without asking first; when the hub holds it already (whole, or part of it after
    # the kiosk restarted), the answer comes before the body was read. Closing the connection on unread bytes
    # resets it, and the kiosk would see a network failure instead of the offset: up to one chunk is read and
    # dropped instead.
    DRAIN_LIMIT = 16 * 1024 * 1024

    def __init__(self, read, length: int):
        self._read = read
        self.left = length

    def read(self, size: int) -> bytes:
        data = self._read(size)
        self.left -= len(data)
        return data

    def drain(self) -> None:
        if not 0 < self.left <= self.DRAIN_LIMIT:
            return
        try:
            while self.left > 0 and self.read(min(1 << 20, self.left)):
                pass
        except OSError:
            pass  # the kiosk went away; nothing to answer


def _error(status: int, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    response["Cache-Control"] = "no-store"
    return response
