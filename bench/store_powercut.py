"""Power-cut proof of the kiosk store: SIGKILL the app and the sync agent at random moments, then check.

Each round forks two processes on one data folder: the app, committing contributions with photos (and,
after a restart, tapping "send" again on the draft it was cut off in), and the agent, marking the oldest
pending one delivered (or, now and then, failed). Both are killed with SIGKILL at a random moment. Then the
store is reopened, as the app does at start, and checked: every contribution acknowledged to a writer is
there with its text and intact media (sha256), every acknowledged delivery is delivered with its receipt,
no file is unreadable, no temp file is left, nothing is quarantined and nothing is duplicated.

    .venv/bin/python bench/store_powercut.py --kills 1000

Prints the counts; exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kiosk.contribution import Draft  # noqa: E402
from kiosk.fsutil import TEMP_SUFFIX  # noqa: E402
from kiosk.media import hash_file  # noqa: E402
from kiosk.store import STORE_FILE, Store  # noqa: E402
from sync.protocol import new_uuid7  # noqa: E402

ACKS = "acks.log"
# A fresh data folder every so many kills keeps each check quick; the store itself never needs it.
ROUNDS_PER_FOLDER = 40


def media_bytes(uuid: str, index: int, size: int) -> bytes:
    """The photo a visitor took for one draft, the same bytes every time it is rebuilt."""
    block = hashlib.sha256(f"{uuid}:{index}".encode()).digest()
    return (block * (size // len(block) + 1))[:size]


def _log(fd: int, kind: str, values: dict) -> None:
    # One short write(2) per line to an O_APPEND file: a kill lands before or after it, never inside.
    os.write(fd, (json.dumps({"kind": kind, **values}) + "\n").encode())


def read_acks(path: Path) -> list[dict]:
    entries = []
    if not path.exists():
        return entries
    for line in path.read_text().splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            entries.append({"kind": "torn", "line": line})
    return entries


def _commit(store: Store, intent: dict, fd: int) -> None:
    refs = [store.add_media(media_bytes(intent["uuid"], index, size), "image/jpeg", "photo")
            for index, size in enumerate(intent["media"])]
    draft = Draft(uuid=intent["uuid"], exhibit="la-tapisserie", prompt="souvenir", text=intent["text"],
                  author_name="Alice", media=refs)
    store.submit(draft)
    _log(fd, "S", {"uuid": intent["uuid"]})


def app_process(folder: Path, seed: int) -> None:
    """The kiosk app: commits contributions with photos as fast as visitors could ever tap."""
    rng = random.Random(seed)
    fd = os.open(folder / ACKS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    store = Store(folder, clock_synchronised=lambda: True)
    entries = read_acks(folder / ACKS)
    acknowledged = {entry["uuid"] for entry in entries if entry["kind"] == "S"}
    # The visitor cut off mid-tap taps "send" again: same draft, same uuid, same photos.
    for intent in [entry for entry in entries if entry["kind"] == "I" and entry["uuid"] not in acknowledged]:
        _commit(store, intent, fd)
        _log(fd, "R", {"uuid": intent["uuid"]})
    number = 0
    while True:
        intent = {"uuid": new_uuid7(), "text": f"visitor {seed}-{number}",
                  "media": [rng.randint(2_000, 150_000) for _ in range(rng.choice((0, 1, 1, 2)))]}
        _log(fd, "I", intent)
        _commit(store, intent, fd)
        number += 1


def agent_process(folder: Path, seed: int) -> None:
    """The sync agent: marks the oldest pending contribution delivered (now and then refused) as the hub answers."""
    rng = random.Random(seed)
    fd = os.open(folder / ACKS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    store = Store(folder, clock_synchronised=lambda: True)
    while True:
        pending = store.pending()
        if not pending:
            time.sleep(0.001)
            continue
        oldest = pending[0]
        if rng.random() < 0.05:
            store.mark_failed(oldest.uuid, "refused by the hub (422): exhibit: unknown")
            _log(fd, "F", {"uuid": oldest.uuid})
            continue
        receipt = {"uuid": oldest.uuid, "receipt": oldest.receipt_code, "received_at": "2026-11-27T10:00:00Z",
                   "blobs": [item.sha256 for item in oldest.media]}
        store.mark_delivered(oldest.uuid, receipt)
        _log(fd, "D", {"uuid": oldest.uuid, "receipt": receipt})


class Checker:
    """Checks one data folder after a kill; remembers what it already verified to stay quick."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.verified_media: set[str] = set()

    def check(self, counts: Counter) -> list[str]:
        problems = []
        entries = read_acks(self.folder / ACKS)
        if any(entry["kind"] == "torn" for entry in entries):
            problems.append("a torn line in the acknowledgement log")
        try:
            store = Store(self.folder, clock_synchronised=lambda: True)
        except Exception as error:  # any failure to reopen is what this bench looks for
            return [f"the store could not be reopened: {error!r}"]
        report = store.recovery
        counts["temp files removed at start"] += report.temp_files_removed
        counts["resolved as delivered at start"] += len(report.resolved_as_delivered)
        if report.quarantined:
            problems.append(f"quarantined: {report.quarantined}")
        problems += self._check_files(store)
        intents = {entry["uuid"]: entry for entry in entries if entry["kind"] == "I"}
        submitted = {entry["uuid"] for entry in entries if entry["kind"] == "S"}
        delivered = {entry["uuid"]: entry["receipt"] for entry in entries if entry["kind"] == "D"}
        refused = {entry["uuid"] for entry in entries if entry["kind"] == "F"}
        for uuid in submitted:
            problems += self._check_contribution(store, intents[uuid], delivered.get(uuid), uuid in refused)
        problems += self._check_duplicates(store)
        store.close()
        return problems

    def _check_files(self, store: Store) -> list[str]:
        problems = []
        if list(self.folder.glob("store.damaged-*")):
            problems.append("store.json was unreadable and set aside")
        try:
            json.loads((self.folder / STORE_FILE).read_text())
        except FileNotFoundError:
            pass
        except ValueError as error:
            problems.append(f"store.json unreadable: {error}")
        for path in store.archive_dir.iterdir():
            try:
                json.loads(path.read_text())
            except ValueError as error:
                problems.append(f"{path.name} unreadable: {error}")
        if any(self.folder.rglob(f"*{TEMP_SUFFIX}")):
            problems.append("temp files left after start")
        for path in store.media_dir.iterdir():
            if path.name not in self.verified_media:
                if hash_file(path)[0] != path.name:
                    problems.append(f"media {path.name} does not match its name")
                self.verified_media.add(path.name)
        return problems

    def _check_contribution(self, store: Store, intent: dict, receipt: dict | None, refused: bool) -> list[str]:
        uuid = intent["uuid"]
        found = store.get(uuid)
        if found is None:
            return [f"acknowledged contribution {uuid} is lost"]
        problems = []
        if found.text != intent["text"]:
            problems.append(f"{uuid} has text {found.text!r} instead of {intent['text']!r}")
        expected = [hashlib.sha256(media_bytes(uuid, index, size)).hexdigest()
                    for index, size in enumerate(intent["media"])]
        if [item.sha256 for item in found.media] != expected:
            problems.append(f"{uuid} lists media {found.media} instead of {expected}")
        for sha256 in expected:
            if not store.media_path(sha256).exists():
                problems.append(f"{uuid}: media {sha256} is missing")
        if receipt is not None and (found.state != "delivered" or found.receipt != receipt):
            problems.append(f"{uuid} was acknowledged delivered but is {found.state} with {found.receipt}")
        if refused and found.state != "failed":
            problems.append(f"{uuid} was acknowledged failed but is {found.state}")
        return problems

    def _check_duplicates(self, store: Store) -> list[str]:
        live = json.loads((self.folder / STORE_FILE).read_text()).get("contributions", {}).values() \
            if (self.folder / STORE_FILE).exists() else []
        live_uuids = [record["uuid"] for record in live]
        archived = [path.stem for path in store.archive_dir.glob("*.json")]
        texts = [record["text"] for record in live]
        texts += [json.loads((store.archive_dir / f"{uuid}.json").read_text())["text"] for uuid in archived]
        problems = []
        if len(set(live_uuids)) != len(live_uuids):
            problems.append("a uuid appears twice in the live table")
        if set(live_uuids) & set(archived):
            problems.append("a contribution is both live and archived after start")
        if len(set(texts)) != len(texts):
            problems.append("a contribution was stored twice under different uuids")
        return problems


def run(kills: int, seed: int = 1962, folder: Path | None = None, max_delay: float = 0.12,
        progress: bool = False) -> tuple[Counter, list[str]]:
    """Kill the writers `kills` times: (counts, problem details); no details when the store kept every promise."""
    rng = random.Random(seed)
    context = multiprocessing.get_context("fork")
    base = Path(folder or tempfile.mkdtemp(prefix="agora-powercut-"))
    counts: Counter = Counter()
    data = checker = None
    details = []
    try:
        for kill in range(kills):
            if kill % ROUNDS_PER_FOLDER == 0:
                data = base / f"kiosk-{kill // ROUNDS_PER_FOLDER:04d}"
                data.mkdir(parents=True)
                checker = Checker(data)
            workers = [context.Process(target=app_process, args=(data, rng.randrange(1 << 30))),
                       context.Process(target=agent_process, args=(data, rng.randrange(1 << 30)))]
            for worker in workers:
                worker.start()
            time.sleep(rng.uniform(0.0, max_delay))
            # A power cut stops both, a hair apart.
            for worker in rng.sample(workers, len(workers)):
                worker.kill()
                time.sleep(rng.uniform(0, 0.002))
            for worker in workers:
                worker.join()
            counts["kills"] += 1
            problems = checker.check(counts)
            counts["problems"] += len(problems)
            details += problems[:3]
            if progress and (kill + 1) % 100 == 0:
                print(f"  {kill + 1} kills, {counts['problems']} problems", flush=True)
            if kill % ROUNDS_PER_FOLDER == ROUNDS_PER_FOLDER - 1 or kill == kills - 1:
                _tally(data, counts)
        return counts, details
    finally:
        if folder is None:
            shutil.rmtree(base, ignore_errors=True)


def _tally(data: Path, counts: Counter) -> None:
    for entry in read_acks(data / ACKS):
        counts[{"I": "commits started", "S": "commits acknowledged", "R": "re-sent after a kill",
                "D": "deliveries acknowledged", "F": "refusals acknowledged"}.get(entry["kind"], "torn")] += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1962)
    args = parser.parse_args(argv)
    started = time.monotonic()
    counts, details = run(args.kills, args.seed, progress=True)
    print(f"SIGKILLs:                        {counts['kills']}")
    for label in ("commits started", "commits acknowledged", "re-sent after a kill", "deliveries acknowledged",
                  "refusals acknowledged", "resolved as delivered at start", "temp files removed at start"):
        print(f"{label + ':':<32} {counts[label]}")
    print(f"{'problems (lost, corrupt, unreadable, duplicated):':<32} {counts['problems']}")
    for detail in details[:20]:
        print(f"  {detail}")
    print(f"time: {time.monotonic() - started:.0f} s")
    return 1 if counts["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
