"""The kiosk's HTTP client for the hub's kiosk API, turning every failure into a HubError in plain words."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from importlib import metadata
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sync.protocol import (
    CONFIG_PATH,
    GALLERY_PATH,
    HEARTBEAT_PATH,
    PAIR_PATH,
    ROTATE_TOKEN_HEADER,
    TOKEN_ROTATE_PATH,
    blob_path,
    contribution_path,
)
from sync.retry import DEFAULT_POLICY

# Statuses that will not change by sending the same request again.
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 409, 410, 413, 415, 422})
# A picture bigger than this is refused rather than allowed to fill the kiosk's SD card.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


def _version() -> str:
    try:
        return metadata.version("agora")
    except metadata.PackageNotFoundError:
        return "0"


APP_VERSION = _version()
USER_AGENT = f"agora-kiosk/{APP_VERSION}"


class HubError(Exception):
    """The hub could not be reached or refused a request.

    `status` is the HTTP status (None for network failures), `detail` a plain sentence, and `permanent`
    says whether sending the same request again could ever succeed. `retry_after` (seconds), `offset`
    (bytes of a blob the hub holds) and `missing` (blob hashes the hub still needs) come from the answer.
    """

    def __init__(self, status: int | None, detail: str, permanent: bool, retry_after: float | None = None,
                 offset: int | None = None, missing: tuple[str, ...] = ()):
        super().__init__(detail if status is None else f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail
        self.permanent = permanent
        self.retry_after = retry_after
        self.offset = offset
        self.missing = missing

    @property
    def unauthorised(self) -> bool:
        return self.status in (401, 403)


@dataclass(frozen=True)
class BlobState:
    """How much of a blob the hub holds."""

    offset: int
    complete: bool


class BodySlice:
    """Bytes start..end of an open file as a request body, counting what leaves as it is read.

    It has a length (so requests sends Content-Length rather than chunked encoding) and tell/seek (so
    urllib3 can rewind it when it reconnects before sending anything).
    """

    def __init__(self, handle: BinaryIO, start: int, end: int, on_read: Callable[[int], None] | None = None):
        self.handle, self.start, self.end = handle, start, end
        self.on_read = on_read
        self.position = 0
        handle.seek(start)

    def __len__(self) -> int:
        return self.end - self.start

    def read(self, size: int = -1) -> bytes:
        left = len(self) - self.position
        size = left if size is None or size < 0 else min(size, left)
        data = self.handle.read(size) if size > 0 else b""
        self.position += len(data)
        if data and self.on_read is not None:
            self.on_read(len(data))
        return data

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.position, 2: len(self)}[whence]
        self.position = max(0, min(len(self), base + offset))
        self.handle.seek(self.start + self.position)
        return self.position


class HubClient:
    def __init__(
        self,
        hub_url: str,
        token: str | None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5, 30),
        retry: Retry | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.hub_url = hub_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = HTTPAdapter(max_retries=retry if retry is not None else DEFAULT_POLICY.urllib3_retry())
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.monotonic = monotonic
        # The hub's clock as last seen in a Date header: (hub's epoch seconds, our monotonic time then).
        self.hub_date: tuple[float, float] | None = None
        # Set when an answer asks this kiosk to replace its token (a curator's request on the devices page).
        self.rotation_requested = False

    def pair(self, code: str, name: str) -> dict:
        """Exchange a one-time pairing code for this kiosk's device id and token."""
        answer = self._request("POST", PAIR_PATH, json={"code": code, "name": name}, auth=False)
        return self._json_object(answer, ("device_id", "token"))

    def put_contribution(self, payload: dict) -> dict:
        """Send one contribution; returns the hub's receipt (the same one again for an identical resend)."""
        answer = self._request("PUT", contribution_path(payload["uuid"]), json=payload)
        return self._json_object(answer, ("uuid", "receipt"))

    def blob_state(self, sha256: str) -> BlobState:
        """How many bytes of a blob the hub holds (HEAD); a 404 means none."""
        answer = self._request("HEAD", blob_path(sha256), accept=(404,))
        if answer.status_code == 404:
            return BlobState(0, False)
        return _blob_state(answer)

    def put_blob(self, sha256: str, mime: str, body: BodySlice, total: int) -> BlobState:
        """Send bytes body.start..body.end of a blob of `total` bytes; the hub answers what it now holds.

        A 409 (the hub holds a different offset) raises HubError with `offset` set, to resume from there.
        """
        headers = {"Content-Type": mime}
        if total:
            headers["Content-Range"] = f"bytes {body.start}-{body.end - 1}/{total}"
        answer = self._request("PUT", blob_path(sha256), data=body, headers=headers)
        state = _blob_state(answer)
        if answer.status_code in (200, 201):
            return BlobState(total, True)
        return state

    def get_config(self) -> dict:
        """The hub's active exhibits and prompts."""
        return self._json_object(self._request("GET", CONFIG_PATH), ("exhibits",))

    def get_config_if_changed(self, etag: str | None) -> tuple[dict | None, str | None]:
        """(config, its ETag), or (None, etag) when the hub says the copy with that ETag is current (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        answer = self._request("GET", CONFIG_PATH, headers=headers)
        if answer.status_code == 304:
            answer.close()
            return None, etag
        return self._json_object(answer, ("exhibits",)), answer.headers.get("ETag")

    def get_gallery(self, exhibit: str | None = None, limit: int | None = None,
                    etag: str | None = None) -> tuple[dict | None, str | None]:
        """The newest published stories (of one exhibit), or (None, etag) when unchanged since `etag` (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        params = {name: value for name, value in (("exhibit", exhibit), ("limit", limit)) if value is not None}
        answer = self._request("GET", GALLERY_PATH, headers=headers, params=params)
        if answer.status_code == 304:
            answer.close()
            return None, etag
        return self._json_object(answer, ("items",)), answer.headers.get("ETag")

    def post_heartbeat(self, figures: dict) -> dict:
        """Tell the hub how this kiosk is doing (its devices page shows it)."""
        answer = self._request("POST", HEARTBEAT_PATH, json=figures)
        value = _json(answer)
        value = value if isinstance(value, dict) else {}
        if value.get("rotate_token") is True:
            self.rotation_requested = True
        return value

    def rotate_token(self) -> str:
        """A new token from the hub (the current one keeps working for a short overlap); not yet in use."""
        answer = self._json_object(self._request("POST", TOKEN_ROTATE_PATH), ("token",))
        return str(answer["token"])

    def fetch(self, url: str) -> bytes:
        """Download a file (an exhibit picture, a thumbnail) from an absolute URL or a path on the hub."""
        absolute = urljoin(self.hub_url + "/", url)
        # The token goes only to the hub itself, never to another server named in the config.
        same_origin = _origin(absolute) == _origin(self.hub_url)
        answer = self._request("GET", absolute, auth=same_origin, stream=True)
        chunks, size = [], 0
        try:
            for chunk in answer.iter_content(64 * 1024):
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise HubError(None, f"{absolute} is larger than {MAX_DOWNLOAD_BYTES // 2**20} MB", True)
                chunks.append(chunk)
        except requests.RequestException as error:
            raise HubError(None, _network_words(error, absolute, self.timeout), False) from None
        finally:
            answer.close()
        return b"".join(chunks)

    def reachable(self, timeout: float = 1) -> bool:
        """Whether a TCP connection to the hub opens now: a cheap sign that the network is back."""
        parts = urlsplit(self.hub_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname, port), timeout=timeout):
                return True
        except OSError:
            return False

    def hub_now(self) -> float | None:
        """The hub's time now, from the last Date header (None before any answer)."""
        if self.hub_date is None:
            return None
        seen, at = self.hub_date
        return seen + (self.monotonic() - at)

    def learn_hub_time(self) -> float:
        """Ask the hub for its time (any answer carries a Date header); raises HubError when unreachable."""
        self._request("HEAD", CONFIG_PATH, accept=tuple(range(400, 600))).close()
        now = self.hub_now()
        if now is None:
            raise HubError(None, "the hub's answers carry no Date header, so the kiosk clock cannot be checked",
                           False)
        return now

    def _request(self, method: str, path_or_url: str, auth: bool = True, accept: tuple[int, ...] = (),
                 headers: dict | None = None, **kwargs) -> requests.Response:
        url = path_or_url if "://" in path_or_url else self.hub_url + path_or_url
        headers = dict(headers or {})
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            answer = self.session.request(method, url, headers=headers, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise HubError(None, _network_words(error, self.hub_url, self.timeout), False) from None
        self._note_date(answer)
        if auth and answer.headers.get(ROTATE_TOKEN_HEADER, "").strip() == "?1":
            self.rotation_requested = True
        if answer.status_code >= 400 and answer.status_code not in accept:
            body = _json(answer)
            answer.close()
            detail = _detail(answer, body)
            if method == "HEAD" and answer.status_code in (401, 403) and auth:
                # A HEAD answer has no body to say why; the same refusal on a GET carries the hub's words.
                detail = self._refusal_words(answer.status_code) or detail
            raise HubError(
                answer.status_code, detail, answer.status_code in PERMANENT_STATUSES,
                retry_after=_retry_after(answer), offset=_offset(answer, body), missing=_missing(body),
            )
        return answer

    def _refusal_words(self, status: int) -> str | None:
        try:
            answer = self._request("GET", CONFIG_PATH, accept=(status,))
        except HubError:
            return None
        body = _json(answer)
        answer.close()
        return _detail(answer, body) if answer.status_code == status and isinstance(body, dict) else None

    def _note_date(self, answer: requests.Response) -> None:
        try:
            seen = parsedate_to_datetime(answer.headers["Date"]).timestamp()
        except (KeyError, TypeError, ValueError, IndexError):
            return
        self.hub_date = (seen, self.monotonic())

    @staticmethod
    def _json_object(answer: requests.Response, required: tuple[str, ...]) -> dict:
        value = _json(answer)
        if not isinstance(value, dict) or any(key not in value for key in required):
            raise HubError(answer.status_code, f"the hub's answer was not what Agora expects (it needs "
                           f"{', '.join(required)}); is this address really an Agora hub?", False)
        return value


def _json(answer: requests.Response) -> object:
    try:
        return answer.json()
    except ValueError:
        return None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc)


def _blob_state(answer: requests.Response) -> BlobState:
    offset = _int(answer.headers.get("Upload-Offset"))
    complete = answer.headers.get("Upload-Complete", "").strip() == "?1"
    return BlobState(offset or 0, complete)


def _int(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _offset(answer: requests.Response, body: object) -> int | None:
    offset = _int(answer.headers.get("Upload-Offset"))
    if offset is None and isinstance(body, dict):
        offset = _int(body.get("offset"))
    return offset


def _missing(body: object) -> tuple[str, ...]:
    missing = body.get("missing") if isinstance(body, dict) else None
    return tuple(str(x) for x in missing) if isinstance(missing, list) else ()


def _retry_after(answer: requests.Response) -> float | None:
    value = answer.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


def _detail(answer: requests.Response, body: object) -> str:
    """The hub's {"detail": ...} as one sentence, or a description of a non-JSON answer."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str) and detail.strip():
        return detail.strip()
    if isinstance(detail, list) and detail:
        parts = []
        for item in detail:
            if isinstance(item, dict):
                where = ".".join(str(x) for x in item.get("loc", []) if x not in ("body", "payload"))
                parts.append(f"{where}: {item.get('msg', 'invalid')}" if where else str(item.get("msg")))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return f"the hub answered {answer.status_code} {answer.reason or ''}".strip()


def _network_words(error: requests.RequestException, where: str, timeout: tuple[float, float]) -> str:
    if isinstance(error, requests.ConnectTimeout):
        return f"the hub at {where} did not answer within {timeout[0]:g} seconds (is the network up?)"
    if isinstance(error, requests.Timeout):
        return f"the hub at {where} stopped answering for {timeout[1]:g} seconds"
    if isinstance(error, requests.exceptions.SSLError):
        return f"the secure connection to {where} failed (certificate problem or wrong clock): {error}"
    if isinstance(error, requests.ConnectionError):
        text = str(error)
        if "Name or service not known" in text or "NameResolutionError" in text or "nodename" in text:
            return f"could not find the hub {where} (the name does not resolve; check the address and the network)"
        if "Connection refused" in text:
            return f"could not reach the hub at {where}: the connection was refused (is the hub running?)"
        return f"could not reach the hub at {where} (network problem)"
    return f"talking to the hub at {where} failed: {error}"
