#!/usr/bin/env bash
# Measures crossmentor on the large organisation in PostgreSQL and writes
# BENCHMARKS.md. Uses BENCH_DATABASE_URL when set; otherwise the local
# server on 127.0.0.1:5432 (as .ci/run starts it), database crossmentor_large,
# which is created and filled (about a minute) when empty.
set -euo pipefail
cd "$(dirname "$0")/.."

base="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
# shellcheck source=bench/large.sh
source bench/large.sh
if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  export BENCH_DATABASE_URL="${base/\/postgres\?/\/crossmentor_large?}"
  ensure_large_organisation "$base"
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
  echo "load generator, app and database share the two cores."
  if [ -f /tmp/crossmentor-load-time ]; then echo "The large organisation $(cat /tmp/crossmentor-load-time) on this machine."; fi
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
  cat <<'NOTES'
## Method

- Pages under load: 50 clients on loopback, each sending its next request when the last
  one is answered, 20,000 requests (10,000 for the calendar JSON and the ICS feed) after a
  warm-up of a tenth of that, then 5 clients for a quarter of the requests; the app runs in the benchmark's process with its production
  middleware, database pool and vault. The floor serves the same bytes from a bare
  `net/http` handler to the same load generator.
- Reports: 30 runs after 3 warm-up runs; the floor is one hand-written SQL statement
  (CTEs over the same indexes) computing the same figures before suppression.
- Series planning: plan and save the series of 3,000 groups of one programme in one
  transaction (about 27,000 meetings); the floor is the planner alone, without the
  database, so the ratio is mostly the cost of writing the rows.
- Reminder sweep: 20,000 due deliveries claimed, composed from the database, rendered in
  the recipient's language and sent with 8 workers to an in-process SMTP sink; the floor
  sends one already-rendered mail 20,000 times with the same 8 workers.
- Memory: the `crossmentor serve` binary as its own process (jobs off), its VmRSS after
  start-up and a first visit, and its peak sampled every 20 ms during 20,000 mentee home
  page requests from 50 clients.
- `bench/explain_test.go` explains every statement of the mentee's, the mentor's and the
  admin's list pages and the ICS feed, and fails when a plan reads a table of 10,000 rows
  or more whole; CI runs it on the large organisation. It found the viewer's groups
  written as `mentor_id = ? OR id IN (…)`, which made every home page read all meetings
  (now a UNION), and the missing `people (name, id)` index of the people list.

## What limits the targets not met

- **p99 under 50 clients.** With 50 clients that each wait for their answer, the mean
  latency is 50 ÷ throughput (Little's law): about 1,500 requests/s means about 33 ms on
  average, so a p99 under 25 ms would take well over 2,000 requests/s with the load
  generator, the app and PostgreSQL on the same two cores. The p99 figures are what 50
  waiting clients see on this machine; the "5 clients" rows show the same pages when it
  is not saturated.
- **Throughput on a shared machine.** The speed of this shared machine varies from day to
  day by a factor of about two, for the floors as much as for the app: one run measured
  the bare handler at 47,000 requests/s and the report's SQL floor at 115 ms, another at
  24,000 requests/s and 250 ms. The mentee page met its 1,500 requests/s in the first
  (1,527) and not in the second (about 690–850). Compare runs by their ratios, which stay
  put (about 30–36 for the mentee page, about 1 for the report).
- **Participation report, p95 under 50 ms.** The app is as fast as its floor (ratio
  about 1): the time is PostgreSQL's own, mostly the join of a year's attendance
  (126,000 of 582,700 rows) with its meetings, 100–250 ms by itself here. The four
  counts already run side by side and are aggregated in the database. Reaching 50 ms
  needs attendance rolled up per person and month as it is recorded; that is not built.
NOTES
  echo
  echo "Reproduce one figure: \`BENCH_DATABASE_URL=… go test -run '^\$' -bench MenteeHome -benchtime 1x ./bench/\`."
  cat bench/sqlite.md # measured by hand: the embedded database under 50 writers
} > BENCHMARKS.md
rm -f "$results"
echo "wrote BENCHMARKS.md"
