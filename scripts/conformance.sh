#!/usr/bin/env bash
# The OpenAPI conformance run (`make conformance`): `dressform serve` on a scratch store, then
# schemathesis with every check against its /openapi.json. Exits non-zero on any failure.
# MAX_EXAMPLES (default 30) bounds the cases per operation; SEED makes a run repeatable.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
work=$(mktemp -d -t dressform-conformance-XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# A scratch store, no drape that can start (1 particle allowed), no try-on prepared, and no
# rate limit in the way (the run would otherwise test mostly 429s).
export DRESSFORM_DATA="$work/data" DRESSFORM_DATABASE_URL="sqlite:///$work/store.db" \
  DRESSFORM_WEB_MAX_CLOTH_VERTICES=1 DRESSFORM_WEB_PREPARE_ON_DEMAND=false \
  DRESSFORM_WEB_SHOP_REQUESTS_PER_MINUTE=1000000
key=$($bin/dressform keys api conformance | tail -n 1)
port=$($bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$bin/dressform serve --port "$port" --no-access-log >"$work/server.log" 2>&1 &
pid=$!
$bin/st run "http://127.0.0.1:$port/openapi.json" --checks all -H "X-API-Key: $key" \
  --max-examples "${MAX_EXAMPLES:-30}" --seed "${SEED:-31}" --workers 1 \
  --wait-for-schema 120 --phases examples,coverage,fuzzing
