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
CEILING_DURATION=${CEILING_DURATION:-5s}
WARMUP=${WARMUP:-2s}
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
# Every obligation's list JSON stored, as a client's first walk (or the command after a
# bulk load) leaves it; then fresh planner statistics, as autovacuum would have them.
"${MANAGE[@]}" store_obligation_json >/dev/null
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

rate() {  # wrk's requests per second for the URL; fails on any error; CPU row if labelled
    local out label=$1 duration=$2
    shift 2
    wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "$@" >/dev/null  # warm up: connections, caches
    python3 benchmarks/cpu.py snapshot >"$WORK/before.json"
    out=$(wrk -t1 -c"$CONNECTIONS" -d"$duration" "$@")
    python3 benchmarks/cpu.py snapshot >"$WORK/after.json"
    if grep -q "Non-2xx or 3xx" <<<"$out"; then
        echo "$out" >&2; echo "errors answered during the run" >&2; exit 1
    fi
    if [ -n "$label" ]; then
        python3 benchmarks/cpu.py per-request "$WORK/before.json" "$WORK/after.json" \
            "$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' <<<"$out")" "$label" >>"$WORK/cpu.txt"
    fi
    sed -n 's/^Requests\/sec: *//p' <<<"$out"
}

# Each target runs between two runs of the ceiling and is divided by their mean: this
# machine's speed drifts over minutes, and a target measured late against a ceiling
# measured early would carry that drift into its fraction.
ceiling() { rate "${1:-}" "$CEILING_DURATION" "$BASE/benchmark-ceiling/" >>"$WORK/ceilings"; }
target() {  # name, CPU label, wrk arguments
    local name=$1 label=$2 measured
    shift 2
    measured=$(rate "$label" "$DURATION" "$@")  # on its own line, so that a failure stops the run
    printf '%s\t%s\n' "$name" "$measured" >>"$WORK/rates.tsv"
    ceiling
}

echo "== wrk: $CONNECTIONS connections, $DURATION each (the ceiling $CEILING_DURATION, before and after each), on $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
rate "" "$CEILING_DURATION" "$BASE/benchmark-ceiling/" >/dev/null  # the server's first minute
ceiling ceiling
# The ceiling as a token's read: the same view in the lane that skips the browser's
# middleware (mandate_tracker.api.middleware), as every request by token below is.
target "ceiling, asked with the token (its lane)" "ceiling with the token" -H "$AUTH" \
    "$BASE/benchmark-ceiling/"
target "obligations list, page_size=50" list -H "$AUTH" "$LIST"
target "obligations list, page after id 9000" "list after id 9000" -H "$AUTH" "$DEEP"
target "obligation detail" detail -H "$AUTH" "$DETAIL"
target "conditional GET (304)" "conditional GET (304)" -H "$AUTH" -H "If-None-Match: $ETAG" "$DETAIL"
# The issue's reference points, on the same machine in the same run.
target "reference: DRF ModelSerializer list" "DRF ModelSerializer list" \
    -H "$AUTH" "$BASE/benchmark-naive/?page_size=50"
target "reference: hand-written values() list" "values() list" \
    -H "$AUTH" "$BASE/benchmark-values/?page_size=50"
# The floors: what every request must do, and the endpoint's statement, in a plain view.
target "floor: list (statement's rows only)" "floor: list" -H "$AUTH" "$BASE/benchmark-floor-list/"
target "floor: 304 (checks and version only)" "floor: 304" \
    -H "$AUTH" -H "If-None-Match: $ETAG" "$BASE/benchmark-floor-304/$FIRST_ID/"
target "floor: 304, ETag in Redis (no database)" "floor: 304, ETag in Redis" \
    -H "$AUTH" -H "If-None-Match: $ETAG" "$BASE/benchmark-floor-304-redis/$FIRST_ID/"

python3 - "$WORK/ceilings" "$WORK/rates.tsv" <<'PY'
import statistics, sys
ceilings = [float(line) for line in open(sys.argv[1])]
targets = [line.rstrip("\n").split("\t") for line in open(sys.argv[2])]
print(f"ceiling (same bytes, from memory): {statistics.median(ceilings):.0f} req/s, median of "
      f"{len(ceilings)} runs ({min(ceilings):.0f}-{max(ceilings):.0f})")
print(f"{'endpoint':42} {'req/s':>7} {'ceiling around it':>18} {'of ceiling':>11}")
for i, (name, rate) in enumerate(targets):
    around = (ceilings[i] + ceilings[i + 1]) / 2
    print(f"{name:42} {float(rate):7.0f} {around:18.0f} {float(rate) / around:11.0%}")
PY
echo "== CPU per request, microseconds, all cores (the rest: wrk, the kernel, anything else)"
printf '%-40s%9s%9s%9s%9s%9s\n' request machine gunicorn postgres redis rest
cat "$WORK/cpu.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
