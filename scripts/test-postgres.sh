#!/usr/bin/env bash
# Start Debian's PostgreSQL (installing it if missing), make sure a throw-away test database
# exists, and print its SQLAlchemy URL on stdout (messages go to stderr). The store's tests run
# against it as well as SQLite when DRESSFORM_TEST_PG_URL holds that URL.
set -euo pipefail
SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
if ! command -v pg_lsclusters >/dev/null; then
  echo "installing Debian's postgresql" >&2
  $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq postgresql >&2
fi
read -r version cluster _ < <(pg_lsclusters --no-header | head -1)
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1); cluster=main
  $SUDO pg_createcluster "$version" "$cluster" >&2
fi
$SUDO pg_ctlcluster "$version" "$cluster" start >&2 2>/dev/null || true
port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')
psql_() { $SUDO runuser -u postgres -- psql -p "$port" -qtAX "$@"; }
for _ in $(seq 30); do psql_ -c "select 1" >/dev/null 2>&1 && break; sleep 1; done
[ "$(psql_ -c "select 1 from pg_roles where rolname='dressform'")" = 1 ] ||
  psql_ -c "create role dressform login password 'dressform'" >&2
[ "$(psql_ -c "select 1 from pg_database where datname='dressform_test'")" = 1 ] ||
  psql_ -c "create database dressform_test owner dressform" >&2
echo "postgresql+pg8000://dressform:dressform@127.0.0.1:${port}/dressform_test"
