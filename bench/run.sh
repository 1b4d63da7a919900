#!/usr/bin/env bash
# Measures crossmentor on the large organisation in PostgreSQL and writes
# BENCHMARKS.md. Uses BENCH_DATABASE_URL when set; otherwise the local
# server on 127.0.0.1:5432 (as .ci/run starts it), database crossmentor_large,
# which is created and filled (about a minute) when empty.
set -euo pipefail
cd "$(dirname "$0")/.."

base="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  psql "$base" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'crossmentor_large'" | grep -q 1 ||
    psql "$base" -qc "CREATE DATABASE crossmentor_large"
  export BENCH_DATABASE_URL="${base/\/postgres\?/\/crossmentor_large?}"
fi
people=$(psql "$BENCH_DATABASE_URL" -qtAc "SELECT count(*) FROM people" 2>/dev/null || echo 0)
if [ "$people" -lt 20000 ]; then
  echo "loading the large organisation"
  load_start=$(date +%s)
  CROSSMENTOR_DATABASE_URL="$BENCH_DATABASE_URL" CROSSMENTOR_AUTO_MIGRATE=true CROSSMENTOR_LOG_LEVEL=error \
    go run ./cmd/crossmentor demo --size large --seed 1
  echo "loaded in $(( $(date +%s) - load_start )) s" > /tmp/crossmentor-load-time
fi

results=$(mktemp)
export BENCH_RESULTS="$results"
go test -run '^$' -bench . -benchtime 1x -timeout 60m ./bench/ | tee /tmp/crossmentor-bench.txt

{
  echo "# Benchmarks"
  echo
  echo "Measured with \`bash bench/run.sh\` on the large organisation (\`crossmentor demo --size large --seed 1\`:"
  echo "20,000 people, 40 programmes, 3,000 groups, 126,000 meetings, 582,700 attendance rows,"
  echo "102,000 one-on-ones, 60,000 cases, 50,000 sent mails, 100,000 audit rows) in PostgreSQL."
  echo "Each figure stands beside its **floor**: the same result by the shortest path (a hand-written"
  echo "SQL query, a bare net/http handler returning the same bytes, the planner without the database,"
  echo "a bare SMTP sending loop). The ratio is figure ÷ floor for times and floor ÷ figure for rates:"
  echo "how many times the floor's cost the app pays."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "$(go version | cut -d' ' -f3), $(psql "$BENCH_DATABASE_URL" -qtAc 'SHOW server_version' | xargs | cut -d' ' -f1) PostgreSQL on the same machine;"
  echo "load generator, app and database share the two cores. $(cat /tmp/crossmentor-load-time 2>/dev/null || true)"
  echo
  echo "| what | figure | floor | ratio | target | met |"
  echo "|---|---|---|---|---|---|"
  while IFS='|' read -r name unit figure floor ratio target met; do
    floor_txt="$floor $unit"; ratio_txt="$ratio"
    if [ "$floor" = "0.00" ]; then floor_txt="—"; ratio_txt="—"; fi
    cmp="≤"; case "$unit" in req/s|mails/s) cmp="≥";; esac
    echo "| $name | $figure $unit | $floor_txt | $ratio_txt | $cmp $target $unit | $([ "$met" = true ] && echo yes || echo no) |"
  done < "$results"
  echo
  echo "Reproduce one figure: \`BENCH_DATABASE_URL=… go test -run '^\$' -bench MenteeHome -benchtime 1x ./bench/\`."
} > BENCHMARKS.md
rm -f "$results"
echo "wrote BENCHMARKS.md"
