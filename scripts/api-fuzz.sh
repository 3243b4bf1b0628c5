#!/usr/bin/env bash
# Property-based fuzzing of the collector's HTTP API against its own
# description (collector/openapi.json) with schemathesis: every operation
# gets up to EXAMPLES generated requests (valid and invalid ones, fixed seed),
# with the read token, and fails on any 5xx, any status, header, content
# type or body the document does not describe, any invalid request that is
# accepted, a token that is not checked, or a method not refused with 405.
#
#   scripts/api-fuzz.sh [EXAMPLES]        (default 100 per operation)
#
# API_FUZZ_ARGS adds schemathesis flags (e.g. "--report har" to see every exchange).
#
# Starts a debug collector on a free port with a temporary database and
# sites file, and stops it afterwards. Installs schemathesis (pinned) into
# target/venv when it is not there. The check `positive_data_acceptance` is
# left out: which sites exist is configuration, not something a schema can
# say, so a valid-looking report or query for another site is rightly a 400.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

EXAMPLES=${1:-100}
[[ $EXAMPLES =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/api-fuzz.sh [EXAMPLES]"
SCHEMATHESIS_VERSION=4.32.5
VENV=$ROOT/target/venv
SEED=20261201

if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  step "schemathesis $SCHEMATHESIS_VERSION into target/venv (about a minute)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

step "Debug collector"
cargo build -p support-kpi-collector

work=$(mktemp -d)
collector=
cleanup() {
  if [ -n "$collector" ]; then kill "$collector" 2>/dev/null || true; wait "$collector" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# "acme-help" (the document's example site) takes reports from any origin, so
# that generated reports reach the store.
cat >"$work/sites.json" <<'EOF'
[{"key":"acme-help","origins":["*"]},
 {"key":"ams","origins":["https://ams.example"],"timeZone":"Europe/Amsterdam","serviceLevelSeconds":30}]
EOF
token=api-fuzz-read-token-0123456789
mkfifo "$work/log"
target/debug/support-kpi-collector serve --listen 127.0.0.1:0 --db "$work/kpi.db" --sites "$work/sites.json" \
  --read-token "$token" --mount "/=$work/www" 2>"$work/log" &
collector=$!
# Waits for the line that names the address, then keeps the log drained (the same open pipe).
exec 3<"$work/log"
base=
while IFS= read -r line <&3; do
  echo "$line"
  if [[ $line =~ listening\ on\ (http://[^ ]+) ]]; then base=${BASH_REMATCH[1]}; break; fi
done
[ -n "$base" ] || die "the collector did not start"
cat <&3 >&2 &

step "schemathesis: $EXAMPLES examples per operation, seed $SEED, against $base"
cd "$work"
# Refusals for size (413 body, 414 query string, 431 head) are rejections too.
cat >schemathesis.toml <<'EOF'
[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 414, 415, 422, 428, 429, 431]
EOF
"$VENV/bin/schemathesis" run "$ROOT/collector/openapi.json" --url "$base" \
  --header "Authorization: Bearer $token" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$EXAMPLES" --seed "$SEED" --generation-database none \
  --workers 2 --no-color ${API_FUZZ_ARGS:-}
