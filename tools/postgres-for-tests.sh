#!/bin/bash -e
# Runs the given command against a throwaway PostgreSQL server (Debian's packages, the newest version installed),
# then stops and deletes it: `tools/postgres-for-tests.sh .venv/bin/pytest tests/hub`. The command sees
# AGORA_HUB_DATABASE_URL. The server listens only on a Unix socket in a private temporary folder; nothing outside
# it is touched.
newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
pgbin="${AGORA_PG_BIN:-${newest:-/usr/lib/postgresql/VERSION/bin}}"
if [ ! -x "$pgbin/initdb" ]; then
    echo "agora: PostgreSQL is not installed at $pgbin; install it with: sudo apt-get install -y postgresql" >&2
    echo "       (or set AGORA_PG_BIN to the folder holding initdb and pg_ctl)" >&2
    exit 1
fi
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/agora-pg.XXXXXX")"
as_server=()
if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root, so the server runs as Debian's postgres user, in a folder only it may enter.
    as_server=(runuser -u postgres --)
    chown postgres: "$work"
fi
chmod 700 "$work"

stop() {
    "${as_server[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop EXIT

"${as_server[@]}" "$pgbin/initdb" -D "$work/data" -U agora --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" ||
    { cat "$work/initdb.log" >&2; exit 1; }
# Nothing is flushed to disk (fsync=off): this database lives for one test run. synchronous_commit keeps its
# default, so the tests see the hub relax it for the commits it may lose (hub/durability.py).
if ! "${as_server[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 start \
    -o "-c listen_addresses='' -k $work -c fsync=off -c full_page_writes=off" >/dev/null; then
    cat "$work/server.log" >&2
    exit 1
fi
"$pgbin/createdb" -h "$work" -U agora agora

AGORA_HUB_DATABASE_URL="postgres://agora@$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$work")/agora"
export AGORA_HUB_DATABASE_URL
echo "agora: throwaway PostgreSQL at $work"
status=0
"$@" || status=$?
exit $status
