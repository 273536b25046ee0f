"""The `agora-kiosk` command: run the app, pair with a hub, sync or export by hand, show the kiosk's status."""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from kiosk.catalogue import CatalogueCache, CatalogueError
from kiosk.clock import iso_utc, parse_iso
from kiosk.config import ConfigError, KioskSettings
from kiosk.device import Device, DeviceFileError, load_device, save_device
from kiosk.disk import MB, describe_bytes, free_bytes
from kiosk.export import ExportError, export_undelivered
from kiosk.store import STORE_FILE, Store
from sync.agent import SyncAgent, read_status
from sync.client import USER_AGENT, HubClient, HubError

STATUS_FILE = "sync_status.json"
HOW_TO_PAIR = ("Pair it first: ask a curator for a code (`agora-hub pairing-code`), then run\n"
               "  agora-kiosk pair --hub https://your-hub.example --code XXXX-XXXX")


class CommandError(Exception):
    """A command cannot go on; the message tells the operator what to do. Exit status 2."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Kivy lowers the root logger to its own level; a line per HTTP connection would drown the journal.
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    try:
        settings = KioskSettings.from_env(**({"data_dir": args.data} if args.data else {}))
        return args.handler(args, settings)
    except (ConfigError, DeviceFileError, CatalogueError, CommandError, ExportError) as error:
        print(f"agora-kiosk: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agora-kiosk", description="The Agora contribution kiosk.")
    parser.add_argument("--version", action="version", version=USER_AGENT)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", type=Path,
                        help="the kiosk's data folder (overrides AGORA_KIOSK_DATA)")
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", parents=[common], help="start the touchscreen app")
    run.add_argument("--fullscreen", action="store_true", help="fill the whole screen")
    run.add_argument("--size", type=_size, metavar="WxH", help="window size in pixels, e.g. 800x480")
    run.add_argument("--screenshots", metavar="DIR", type=Path, help="save a screenshot of every screen here")
    run.add_argument("--tour", action="store_true", help="walk through every screen by itself (demonstrations)")
    run.set_defaults(handler=_run)

    pair = commands.add_parser("pair", parents=[common], help="pair this kiosk with a hub")
    pair.add_argument("--hub", metavar="URL", help="the hub's address (default: AGORA_KIOSK_HUB_URL)")
    pair.add_argument("--code", required=True, help="the pairing code a curator gave you, e.g. K7F4-3QXM")
    pair.add_argument("--name", help="this kiosk's name on the hub (default: the computer's name)")
    pair.set_defaults(handler=_pair)

    sync = commands.add_parser("sync", parents=[common], help="send waiting contributions to the hub")
    sync.add_argument("--once", action="store_true", help="sync once and exit (otherwise keep syncing)")
    sync.set_defaults(handler=_sync)

    status = commands.add_parser("status", parents=[common], help="show what is waiting and the last sync")
    status.set_defaults(handler=_status)

    export = commands.add_parser("export", parents=[common],
                                 help="copy every contribution not yet sent to a folder (a USB stick)")
    export.add_argument("--to", required=True, metavar="DIR", type=Path,
                        help="the folder to write into, e.g. where the USB stick is mounted")
    export.set_defaults(handler=_export)
    return parser


def _size(value: str) -> tuple[int, int]:
    width, x, height = value.lower().partition("x")
    if not (x and width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in pixels, like 800x480, not {value!r}")
    return int(width), int(height)


def _agent(settings: KioskSettings, store: Store, device: Device, cache: CatalogueCache | None) -> SyncAgent:
    client = HubClient(device.hub_url, device.token)
    return SyncAgent(store, client, cache, settings.data_dir / STATUS_FILE, interval=settings.sync_interval)


def _run(args, settings: KioskSettings) -> int:
    store = Store.for_settings(settings)
    cache = CatalogueCache(settings.data_dir)
    cache.load()
    device = load_device(settings.data_dir)
    agent = _agent(settings, store, device, cache) if device else None
    if agent is None:
        logging.getLogger(__name__).warning("Not paired: contributions stay on this kiosk. %s", HOW_TO_PAIR)
    else:
        agent.start()
    try:
        from kiosk.ui.app import run_app

        # Without --size the app keeps its own default window size.
        size = {"size": args.size} if args.size else {}
        run_app(settings, store, cache, agent, screenshots=args.screenshots, fullscreen=args.fullscreen,
                tour=args.tour, **size)
    finally:
        if agent is not None:
            agent.stop()
        store.close()
    return 0


def _pair(args, settings: KioskSettings) -> int:
    hub = args.hub or settings.hub_url
    if not hub:
        raise CommandError("say which hub to pair with: --hub https://your-hub.example")
    try:
        hub = KioskSettings.from_env({}, data_dir=settings.data_dir, hub_url=hub).hub_url
    except ConfigError:
        raise CommandError(f"--hub {args.hub!r} is not a web address; expected e.g. https://hub.example.org") \
            from None
    name = (args.name or socket.gethostname()).strip()
    try:
        answer = HubClient(hub, None).pair(args.code.strip(), name)
    except HubError as error:
        if error.status is None:
            raise CommandError(f"could not pair: {error.detail}") from None
        raise CommandError(f"the hub refused the pairing code: {error.detail}") from None
    device = Device(hub_url=hub, device_id=str(answer["device_id"]), token=str(answer["token"]), name=name,
                    paired_at=iso_utc(time.time()))
    save_device(settings.data_dir, device)
    print(f"Paired with {answer.get('hub_name') or hub} as {name!r} (device {device.device_id}).")
    print(f"Pairing saved in {settings.data_dir / 'device.json'}.")
    return 0


def _sync(args, settings: KioskSettings) -> int:
    device = load_device(settings.data_dir)
    if device is None:
        print(f"agora-kiosk: this kiosk is not paired with a hub, so nothing can be sent.\n{HOW_TO_PAIR}",
              file=sys.stderr)
        return 2
    store = Store.for_settings(settings)
    agent = _agent(settings, store, device, CatalogueCache(settings.data_dir))
    try:
        if not args.once:
            signal.signal(signal.SIGTERM, lambda *_: agent.stop(timeout=0))
            try:
                agent.run_forever()
            except KeyboardInterrupt:
                pass
            return 0
        report = agent.run_once()
        for result in report.results:
            line = f"{result.outcome:<9} {result.receipt_code}  {result.uuid}"
            print(f"{line}  {result.detail}" if result.detail else line)
        still = store.counts()["pending"]
        print(f"{len(report.delivered)} delivered, {len(report.failed)} failed, {still} still waiting.")
        for problem in (report.error, report.config_error):
            if problem:
                print(f"Problem: {problem}", file=sys.stderr)
        return 0 if report.ok else 1
    finally:
        store.close()


def _status(args, settings: KioskSettings) -> int:
    pending, counts = [], {"pending": 0, "delivered": 0, "failed": 0, "quarantined": 0, "archived": 0}
    # Looking must not create anything: a mistyped --data would otherwise leave an empty kiosk behind.
    if (settings.data_dir / STORE_FILE).exists():
        store = Store.for_settings(settings, recover=False)
        try:
            pending, counts = store.pending(), store.counts()
        finally:
            store.close()
    device = load_device(settings.data_dir)
    status = read_status(settings.data_dir / STATUS_FILE)
    oldest = _age(pending[0].created_at) if pending else "-"
    lines = [
        ("Waiting to be sent", str(counts["pending"])),
        ("Oldest waiting", oldest),
        ("Sent", str(counts["delivered"])),
        ("Refused by the hub", str(counts["failed"])),
        ("Quarantined", _quarantined(counts["quarantined"], settings)),
        ("Free disk", _free_disk(settings)),
        ("Last successful sync", _when(status.get("last_success"))),
        ("Last attempt", _when(status.get("last_attempt"))),
        ("Last error", status.get("last_error") or "none"),
    ]
    if status.get("paused_reason"):
        lines.append(("Sync paused", str(status["paused_reason"])))
    if isinstance(status.get("progress"), dict):
        lines.append(("Sending now", _progress(status["progress"])))
    lines += [
        ("Hub", device.hub_url if device else "NOT PAIRED"),
        ("Device id", device.device_id if device else "-"),
        ("Kiosk name", device.name if device else "-"),
        ("Data folder", str(settings.data_dir)),
    ]
    for label, value in lines:
        print(f"{label + ':':<22} {value}")
    if device is None:
        print(f"\nThis kiosk is not paired: contributions are kept here until it is. {HOW_TO_PAIR}")
    return 0


def _export(args, settings: KioskSettings) -> int:
    if not (settings.data_dir / STORE_FILE).exists():
        print(f"Nothing to export: there is no store in {settings.data_dir}.")
        return 0
    store = Store.for_settings(settings)
    try:
        result = export_undelivered(store, args.to, load_device(settings.data_dir))
        failed = store.counts()["failed"]
    finally:
        store.close()
    if result.path is None:
        print("Nothing to export: every contribution has been sent to the hub.")
    else:
        print(f"Exported {len(result.contributions)} contributions with {result.blobs} photos or recordings "
              f"({describe_bytes(result.bytes)}) to {result.path}")
        print("They stay waiting on this kiosk too; on the hub run `agora-hub import <that folder>`. "
              "A later sync will not duplicate them.")
    for uuid, reason in result.skipped:
        print(f"Not exported: {uuid}: {reason}", file=sys.stderr)
    if failed:
        print(f"{failed} contributions refused by the hub are not exported; see `agora-kiosk status`.")
    return 1 if result.skipped else 0


def _quarantined(count: int, settings: KioskSettings) -> str:
    if not count:
        return "0"
    return f"{count} (a photo or recording was missing or damaged; see {settings.data_dir / 'quarantine'})"


def _free_disk(settings: KioskSettings) -> str:
    try:
        free = free_bytes(settings.data_dir)
    except OSError as error:
        return f"unknown ({error})"
    reserve = settings.disk_reserve_mb * MB
    text = f"{describe_bytes(free)} (photos and recordings pause below {describe_bytes(reserve)})"
    return text if free >= reserve else f"{describe_bytes(free)}: LOW, photos and recordings are paused " \
                                         f"(reserve {describe_bytes(reserve)}); text still works"


def _progress(progress: dict) -> str:
    sent, total = progress.get("bytes_sent") or 0, progress.get("bytes_total") or 0
    code = progress.get("receipt_code") or progress.get("uuid") or "?"
    try:
        return f"{code}: {describe_bytes(sent)} of {describe_bytes(total)}"
    except TypeError:
        return str(code)


def _when(value: str | None) -> str:
    return "never" if not value else f"{value} ({_age(value)} ago)"


def _age(iso: str) -> str:
    try:
        seconds = max(0, (datetime.now(UTC) - parse_iso(iso)).total_seconds())
    except ValueError:
        return "unknown"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} s"


if __name__ == "__main__":
    sys.exit(main())
