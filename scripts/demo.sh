#!/usr/bin/env bash
# The main job: builds everything, starts the collector on 127.0.0.1 with the
# dashboard and the demo shop, fills it with simulated visitors driving the
# real widget in headless Chromium, prints the URLs, and keeps the collector
# running (Ctrl-C stops it). The collector is the debug build (dev profile),
# which compiles in a fraction of the production profile's time and is fast
# enough for a demo; deploy `--profile server` (README, "Deploying").
#   PORT (default 8787), VISITORS (default 60; 0 = none), DAYS (default 7),
#   KEEP=1 keeps demo-data/ (database, sites file, read token) from the last run
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
PORT="${PORT:-8787}"
VISITORS="${VISITORS:-60}"
DAYS="${DAYS:-7}"
KEEP="${KEEP:-0}"
BASE="http://127.0.0.1:$PORT"
DATA="$ROOT/demo-data"

echo "scripts/demo.sh: the URLs after about 6-8 minutes on a fresh clone (2 cores; once per machine 5-15 minutes more to compile wasm-bindgen-cli), 10 s to 2 minutes on later runs; then simulated visitors fill the dashboard for 2-6 minutes."

bash scripts/setup.sh
bash scripts/build.sh

step "Collector (dev profile: the first build about 4-5 minutes on 2 cores, then seconds)"
cargo build -p support-kpi-collector
COLLECTOR="$ROOT/target/debug/support-kpi-collector"

if [ "$KEEP" = 1 ] && [ -f "$DATA/token" ]; then
  step "Starting the collector on $BASE (KEEP=1: the data and token of the last run)"
else
  step "Starting the collector on $BASE (new data in demo-data/; KEEP=1 keeps it next time)"
  rm -rf "$DATA" && mkdir -p "$DATA"
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$DATA/token"
fi
cat > "$DATA/sites.json" <<JSON
[{ "key": "acme-demo", "origins": ["$BASE"], "timeZone": "Europe/Amsterdam", "serviceLevelSeconds": 60 }]
JSON
TOKEN="$(cat "$DATA/token")"
echo "read token: $TOKEN (kept in demo-data/token)"
SUPPORT_KPI_READ_TOKEN="$TOKEN" "$COLLECTOR" serve --listen "127.0.0.1:$PORT" --db "$DATA/support-kpi.db" \
  --sites "$DATA/sites.json" &
COLLECTOR_PID=$!
trap 'kill $COLLECTOR_PID 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 50); do
  node -e "fetch('$BASE/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" && break
  kill -0 "$COLLECTOR_PID" 2>/dev/null || die "the collector did not start (is port $PORT in use? set PORT=…)"
  sleep 0.2
done

elapsed=$(($(date +%s) - SUPPORT_KPI_T0))
cat <<MSG

  Ready after $((elapsed / 60)) min $((elapsed % 60)) s.
  Dashboard:  $BASE/dashboard/#token=$TOKEN
  Demo shop:  $BASE/demo/          (its help center is measured as support pages)
  Read token: $TOKEN
  API:        curl -H "Authorization: Bearer $TOKEN" "$BASE/api/kpis?site=acme-demo"
MSG

if [ "$VISITORS" -gt 0 ]; then
  step "Simulating $VISITORS visitors over the last $DAYS days (headless Chromium, 2-6 minutes for 60 on 2 cores; reload the dashboard to see them arrive)"
  node scripts/simulate.mjs --url "$BASE" --visitors "$VISITORS" --days "$DAYS"
  echo
  step "All $VISITORS visitors simulated"
fi
echo "The collector keeps running; press Ctrl-C to stop it (KEEP=1 scripts/demo.sh starts it again with this data)."
wait "$COLLECTOR_PID"
