"""The `agora-hub` command: serve the hub, create curators, issue pairing codes, load the demo museum."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# Friendly command names mapped to the Django management commands that do the work.
DJANGO_COMMANDS = {
    "createcurator": "createcurator",
    "pairing-code": "pairing_code",
    "prune-blobs": "prune_blobs",
    "import": "import_export",
    "seed-demo": "seed_demo",
    "migrate": "migrate",
    "check": "check",
}


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not between 1 and 65535")
    return port


def _workers(value: str) -> int:
    try:
        workers = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= workers <= 64:
        raise argparse.ArgumentTypeError(f"{workers} is not between 1 and 64")
    return workers


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agora-hub",
        description="Agora's hub: receives stories from the kiosks; curators moderate them at /curate/.",
        epilog="Every command takes --data DIR (default: $AGORA_HUB_DATA or ./var/hub).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="migrate the database, then serve the hub with gunicorn")
    serve.add_argument("--data", type=Path, help="data folder (database, images, secret key)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=_workers, default=2, help="gunicorn worker processes (default 2)")
    helps = {
        "createcurator": "create a curator account: createcurator NAME [--password-stdin] [--update]",
        "pairing-code": "print a one-time code to pair a kiosk: pairing-code [--minutes 15] [--authorise] [--quiet]",
        "prune-blobs": "remove media blobs no contribution uses: prune-blobs [--hours N] [--dry-run]",
        "import": "take in a kiosk export folder without network: import DIR",
        "seed-demo": "load the demo exhibits and prompts: seed-demo [--from DIR]",
        "migrate": "create or update the database tables",
        "check": "check the hub's configuration",
        "manage": "run any Django management command: manage COMMAND [ARGS...]",
    }
    for name, text in helps.items():
        # Options are passed on untouched, so `agora-hub createcurator --help` shows that command's own help.
        sub = commands.add_parser(name, help=text, add_help=False)
        sub.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # Django's commands parse their own options, so their arguments are handed over in their original order.
    if argv and (argv[0] in DJANGO_COMMANDS or argv[0] == "manage"):
        name, args = argv[0], argv[1:]
        _use_data_dir(parser, _pop_data_option(parser, args))
        if name == "manage":
            if not args:
                parser.error("manage needs a Django command, e.g. `agora-hub manage showmigrations`")
            return run_django(args[0], args[1:])
        return run_django(DJANGO_COMMANDS[name], args)
    options = parser.parse_args(argv)
    _use_data_dir(parser, options.data)
    return serve(options.host, options.port, options.workers)


def _pop_data_option(parser: argparse.ArgumentParser, args: list[str]) -> Path | None:
    """Take `--data DIR` (or `--data=DIR`) out of a passed-on argument list, wherever it is."""
    for index, arg in enumerate(args):
        if arg == "--data":
            if index + 1 >= len(args):
                parser.error("--data needs a folder")
            value = args[index + 1]
            del args[index : index + 2]
            return Path(value)
        if arg.startswith("--data="):
            del args[index]
            return Path(arg.split("=", 1)[1])
    return None


def _use_data_dir(parser: argparse.ArgumentParser, data: Path | None) -> None:
    if data is None:
        return
    data = data.expanduser().resolve()
    if data.exists() and not data.is_dir():
        parser.error(f"--data {data} is a file, not a folder")
    os.environ["AGORA_HUB_DATA"] = str(data)


def run_django(command: str, args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["agora-hub", command, *args])
    return 0


def serve(host: str, port: int, workers: int) -> int:
    """Bring the database up to date, then replace this process with gunicorn."""
    run_django("migrate", ["--no-input", "--verbosity", "1"])
    bind = f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"
    root = str(Path(__file__).resolve().parents[1])
    argv = [
        sys.executable, "-m", "gunicorn", "hub.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--pythonpath", root,
        "--access-logfile", "-",
        "--error-logfile", "-",
    ]
    print(f"Agora hub on http://{bind}/curate/ (data: {os.environ.get('AGORA_HUB_DATA', './var/hub')})", flush=True)
    os.execvp(sys.executable, argv)  # noqa: S606 - a fixed argument list, no shell involved
    return 0  # not reached: execvp replaces the process


if __name__ == "__main__":
    sys.exit(main())
