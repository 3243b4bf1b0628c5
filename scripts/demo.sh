#!/usr/bin/env bash
# The main job: builds everything, starts the collector on 127.0.0.1 with the
# dashboard and the demo shop, fills it with simulated visitors driving the
# real widget in headless Chromium, prints the URLs, and keeps the collector
# running (Ctrl-C stops it).
#   PORT (default 8787), VISITORS (default 60), DAYS (default 7)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
PORT="${PORT:-8787}"
VISITORS="${VISITORS:-60}"
DAYS="${DAYS:-7}"
BASE="http://127.0.0.1:$PORT"

bash scripts/setup.sh
bash scripts/build.sh

step "Collector (release build)"
cargo build --profile server -p support-kpi-collector
COLLECTOR="$ROOT/target/server/support-kpi-collector"

step "Starting the collector on $BASE"
DATA="$ROOT/demo-data"
rm -rf "$DATA" && mkdir -p "$DATA"
cat > "$DATA/sites.json" <<JSON
[{ "key": "acme-demo", "origins": ["$BASE"], "timeZone": "Europe/Amsterdam", "serviceLevelSeconds": 60 }]
JSON
TOKEN="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
SUPPORT_KPI_READ_TOKEN="$TOKEN" "$COLLECTOR" serve --listen "127.0.0.1:$PORT" --db "$DATA/support-kpi.db" \
  --sites "$DATA/sites.json" &
COLLECTOR_PID=$!
trap 'kill $COLLECTOR_PID 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 50); do
  node -e "fetch('$BASE/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" && break
  kill -0 "$COLLECTOR_PID" 2>/dev/null || die "the collector did not start (is port $PORT in use? set PORT=…)"
  sleep 0.2
done

step "Simulating $VISITORS visitors over the last $DAYS days (headless Chromium)"
node scripts/simulate.mjs --url "$BASE" --visitors "$VISITORS" --days "$DAYS"

cat <<MSG

  Dashboard:  $BASE/dashboard/#token=$TOKEN
  Demo shop:  $BASE/demo/          (its help center is measured as support pages)
  Read token: $TOKEN
  API:        curl -H "Authorization: Bearer $TOKEN" "$BASE/api/kpis?site=acme-demo"

  The collector keeps running; press Ctrl-C to stop it.
MSG
wait "$COLLECTOR_PID"
