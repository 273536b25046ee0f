"""The kiosk's HTTP client for the hub's v1 kiosk API, turning every failure into a HubError in plain words."""

from __future__ import annotations

from importlib import metadata
from urllib.parse import urljoin, urlsplit

import requests

from sync.protocol import CONFIG_PATH, PAIR_PATH, contribution_path

# Statuses that will not change by sending the same request again.
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 409, 410, 413, 415, 422})
# A picture bigger than this is refused rather than allowed to fill the kiosk's SD card.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


def _version() -> str:
    try:
        return metadata.version("agora")
    except metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"agora-kiosk/{_version()}"


class HubError(Exception):
    """The hub could not be reached or refused a request.

    `status` is the HTTP status (None for network failures), `detail` a plain sentence, and `permanent`
    says whether sending the same request again could ever succeed.
    """

    def __init__(self, status: int | None, detail: str, permanent: bool):
        super().__init__(detail if status is None else f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail
        self.permanent = permanent

    @property
    def unauthorised(self) -> bool:
        return self.status in (401, 403)


class HubClient:
    def __init__(
        self,
        hub_url: str,
        token: str | None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5, 30),
    ):
        self.hub_url = hub_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def pair(self, code: str, name: str) -> dict:
        """Exchange a one-time pairing code for this kiosk's device id and token."""
        answer = self._request("POST", PAIR_PATH, json={"code": code, "name": name}, auth=False)
        return self._json_object(answer, ("device_id", "token"))

    def put_contribution(self, payload: dict) -> dict:
        """Send one contribution; returns the hub's receipt (the same one again for an identical resend)."""
        answer = self._request("PUT", contribution_path(payload["uuid"]), json=payload)
        return self._json_object(answer, ("uuid", "receipt"))

    def get_config(self) -> dict:
        """The hub's active exhibits and prompts."""
        return self._json_object(self._request("GET", CONFIG_PATH), ("exhibits",))

    def fetch(self, url: str) -> bytes:
        """Download a file (an exhibit picture) from an absolute URL or a path on the hub."""
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

    def _request(self, method: str, path_or_url: str, auth: bool = True, **kwargs) -> requests.Response:
        url = path_or_url if "://" in path_or_url else self.hub_url + path_or_url
        headers = {}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            answer = self.session.request(method, url, headers=headers, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise HubError(None, _network_words(error, self.hub_url, self.timeout), False) from None
        if answer.status_code >= 400:
            detail = _detail(answer)
            answer.close()
            raise HubError(answer.status_code, detail, answer.status_code in PERMANENT_STATUSES)
        return answer

    @staticmethod
    def _json_object(answer: requests.Response, required: tuple[str, ...]) -> dict:
        try:
            value = answer.json()
        except ValueError:
            value = None
        if not isinstance(value, dict) or any(key not in value for key in required):
            raise HubError(answer.status_code, f"the hub's answer was not what Agora expects (it needs "
                           f"{', '.join(required)}); is this address really an Agora hub?", False)
        return value


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc)


def _detail(answer: requests.Response) -> str:
    """The hub's {"detail": ...} as one sentence, or a description of a non-JSON answer."""
    try:
        detail = answer.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
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
