#!/bin/sh
# Run Debian's pg_ctl for the test suite, as the `postgres` user when we are root.
#
# pg_ctl (and initdb, which it runs) refuse to run as root, and CI runs the tests as root. When the
# caller is root this wrapper gives the `postgres` user what it needs to work in pytest's private
# temporary folders — ownership of the data folder's parent and traverse rights on its ancestors —
# and then runs the real pg_ctl through runuser. As any other user it simply runs pg_ctl.
#
# The real binary is $RUNREADY_PG_BINDIR/pg_ctl when that is set, otherwise the newest
# /usr/lib/postgresql/<version>/bin/pg_ctl.
set -eu

if [ -n "${RUNREADY_PG_BINDIR:-}" ]; then
    bindir="$RUNREADY_PG_BINDIR"
else
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
pg_ctl="$bindir/pg_ctl"
if [ ! -x "$pg_ctl" ]; then
    echo "pg_ctl_as_postgres.sh: no PostgreSQL server binaries found (looked for $pg_ctl);" \
         "install the Debian package 'postgresql'" >&2
    exit 127
fi

if [ "$(id -u)" -ne 0 ]; then
    exec "$pg_ctl" "$@"
fi

# As root: find the data folder (-D / --pgdata) and the log file (-l) among the arguments.
datadir=""
logfile=""
prev=""
for arg in "$@"; do
    case "$prev" in
        -D|--pgdata) datadir="$arg" ;;
        -l|--log) logfile="$arg" ;;
    esac
    case "$arg" in
        --pgdata=*) datadir="${arg#--pgdata=}" ;;
    esac
    prev="$arg"
done

grant_traverse() {
    # Let `postgres` pass through every ancestor of $1 (pytest's temp folders are 0700 root).
    dir="$1"
    while [ "$dir" != "/" ] && [ -n "$dir" ]; do
        chmod o+x "$dir" 2>/dev/null || true
        dir="$(dirname "$dir")"
    done
}

for path in "$datadir" "$logfile"; do
    [ -n "$path" ] || continue
    parent="$(dirname "$path")"
    mkdir -p "$parent"
    # Only hand over folders made for this run, never a system folder such as /tmp itself.
    case "$parent" in
        /|/tmp|/var/tmp|/usr*|/etc*|/var/lib*) ;;
        *) chown postgres:postgres "$parent" ;;
    esac
    grant_traverse "$parent"
    if [ -e "$path" ]; then
        chown -R postgres:postgres "$path"
    fi
done

cd /
exec runuser -u postgres -- "$pg_ctl" "$@"
