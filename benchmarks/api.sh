#!/usr/bin/env bash
# Throughput of the API next to its ceiling; see benchmarks/README.md, section "API".
#
# Production settings under gunicorn on 127.0.0.1:8101, 10,000+ synthetic obligations,
# token authentication, wrk. Each endpoint is printed as a fraction of the ceiling: a
# trivial view in the same server returning the bytes of the list response from memory.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8101}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-8}
WORKERS=${WORKERS:-$((2 * $(nproc) + 1))}  # gunicorn's rule of thumb
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mt_api}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/5}
export DJANGO_DEBUG=0 DJANGO_HTTPS=0
DJANGO_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY
export API_RATE_TOKEN=1000000000  # measure the API, not the rate limit
WORK=$(mktemp -d)
export API_BENCHMARK_CEILING_FILE=$WORK/ceiling.json
MANAGE=(.venv/bin/python manage.py)
BASE=http://127.0.0.1:$PORT/api/v1

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    else
        echo "wrk is missing: sudo apt-get install -y wrk"; exit 1
    fi
fi
make --no-print-directory install >/dev/null

echo "== Data"
"${MANAGE[@]}" migrate --noinput -v0
"${MANAGE[@]}" collectstatic --noinput -v0
"${MANAGE[@]}" load_2692 >/dev/null
SYNTHETIC=$("${MANAGE[@]}" shell -v0 -c "
from paragraphs.models import Obligation
print(Obligation.objects.filter(paragraph__resolution__is_synthetic=True).count())")
if [ "$SYNTHETIC" -lt 10000 ]; then
    "${MANAGE[@]}" generate_scale_data --resolutions 200 --obligations 10000 --deadlines 50000
fi
# Fresh planner statistics, as autovacuum would have them after a bulk load.
"${MANAGE[@]}" shell -v0 -c "
from django.contrib.auth.models import Group, User
from django.db import connection
from paragraphs.models import Obligation
from reports.models import Deadline
user, _ = User.objects.get_or_create(username='bench-manager')
user.groups.add(Group.objects.get(name='manager'))
connection.cursor().execute('ANALYZE')
print(Obligation.objects.count(), 'obligations,', Deadline.objects.count(), 'deadlines')"
TOKEN=$("${MANAGE[@]}" create_api_token bench-manager --name "benchmark $(date -u +%FT%TZ)" 2>/dev/null)

echo "== Server: gunicorn, $WORKERS sync workers, on 127.0.0.1:$PORT"
.venv/bin/gunicorn mandate_tracker.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --log-level warning &
SERVER=$!
cleanup() {
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    "${MANAGE[@]}" revoke_api_token "${TOKEN:3:12}" --by bench-manager >/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 50); do
    curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/actors/" && break
    sleep 0.2
done

AUTH="Authorization: Bearer $TOKEN"
LIST="$BASE/obligations/?page_size=50"
curl -fs -H "$AUTH" "$LIST" -o "$API_BENCHMARK_CEILING_FILE"
FIRST_ID=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['id'])" "$API_BENCHMARK_CEILING_FILE")
DETAIL="$BASE/obligations/$FIRST_ID/"
ETAG=$(curl -fs -D - -o /dev/null -H "$AUTH" "$DETAIL" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
# A page deep in the table (rows after id 9,000): the cursor's query is the same range scan.
DEEP_CURSOR=$(python3 -c "import base64,json; print(base64.urlsafe_b64encode(json.dumps(['id', None, 9000]).encode()).decode())")
DEEP="$LIST&cursor=$DEEP_CURSOR"
echo "list: $(wc -c <"$API_BENCHMARK_CEILING_FILE") bytes; detail: $DETAIL; ETag: $ETAG"

rate() {  # wrk's requests per second for the label, headers and URL; fails on any error
    local out label=$1
    shift
    wrk -t1 -c"$CONNECTIONS" -d3s "$@" >/dev/null  # warm up: connections, caches
    python3 benchmarks/cpu.py snapshot >"$WORK/before.json"
    out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "$@")
    python3 benchmarks/cpu.py snapshot >"$WORK/after.json"
    if grep -q "Non-2xx or 3xx" <<<"$out"; then
        echo "$out" >&2; echo "errors answered during the run" >&2; exit 1
    fi
    python3 benchmarks/cpu.py per-request "$WORK/before.json" "$WORK/after.json" \
        "$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' <<<"$out")" "$label" >>"$WORK/cpu.txt"
    sed -n 's/^Requests\/sec: *//p' <<<"$out"
}

echo "== wrk: $CONNECTIONS connections, $DURATION each, on $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
CEILING=$(rate ceiling "$BASE/benchmark-ceiling/")
LIST_RATE=$(rate list -H "$AUTH" "$LIST")
DEEP_RATE=$(rate "list after id 9000" -H "$AUTH" "$DEEP")
DETAIL_RATE=$(rate detail -H "$AUTH" "$DETAIL")
COND_RATE=$(rate "conditional GET (304)" -H "$AUTH" -H "If-None-Match: $ETAG" "$DETAIL")
# The issue's reference points, on the same machine in the same run.
NAIVE_RATE=$(rate "DRF ModelSerializer list" -H "$AUTH" "$BASE/benchmark-naive/?page_size=50")
VALUES_RATE=$(rate "values() list" -H "$AUTH" "$BASE/benchmark-values/?page_size=50")
# The floors: the same checks and statement in a plain Django view, and nothing else.
FLOOR_LIST_RATE=$(rate "floor: list" -H "$AUTH" "$BASE/benchmark-floor-list/")
FLOOR_304_RATE=$(rate "floor: 304" -H "$AUTH" -H "If-None-Match: $ETAG" "$BASE/benchmark-floor-304/$FIRST_ID/")
FLOOR_REDIS_RATE=$(rate "floor: 304, ETag in Redis" -H "$AUTH" -H "If-None-Match: $ETAG" \
    "$BASE/benchmark-floor-304-redis/$FIRST_ID/")

python3 - "$CEILING" "$LIST_RATE" "$DEEP_RATE" "$DETAIL_RATE" "$COND_RATE" "$NAIVE_RATE" "$VALUES_RATE" \
    "$FLOOR_LIST_RATE" "$FLOOR_304_RATE" "$FLOOR_REDIS_RATE" <<'PY'
import sys
ceiling, *rates = map(float, sys.argv[1:])
names = ["ceiling (same bytes, from memory)", "obligations list, page_size=50",
         "obligations list, page after id 9000", "obligation detail",
         "conditional GET (304)", "reference: DRF ModelSerializer list",
         "reference: hand-written values() list", "floor: list (statement's rows only)",
         "floor: 304 (checks and version only)", "floor: 304, ETag in Redis (no database)"]
print(f"{'endpoint':40} {'req/s':>9} {'of ceiling':>11}")
for name, rate in zip(names, [ceiling, *rates]):
    print(f"{name:40} {rate:9.0f} {rate / ceiling:11.0%}")
PY
echo "== CPU per request, microseconds, all cores (the rest: wrk, the kernel, anything else)"
printf '%-40s%9s%9s%9s%9s%9s\n' request machine gunicorn postgres redis rest
cat "$WORK/cpu.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
