"""Bench: the sync agent's delivery rate to a local hub against plain PUTs, and the bytes it resends after cuts.

Starts a real hub (`agora-hub serve`, gunicorn, on a free loopback port, in a temporary data folder, demo
exhibits, a kiosk paired with an authorising code), then in the same run:

1. baseline: a plain sequence of `requests` PUTs of every blob, whole, to the hub's blob endpoint;
2. agent: 50 contributions with a photo and a recording each, delivered by the sync agent;
3. cuts: 50 more through a proxy that cuts 20 blob uploads mid-body; the agent resumes them.

The three sets have the same pictures and sounds, so the same sizes; only a fixed-length tag inside each file
differs, because the hub keeps each blob once and would not take the same bytes twice.

Targets: agent rate >= 0.8 x baseline rate; bytes through the proxy <= 1.1 x payload under 20 cuts.
Exits 1 when a target is missed. Usage: .venv/bin/python bench/sync_throughput.py [--contributions 50]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy
import requests
import soundfile
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.contribution import Draft  # noqa: E402
from kiosk.store import Store  # noqa: E402
from sync.agent import SyncAgent  # noqa: E402
from sync.client import HubClient  # noqa: E402
from sync.protocol import blob_path  # noqa: E402
from sync.retry import RetryPolicy  # noqa: E402
from sync.uploader import DEFAULT_CHUNK_SIZE  # noqa: E402
from tests.sync.faultproxy import FaultProxy, Faults  # noqa: E402

RATE_TARGET = 0.8
RESEND_TARGET = 1.1
CUTS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def photo(pixels: numpy.ndarray, tag: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "JPEG", quality=90, comment=tag.encode())
    return buffer.getvalue()


def recording(samples: numpy.ndarray, tag: str) -> bytes:
    buffer = io.BytesIO()
    with soundfile.SoundFile(buffer, "w", 44100, 1, format="FLAC", subtype="PCM_16") as sound:
        sound.title = tag
        sound.write(samples)
    return buffer.getvalue()


class Media:
    """The pictures and sounds of the bench, made once; each set gets them with its own tag."""

    def __init__(self, count: int, side: int, seconds: float):
        chance = numpy.random.default_rng(1962)
        self.pixels = [chance.integers(0, 256, (side, side * 4 // 3, 3), dtype=numpy.uint8) for _ in range(count)]
        self.samples = [chance.normal(0, 0.1, int(44100 * seconds)).astype("float32") for _ in range(count)]

    def files(self, label: str) -> list[tuple[bytes, bytes]]:
        return [(photo(p, f"{label}-{n:06d}"), recording(s, f"{label}-{n:06d}"))
                for n, (p, s) in enumerate(zip(self.pixels, self.samples, strict=True))]


class Hub:
    """`agora-hub serve` in a temporary folder, with the demo exhibits, until stopped."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, AGORA_HUB_DATA=str(folder), AGORA_HUB_SECRET_KEY=secrets.token_urlsafe(40),
                        AGORA_HUB_RATE_LIMITS="kiosk=1000000/60,kiosk-address=1000000/60")
        self.process: subprocess.Popen | None = None

    def command(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "hub.cli", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True)
        return done.stdout

    def start(self) -> None:
        self.command("migrate", "--no-input", "--verbosity", "0")
        self.command("seed-demo")
        self.process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "hub.cli", "serve", "--port", str(self.port), "--workers", "2"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/api/v1/openapi.json", timeout=5)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise RuntimeError("the hub did not start within 30 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)


def kiosk_store(folder: Path, files: list[tuple[bytes, bytes]]) -> Store:
    store = Store(folder, clock_synchronised=lambda: True)
    for n, (picture, sound) in enumerate(files):
        media = [store.add_media(picture, "image/jpeg", "photo"), store.add_media(sound, "audio/flac", "audio")]
        store.submit(Draft(exhibit="la-tapisserie", prompt="souvenir", language="fr", text=f"Histoire {n}",
                           author_name="Bench", media=media))
    return store


def payload_bytes(store: Store) -> tuple[int, int]:
    """(bytes of the blobs, bytes of the blobs and contribution bodies) still to be delivered."""
    pending = store.pending()
    blobs = sum(ref.size for c in pending for ref in c.media)
    bodies = sum(len(requests.models.complexjson.dumps(c.payload()).encode()) for c in pending)
    return blobs, blobs + bodies


def deliver(store: Store, client: HubClient, folder: Path, chunk_size: int) -> float:
    agent = SyncAgent(store, client, None, folder / "sync_status.json", chunk_size=chunk_size,
                      policy=RetryPolicy(backoff_base=0.05, backoff_cap=0.2))
    started = time.perf_counter()
    for _ in range(500):
        report = agent.run_once()
        if not store.pending():
            break
        if report.error and "could not reach" not in report.error and "network" not in report.error:
            raise RuntimeError(report.error)
    elapsed = time.perf_counter() - started
    if store.pending():
        raise RuntimeError(f"{len(store.pending())} contributions were not delivered: {agent.last_error}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=50)
    parser.add_argument("--photo-side", type=int, default=720, help="photo height in pixels (noise JPEG)")
    parser.add_argument("--seconds", type=float, default=12, help="recording length (noise FLAC, 44.1 kHz)")
    parser.add_argument("--chunk-mb", type=float, default=DEFAULT_CHUNK_SIZE / 2**20, help="the agent's upload chunk")
    options = parser.parse_args()
    media = Media(options.contributions, options.photo_side, options.seconds)
    with tempfile.TemporaryDirectory(prefix="agora-bench-") as temp:
        temp = Path(temp)
        hub = Hub(temp / "hub")
        try:
            hub.start()
            code = hub.command("pairing-code", "--authorise", "--quiet").split()[0]
            token = HubClient(hub.url, None).pair(code, "Bench")["token"]
            return run(hub, token, media, temp, int(options.chunk_mb * 2**20))
        finally:
            hub.stop()


def run(hub: Hub, token: str, media: Media, temp: Path, chunk_size: int) -> int:
    baseline_files = media.files("plain")
    with requests.Session() as plain:
        plain.put(hub.url + blob_path("0" * 64), data=b"warm-up", timeout=30,
                  headers={"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"})
        started = time.perf_counter()
        for picture, sound in baseline_files:
            for data, mime in ((picture, "image/jpeg"), (sound, "audio/flac")):
                digest = hashlib.sha256(data).hexdigest()
                answer = plain.put(hub.url + blob_path(digest), data=data, timeout=60,
                                   headers={"Authorization": f"Bearer {token}", "Content-Type": mime})
                answer.raise_for_status()
        baseline_seconds = time.perf_counter() - started
    baseline_bytes = sum(len(picture) + len(sound) for picture, sound in baseline_files)

    store = kiosk_store(temp / "kiosk", media.files("agent"))
    blobs, _ = payload_bytes(store)
    agent_seconds = deliver(store, HubClient(hub.url, token), temp / "kiosk", chunk_size)

    cut_store = kiosk_store(temp / "cut-kiosk", media.files("cuts"))
    cut_blobs, cut_payload = payload_bytes(cut_store)
    faults = Faults(cut=0.25, cut_paths="/blobs/", max_cuts=CUTS)
    with FaultProxy(hub.port, faults, seed=1962) as proxy:
        cut_seconds = deliver(cut_store, HubClient(proxy.url, token), temp / "cut-kiosk", chunk_size)
    sent = proxy.tally.bytes_from_kiosk

    baseline_rate = baseline_bytes / baseline_seconds
    agent_rate = blobs / agent_seconds
    ratio = agent_rate / baseline_rate
    resend = sent / cut_payload
    count = len(baseline_files)
    print(f"agent upload chunk: {chunk_size / 2**20:g} MiB, blobs of a contribution sent side by side")
    print(f"media per contribution: {baseline_bytes / count / 1024:.0f} kB "
          f"(photo {len(baseline_files[0][0]) / 1024:.0f} kB, recording {len(baseline_files[0][1]) / 1024:.0f} kB)")
    print(f"plain PUTs:  {count * 2} blobs, {baseline_bytes / 1e6:.1f} MB in {baseline_seconds:.2f} s "
          f"= {baseline_rate / 1e6:.2f} MB/s")
    print(f"sync agent:  {count} contributions, {blobs / 1e6:.1f} MB of media in {agent_seconds:.2f} s "
          f"= {agent_rate / 1e6:.2f} MB/s")
    print(f"ratio agent/plain: {ratio:.2f} (target >= {RATE_TARGET})")
    print(f"under {proxy.tally.faults['cut']} cuts: {sent / 1e6:.2f} MB sent for {cut_payload / 1e6:.2f} MB of payload "
          f"({cut_blobs / 1e6:.2f} MB media) in {cut_seconds:.2f} s; ratio {resend:.3f} (target <= {RESEND_TARGET})")
    missed = []
    if ratio < RATE_TARGET:
        missed.append(f"delivery rate {ratio:.2f} x plain PUTs is below {RATE_TARGET}")
    if resend > RESEND_TARGET:
        missed.append(f"{resend:.3f} x payload sent under cuts is above {RESEND_TARGET}")
    if proxy.tally.faults["cut"] < CUTS:
        missed.append(f"only {proxy.tally.faults['cut']} uploads were cut, not {CUTS}")
    for problem in missed:
        print(f"MISSED: {problem}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
