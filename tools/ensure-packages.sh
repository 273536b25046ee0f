#!/bin/bash -e
# Makes sure the Debian packages named in the given lists are installed: installs them as root, else prints the
# exact apt-get line and fails, so nobody runs half-installed.
missing=()
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "agora: not a Debian system; make sure the packages in $* (or their equivalents) are installed." >&2
    exit 0
fi
for list in "$@"; do
    while read -r name; do
        [[ -z "$name" || "$name" == \#* ]] && continue
        status=$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null || true)
        [[ "$status" == "install ok installed" ]] || missing+=("$name")
    done < "$list"
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "agora: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "agora: these Debian packages are missing. Install them, then run make again:" >&2
    echo "    sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
