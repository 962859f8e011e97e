#!/usr/bin/env bash
# CI smoke of the district benchmark (issue 6): the `small` preset (30 villages,
# 50,000 cases; about 20 s) in a database of its own, then a short benchmark run.
# Numbers are printed, never asserted: the step fails only when a command fails
# (generator, migrate, suite) or a measured page answers a server error.
#
#   bash bench/ci_smoke.sh            # from the repository root or anywhere
#
# Needs PostgreSQL on 127.0.0.1:5432 with the role `portal` (CREATEDB), as
# .ci/run's services step leaves it. About a minute and a half on 2 cores.
# Variables: BENCH_CI_DB (default portal_bench_ci), BENCH_CI_VILLAGES and
# BENCH_CI_CASES (default: the preset's 30 and 50,000), BENCH_CI_SECONDS (load run, 10).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DB=${BENCH_CI_DB:-portal_bench_ci}
VILLAGES=${BENCH_CI_VILLAGES:-30}
CASES=${BENCH_CI_CASES:-50000}
SECONDS_LOAD=${BENCH_CI_SECONDS:-10}
URL="postgres://portal@127.0.0.1:5432/$DB"
PY=.venv/bin/python

case $DB in
    *bench*) ;;
    *) echo "ci_smoke: refusing database $DB (its name must contain 'bench')" >&2; exit 2 ;;
esac

started=$(date +%s)
echo "bench smoke: database $DB, preset small ($VILLAGES villages, $CASES cases); load: $(uptime)"

dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
createdb -h 127.0.0.1 -U postgres -O portal "$DB"

# management commands run with production settings; a throwaway key is enough here
export DATABASE_URL=$URL
export SECRET_KEY=${SECRET_KEY:-bench-ci-smoke-secret-key-not-for-production}
export AUDIT_KEY=${AUDIT_KEY:-bench-ci-smoke-audit-key-not-for-production}
export DJANGO_DEBUG=0
unset DJANGO_SETTINGS_MODULE

"$PY" manage.py migrate -v0 --noinput
"$PY" -m bench.generate_district --preset small --villages "$VILLAGES" --cases "$CASES" \
    --seed 1
out=$(mktemp)
"$PY" -m bench.run --quick --no-write --db-url "$URL" --seconds "$SECONDS_LOAD" | tee "$out"
# Numbers are not asserted, but a page that answers a server error is a defect.
if grep -q "n/a – HTTP 5" "$out"; then
    echo "ci_smoke: a page answered a server error:" >&2
    grep "n/a – HTTP 5" "$out" | grep -v '^|' >&2
    rm -f "$out"
    exit 1
fi
rm -f "$out"

dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
echo "bench smoke done in $(($(date +%s) - started)) s"
