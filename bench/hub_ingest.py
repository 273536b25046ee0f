"""Contributions per second the hub takes in over loopback from 4 kiosks at once, against a write-only baseline.

Each contribution carries a 3 MB photo and a 2 MB recording and is sent as the kiosk's agent sends it
(sync/uploader.py): a PUT of each blob, with no HEAD before a blob it has not sent yet, then a PUT of the
contribution. The baseline PUTs the same bytes to bench/ingest_baseline.py under the same gunicorn settings.
Both servers run side by side; the two sides take turns over several rounds, each on a disk flushed beforehand.
Target: the hub reaches at least 60% of the baseline's bytes per second.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import numpy
import requests
import soundfile
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sync.protocol import contribution_path, new_uuid7  # noqa: E402 - after the repository root is on the path

KIOSKS = 4
TARGET = 0.60
PHOTO_BYTES = 3 * 1024 * 1024
AUDIO_BYTES = 2 * 1024 * 1024
GUNICORN = ["--workers", "4", "--worker-class", "sync", "--timeout", "120", "--log-level", "warning"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def photo(seed: int) -> bytes:
    """A JPEG of about 3 MB: noise is what makes a camera photo that heavy at a modest pixel count."""
    rng = numpy.random.default_rng(seed)
    side = 1150
    while True:
        pixels = rng.integers(0, 256, (side * 3 // 4, side, 3), dtype=numpy.uint8)
        out = io.BytesIO()
        Image.fromarray(pixels, "RGB").save(out, "JPEG", quality=92)
        if len(out.getvalue()) >= PHOTO_BYTES * 0.97:
            return out.getvalue()
        side += 60


def recording(seed: int) -> bytes:
    """A FLAC of about 2 MB: a tone under noise, 48 kHz mono, as the kiosk records."""
    rng = numpy.random.default_rng(seed)
    rate = 48000
    seconds = 20.0
    while True:
        t = numpy.arange(int(seconds * rate)) / rate
        signal = 0.3 * numpy.sin(2 * numpy.pi * 220 * t) + 0.2 * rng.standard_normal(t.size)
        out = io.BytesIO()
        soundfile.write(out, numpy.clip(signal, -1, 1).astype("float32"), rate, format="FLAC")
        size = len(out.getvalue())
        if size >= AUDIO_BYTES * 0.97:
            return out.getvalue()
        seconds *= min(4.0, AUDIO_BYTES / max(size, 1) * 1.02)


def wait_until_up(url: str, server: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench: the {what} stopped at start-up (exit code {server.returncode}).")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own loopback server
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"bench: the {what} did not answer on {url} within 60 s.")


def start(app: str, port: int, env: dict, what: str, probe: str) -> subprocess.Popen:
    argv = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--pythonpath", str(ROOT),
            *GUNICORN]
    server = subprocess.Popen(argv, env=env, cwd=ROOT)
    wait_until_up(f"http://127.0.0.1:{port}{probe}", server, what)
    return server


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def hub_cli(env: dict, *words: str, stdin: str | None = None) -> str:
    result = subprocess.run([sys.executable, "-m", "hub.cli", *words], env=env, cwd=ROOT, check=True, text=True,
                            capture_output=True, input=stdin)
    return result.stdout


def prepare_hub(data: Path, env: dict) -> None:
    demo = data / "demo"
    (demo / "images").mkdir(parents=True)
    config = {"exhibits": [{"slug": "la-tapisserie", "title": {"fr": "La tapisserie", "en": "The tapestry"},
                            "prompts": [{"id": "souvenir", "text": {"fr": "Un souvenir ?", "en": "A memory?"}}]}]}
    (demo / "config.json").write_text(json.dumps(config), encoding="utf-8")
    hub_cli(env, "manage", "migrate", "--noinput")
    hub_cli(env, "seed-demo", "--from", str(demo))


def pair(url: str, env: dict, name: str) -> str:
    code = hub_cli(env, "pairing-code", "--quiet", "--authorise").strip()
    answer = requests.post(f"{url}/api/v1/kiosk/pair", json={"code": code, "name": name}, timeout=30)
    answer.raise_for_status()
    return answer.json()["token"]


def payload(photo_bytes: bytes, audio_bytes: bytes) -> dict:
    return {
        "uuid": new_uuid7(), "exhibit": "la-tapisserie", "prompt": "souvenir", "language": "fr",
        "text": "Ma grand-mère brodait des motifs comme ceux-ci.", "author_name": "Bob", "consent": "public",
        "licence": "cc-by-4.0", "created_at": "2026-11-27T10:33:39.123Z", "clock_synchronised": True,
        "media": [
            {"sha256": hashlib.sha256(photo_bytes).hexdigest(), "size": len(photo_bytes), "type": "image/jpeg",
             "kind": "photo"},
            {"sha256": hashlib.sha256(audio_bytes).hexdigest(), "size": len(audio_bytes), "type": "audio/flac",
             "kind": "audio"},
        ],
    }


def deliver_to_hub(session: requests.Session, url: str, item: tuple[bytes, bytes, dict]) -> None:
    """What a kiosk does for one contribution: send each blob (201: checked and kept), then the contribution."""
    photo_bytes, audio_bytes, body = item
    for data, media in zip((photo_bytes, audio_bytes), body["media"], strict=True):
        blob = f"{url}/api/v1/kiosk/blobs/sha256/{media['sha256']}"
        answer = session.put(blob, data=data, headers={"Content-Type": media["type"]}, timeout=120)
        if answer.status_code != 201:
            raise RuntimeError(f"blob answered {answer.status_code}: {answer.text}")
    answer = session.put(url + contribution_path(body["uuid"]), json=body, timeout=60)
    if answer.status_code != 201:
        raise RuntimeError(f"contribution answered {answer.status_code}: {answer.text}")


def deliver_to_baseline(session: requests.Session, url: str, item: tuple[bytes, bytes, dict]) -> None:
    photo_bytes, audio_bytes, body = item
    for data in (photo_bytes, audio_bytes, json.dumps(body).encode()):
        answer = session.put(f"{url}/store", data=data, timeout=120)
        if answer.status_code != 201:
            raise RuntimeError(f"baseline answered {answer.status_code}")


def run_kiosks(deliver, url: str, tokens: list[str | None], items: list) -> float:
    """Seconds for the kiosks to deliver all items, each kiosk taking every fourth one."""
    errors: list[BaseException] = []

    def kiosk(index: int) -> None:
        session = requests.Session()
        if tokens[index]:
            session.headers["Authorization"] = f"Bearer {tokens[index]}"
        try:
            for item in items[index::KIOSKS]:
                deliver(session, url, item)
        except BaseException as error:  # noqa: BLE001 - reported after the run
            errors.append(error)

    threads = [threading.Thread(target=kiosk, args=(index,)) for index in range(KIOSKS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"bench: a kiosk failed: {errors[0]}")
    return elapsed


def measure(deliver, url: str, tokens: list[str | None], items: list) -> float:
    """One measured phase, started on a quiet disk: neither side pays for the other's writeback."""
    os.sync()
    return run_kiosks(deliver, url, tokens, items)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contributions", type=int, default=64, help="contributions per round (default 64)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each timing both sides (default 3)")
    args = parser.parse_args(argv)
    count = max(KIOSKS, args.contributions)
    rounds = max(1, args.rounds)

    print(f"bench: making {count * rounds} distinct photos (~3 MB) and recordings (~2 MB)…", flush=True)
    warm_items = [(p, a, payload(p, a)) for p, a in ((photo(10_000 + n), recording(10_000 + n)) for n in range(KIOSKS))]
    batches = []
    for round_number in range(rounds):
        media = [(photo(round_number * count + n), recording(round_number * count + n)) for n in range(count)]
        batches.append([(p, a, payload(p, a)) for p, a in media])
    round_bytes = [sum(len(p) + len(a) for p, a, _ in batch) for batch in batches]

    data = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    servers = []
    hub_times, base_times = [], []
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "AGORA_HUB_DATA": str(data / "hub"),
               "AGORA_HUB_SECRET_KEY": "agora-bench-secret-key-not-for-production-0123456789",
               "AGORA_HUB_RATE_LIMITS": "kiosk=100000/60,kiosk-address=100000/60,pair=100/600",
               "AGORA_BASELINE_DIR": str(data / "baseline"), "DJANGO_SETTINGS_MODULE": "hub.settings"}
        env.pop("AGORA_HUB_DATABASE_URL", None)
        prepare_hub(data, env)

        hub_port, base_port = free_port(), free_port()
        servers.append(start("hub.wsgi:application", hub_port, env, "hub", "/api/v1/openapi.json"))
        servers.append(start("bench.ingest_baseline:application", base_port, env, "baseline", "/"))
        hub_url, base_url = f"http://127.0.0.1:{hub_port}", f"http://127.0.0.1:{base_port}"
        tokens = [pair(hub_url, env, f"Kiosk {n + 1}") for n in range(KIOSKS)]
        run_kiosks(deliver_to_hub, hub_url, tokens, warm_items)
        run_kiosks(deliver_to_baseline, base_url, [None] * KIOSKS, warm_items)
        # The sides take turns, each going first in every other round, so that a drift in the machine's load
        # over the run weighs on both alike.
        for round_number, batch in enumerate(batches):
            if round_number % 2 == 0:
                hub_times.append(measure(deliver_to_hub, hub_url, tokens, batch))
                base_times.append(measure(deliver_to_baseline, base_url, [None] * KIOSKS, batch))
            else:
                base_times.append(measure(deliver_to_baseline, base_url, [None] * KIOSKS, batch))
                hub_times.append(measure(deliver_to_hub, hub_url, tokens, batch))
    finally:
        for server in servers:
            stop(server)
        shutil.rmtree(data, ignore_errors=True)

    total = count * rounds
    megabytes = sum(round_bytes) / 1e6
    hub_seconds, base_seconds = sum(hub_times), sum(base_times)
    hub_rate, base_rate = megabytes / hub_seconds, megabytes / base_seconds
    ratio = hub_rate / base_rate
    each = ", ".join(
        f"{base / hub:.0%} (hub {hub:.2f} s, baseline {base:.2f} s)"
        for hub, base in zip(hub_times, base_times, strict=True)
    )
    print(f"{total} contributions in {rounds} rounds, {megabytes:.0f} MB, {KIOSKS} kiosks at once over loopback")
    print(f"hub:      {total / hub_seconds:6.2f} contributions/s  {hub_rate:7.1f} MB/s  ({hub_seconds:.1f} s)")
    print(f"baseline: {total / base_seconds:6.2f} contributions/s  {base_rate:7.1f} MB/s  ({base_seconds:.1f} s)")
    print(f"rounds:   {each}")
    print(f"ratio:    {ratio:.0%} of the baseline's bytes per second (target {TARGET:.0%})")
    if ratio < TARGET:
        print("bench: the hub is below its target.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
