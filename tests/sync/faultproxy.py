"""Museum Wi-Fi on demand: an HTTP proxy on 127.0.0.1 that drops, cuts, stalls, errs and goes away, by seeded chance."""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

CANNED = {
    500: b"Internal Server Error",
    502: b"Bad Gateway",
    503: b"Service Unavailable",
    429: b"Too Many Requests",
}


@dataclass
class Faults:
    """How often each misbehaviour happens, per request (the rest pass untouched), and how it is bounded."""

    drop: float = 0.0  # the connection closes before the hub sees anything
    cut: float = 0.0  # a request body stops at a random offset: the hub gets part of it, the kiosk a reset
    stall: float = 0.0  # the hub acts, but its answer is held back for `stall_seconds` (then lost)
    lost_answer: float = 0.0  # the hub acts, the answer never comes back
    status: float = 0.0  # a gateway answers 500, 502 or 503 without asking the hub
    throttle: float = 0.0  # a gateway answers 429 with Retry-After: 1 without asking the hub
    stall_seconds: float = 2.0
    max_stalls: int = 5
    # Only requests whose path contains this are cut (e.g. "/blobs/"), at most `max_cuts` times.
    cut_paths: str = ""
    max_cuts: int | None = None
    # The hub goes away (connections refused) for `outage_seconds` when the request count reaches these.
    outages_at: tuple[int, ...] = ()
    outage_seconds: float = 2.0
    statuses: tuple[int, ...] = (500, 502, 503)


@dataclass
class Tally:
    requests: int = 0
    bytes_from_kiosk: int = 0  # everything the kiosk sent through the proxy, heads and bodies, cut or not
    faults: Counter = field(default_factory=Counter)


class FaultProxy:
    """Forwards each HTTP request on its own upstream connection (Connection: close), misbehaving by chance."""

    def __init__(self, upstream_port: int, faults: Faults, seed: int = 1962, upstream_host: str = "127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.faults = faults
        self.chance = random.Random(seed)
        self.tally = Tally()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener = self._listen(0)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._down_until = 0.0
        self._thread = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopping.set()
        self._close_listener()
        self._thread.join(5)

    def outage(self, seconds: float) -> None:
        """The hub restarts: connections are refused for `seconds`, then accepted again on the same port."""
        with self._lock:
            self._down_until = time.monotonic() + seconds
            self.tally.faults["outage"] += 1
        self._close_listener()

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        listener.settimeout(0.1)
        return listener

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            if self._listener is None:
                if time.monotonic() < self._down_until:
                    time.sleep(0.05)
                    continue
                self._listener = self._listen(self.port)
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _choose(self, has_body: bool, path: str) -> str | None:
        with self._lock:
            self.tally.requests += 1
            if self.tally.requests in self.faults.outages_at:
                outage = True
            else:
                outage = False
            roll = self.chance.random()
            fault = None
            for name in ("drop", "cut", "stall", "lost_answer", "status", "throttle"):
                roll -= getattr(self.faults, name)
                if roll < 0:
                    fault = name
                    break
            if fault == "cut" and not (has_body and self.faults.cut_paths in path):
                fault = "drop" if not self.faults.cut_paths else None
            if fault == "cut" and self.faults.max_cuts is not None and self.tally.faults["cut"] >= self.faults.max_cuts:
                fault = None
            if fault == "stall" and self.tally.faults["stall"] >= self.faults.max_stalls:
                fault = "lost_answer"
            if fault:
                self.tally.faults[fault] += 1
        if outage:
            self.outage(self.faults.outage_seconds)
            return "drop"
        return fault

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(10)
        try:
            head = _read_head(client)
            if head is None:
                return
            self._count(len(head))
            length = _content_length(head)
            fault = self._choose(length > 0, head.split(b" ", 2)[1].decode("latin-1"))
            if fault == "drop":
                _reset(client)
                return
            if fault in ("status", "throttle"):
                self._discard(client, length)
                status = 429 if fault == "throttle" else self.chance.choice(self.faults.statuses)
                body = b'{"detail": "The gateway is having trouble."}'
                client.sendall(
                    b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                    b"Retry-After: 1\r\nConnection: close\r\n\r\n%s" % (status, CANNED[status], len(body), body)
                )
                client.close()
                return
            upstream = socket.create_connection(self.upstream, timeout=30)
            try:
                upstream.sendall(_close_after(head))
                cut_at = self.chance.randrange(length) if fault == "cut" else None
                self._forward_body(client, upstream, length, cut_at)
                if cut_at is not None:
                    upstream.close()
                    _reset(client)
                    return
                answer = _read_all(upstream)
            finally:
                upstream.close()
            if fault == "stall":
                time.sleep(self.faults.stall_seconds)
            if fault in ("stall", "lost_answer"):
                _reset(client)
                return
            client.sendall(_close_after(answer))
            client.close()
        except OSError:
            _reset(client)

    def _forward_body(self, client, upstream, length: int, cut_at: int | None) -> None:
        left = length if cut_at is None else cut_at
        while left > 0:
            data = client.recv(min(65536, left))
            if not data:
                raise ConnectionResetError("the kiosk closed the connection mid-body")
            self._count(len(data))
            upstream.sendall(data)
            left -= len(data)

    def _discard(self, client, length: int) -> None:
        left = length
        while left > 0:
            data = client.recv(min(65536, left))
            if not data:
                return
            self._count(len(data))
            left -= len(data)

    def _count(self, size: int) -> None:
        with self._lock:
            self.tally.bytes_from_kiosk += size


def _read_head(sock: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1)
        if not chunk:
            return None
        data += chunk
        if len(data) > 65536:
            return None
    return data


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _close_after(message: bytes) -> bytes:
    """The same HTTP message with `Connection: close`, so each connection carries exactly one request."""
    head, sep, body = message.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + sep + body


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        data = sock.recv(65536)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a dropped Wi-Fi link or a killed process looks to the other end."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()
