"""Commit latency of the kiosk store with 100 and with 10,000 contributions already taken on the kiosk.

Two kiosks are filled through the store's own API (each earlier contribution has a small photo and was
delivered, as on a real kiosk whose hub is reachable), with the same small backlog still waiting. Then
commits (one photo + submit, as the app does) alternate between the two, so that the machine's own noise
falls on both alike. Prints median and p99 of each and the ratio p99(10,000) / p99(100); exits 1 when the
ratio is above the target (1.5).

    .venv/bin/python bench/store_scaling.py [--samples 400] [--large 10000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kiosk.contribution import Draft  # noqa: E402
from kiosk.store import Store  # noqa: E402

TARGET = 1.5
BACKLOG = 10
PHOTO = 60_000


def _deliver(store: Store, contribution) -> None:
    store.mark_delivered(contribution.uuid, {"uuid": contribution.uuid, "receipt": contribution.receipt_code,
                                             "blobs": [item.sha256 for item in contribution.media]})


def _commit(store: Store, number: int, size: int):
    photo = store.add_media(number.to_bytes(8, "big") * (size // 8), "image/jpeg", "photo")
    return store.submit(Draft(exhibit="la-tapisserie", prompt="souvenir", author_name="Alice",
                              text=f"Souvenir numéro {number} : la fête des moissons de 1962. " * 4,
                              media=[photo]))


def fill(folder: Path, taken: int, progress: bool = False) -> Store:
    """A kiosk that has already taken `taken` contributions, BACKLOG of them still waiting."""
    store = Store(folder, clock_synchronised=lambda: True)
    for number in range(taken):
        contribution = _commit(store, number, 2_000)
        if number < taken - BACKLOG:
            _deliver(store, contribution)
        if progress and (number + 1) % 2000 == 0:
            print(f"  {folder.name}: {number + 1} taken", flush=True)
    return store


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(small: int = 100, large: int = 10_000, samples: int = 400, progress: bool = False) -> dict:
    base = Path(tempfile.mkdtemp(prefix="agora-scaling-"))
    try:
        stores = {small: fill(base / f"kiosk-{small}", small, progress),
                  large: fill(base / f"kiosk-{large}", large, progress)}
        timings = {small: [], large: []}
        for sample in range(samples):
            order = (small, large) if sample % 2 else (large, small)
            for taken in order:
                store = stores[taken]
                started = time.perf_counter()
                contribution = _commit(store, 10_000_000 + sample, PHOTO)
                timings[taken].append((time.perf_counter() - started) * 1000)
                # Delivered again, outside the timing: the backlog stays the same size throughout.
                _deliver(store, contribution)
        return {taken: {"median": statistics.median(values), "p99": percentile(values, 0.99)}
                for taken, values in timings.items()}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=10_000)
    args = parser.parse_args(argv)
    figures = measure(args.small, args.large, args.samples, progress=True)
    for taken, values in figures.items():
        print(f"{taken:>6} contributions taken: commit median {values['median']:.2f} ms, "
              f"p99 {values['p99']:.2f} ms")
    ratio = figures[args.large]["p99"] / figures[args.small]["p99"]
    verdict = "ok" if ratio <= TARGET else f"ABOVE THE TARGET of {TARGET}"
    print(f"p99({args.large}) / p99({args.small}) = {ratio:.2f} ({verdict})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
