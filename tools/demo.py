"""Runs Agora on its embedded defaults: a seeded hub, a demo curator and a paired kiosk with sync running."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def say(message: str) -> None:
    print(f"agora demo: {message}", flush=True)


def command(name: str) -> str:
    """The console script installed beside this interpreter, so the demo never picks up another Agora."""
    path = BIN / name
    if not path.exists():
        sys.exit(f"agora demo: {path} is missing; run `make demo` so that Agora is installed first.")
    return str(path)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_for_hub(url: str, hub: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            sys.exit(f"agora demo: the hub stopped at start-up (exit code {hub.returncode}); its log is above.")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/openapi.json", timeout=2):  # noqa: S310 - our own loopback hub
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"agora demo: the hub did not answer on {url} within {seconds:.0f} s.")


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def stop_on_sigterm(_signum, _frame):
    # A service manager or `timeout` stops the demo with SIGTERM: clean up exactly as for Ctrl-C.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / "var", help="folder for all demo data (default ./var)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("AGORA_DEMO_PORT", "8000")))
    parser.add_argument("--offscreen", action="store_true", help="run the kiosk offscreen even with a display")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error(f"--port must be between 1 and 65535, not {args.port}")
    if not port_is_free(args.port):
        sys.exit(f"agora demo: port {args.port} is already in use; stop what runs there or pass --port N.")

    hub_dir, kiosk_dir, shots = args.data / "hub", args.data / "kiosk", args.data / "screenshots"
    for folder in (hub_dir, kiosk_dir, shots):
        folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, AGORA_HUB_DATA=str(hub_dir), AGORA_KIOSK_DATA=str(kiosk_dir))
    hub_cmd, kiosk_cmd = command("agora-hub"), command("agora-kiosk")

    def hub(*words: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([hub_cmd, *words], env=env, check=True, text=True, **kwargs)

    say("preparing the hub's database and the demo museum")
    hub("manage", "migrate", "--noinput", stdout=subprocess.DEVNULL)
    hub("seed-demo")
    password = secrets.token_urlsafe(9)
    # A fresh password on every run; the first run creates the account, later runs update it.
    quiet = {"input": password + "\n", "stdout": subprocess.DEVNULL}
    created = subprocess.run([hub_cmd, "createcurator", "demo", "--password-stdin"], env=env, text=True,
                             stderr=subprocess.DEVNULL, **quiet)
    if created.returncode != 0:
        hub("createcurator", "demo", "--password-stdin", "--update", **quiet)

    url = f"http://127.0.0.1:{args.port}"
    children: list[subprocess.Popen] = []
    server = subprocess.Popen([hub_cmd, "serve", "--data", str(hub_dir), "--port", str(args.port)], env=env)
    children.append(server)
    try:
        wait_for_hub(url, server)
        if not (kiosk_dir / "device.json").exists():
            code = hub("pairing-code", "--quiet", "--authorise", capture_output=True).stdout.strip()
            subprocess.run([kiosk_cmd, "pair", "--hub", url, "--code", code, "--name", "Demo kiosk"],
                           env=env, check=True)

        print(
            "\n"
            f"  Curator queue:  {url}/curate/\n"
            f"  Login:          demo\n"
            f"  Password:       {password}\n"
            f"  Public API:     {url}/api/v1/items  (schema: {url}/api/v1/docs)\n",
            flush=True,
        )
        kiosk_args = [kiosk_cmd, "run", "--data", str(kiosk_dir)]
        kiosk_env = dict(env)
        if args.offscreen or not has_display():
            say(f"no display found: running the kiosk offscreen; it takes a visitor's tour and writes a "
                f"screenshot of each screen to {shots}/")
            shutil.rmtree(shots, ignore_errors=True)
            kiosk_env["SDL_VIDEODRIVER"] = "offscreen"
            # The tour photographs an exhibit picture with the still-image test camera, unless one is set.
            kiosk_env.setdefault("AGORA_KIOSK_CAMERA", f"files:{ROOT / 'assets' / 'demo' / 'images'}")
            kiosk_args += ["--tour", "--screenshots", str(shots)]
        children.append(subprocess.Popen(kiosk_args, env=kiosk_env))
        say("running; press Ctrl-C to stop")
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        failed = [child for child in children if child.returncode not in (0, None)]
        if failed:
            say(f"{failed[0].args[0]} stopped with exit code {failed[0].returncode}")
            return 1
        return 0
    except KeyboardInterrupt:
        say("stopping")
        return 0
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    sys.exit(main())
