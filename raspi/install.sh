#!/bin/bash -e
# Turns a fresh Raspberry Pi OS (or Debian) machine into an Agora kiosk or hub. Re-runnable.
# Usage: sudo raspi/install.sh kiosk|hub [--root DIR]   (--root installs into a folder, for checking)
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
role=${1:-}
root=""
if [ "${2:-}" = "--root" ]; then root=${3:?"--root needs a folder"}; fi
case "$role" in
    kiosk|hub) ;;
    *) echo "usage: $0 kiosk|hub [--root DIR]" >&2; exit 2 ;;
esac
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
    echo "install.sh must run as root (sudo $0 $role)" >&2; exit 1
fi

packages=$(grep -v '^#' "$here/packages-$role.txt" | xargs)
if [ -z "$root" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086 # one package name per word, on purpose
    apt-get install -y -qq --no-install-recommends $packages
    id agora >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/agora --shell /usr/sbin/nologin agora
fi

install -d -m 755 "$root/opt/agora" "$root/etc/systemd/system" "$root/etc/agora"
install -d -m 750 "$root/var/lib/agora"
install -m 644 "$here/files/etc/systemd/system/agora-$role.service" "$root/etc/systemd/system/"
if [ "$role" = kiosk ]; then
    install -d -m 755 "$root/boot/firmware"
    [ -e "$root/boot/firmware/agora.env" ] || install -m 644 "$here/files/boot/firmware/agora.env" "$root/boot/firmware/"
    extra=kiosk
else
    extra=hub
fi

# The code runs from its own copy in /opt/agora/src, installed in place (editable) so that it finds the fonts,
# pictures and translations of assets/ next to it; a later run replaces the copy whole. Not when this script
# is itself run from that copy.
if [ "$(cd "$src" && pwd -P)" != "$(cd "$root/opt/agora" && pwd -P)/src" ]; then
    rm -rf "$root/opt/agora/src.new"
    install -d -m 755 "$root/opt/agora/src.new"
    tar -C "$src" --exclude=./.git --exclude=./.venv --exclude=./var --exclude=./build --exclude='*.egg-info' \
        --exclude=__pycache__ --exclude=./.pytest_cache --exclude=./.ruff_cache -cf - . |
        tar -C "$root/opt/agora/src.new" --no-same-owner -xf -
    rm -rf "$root/opt/agora/src"
    mv "$root/opt/agora/src.new" "$root/opt/agora/src"
fi

if [ -z "$root" ]; then
    [ -x /opt/agora/venv/bin/python ] || python3 -m venv /opt/agora/venv
    /opt/agora/venv/bin/pip install --quiet --upgrade pip
    /opt/agora/venv/bin/pip install --quiet --editable "/opt/agora/src[$extra]"
    chown -R agora:agora /var/lib/agora
    systemctl daemon-reload
    systemctl enable --now "agora-$role.service"
    echo "agora: $role installed; logs with: journalctl -u agora-$role -f"
else
    echo "agora: $role files laid out under $root (no packages, users or services touched)"
fi
