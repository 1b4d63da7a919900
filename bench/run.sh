#!/usr/bin/env bash
# Measures crossmentor and writes BENCHMARKS.md.
#
#   bash bench/run.sh           PostgreSQL, then SQLite when BENCH_SQLITE_DIR
#                               (default /tmp/sqlite-work/large) holds a database
#   bash bench/run.sh pg        PostgreSQL only   } these two write
#   bash bench/run.sh sqlite    SQLite only       } /tmp/crossmentor-bench-<mode>.md
#   BENCH_SCALE=1 bash bench/run.sh   also the scaling run (¼, ½, 1, 2 × the
#                               large organisation; loads the other sizes once
#                               into cm_bench_scale_*; BENCH_SCALES=0.25,2 a subset)
#
# PostgreSQL: BENCH_DATABASE_URL when set; otherwise the local server on
# 127.0.0.1:5432 (as .ci/run starts it), database crossmentor_large, which
# is created and filled (about a minute) when empty. BENCH_DB=sqlite is the
# same as the argument sqlite. Shorter runs for trying the script:
# BENCH_REQUESTS (10000 per page with 10 clients, half with 50; BENCH_SQLITE_REQUESTS, 5000,
# on SQLite), BENCH_REPLAY_SECONDS (10),
# BENCH_FIGURE_REQUESTS (300 report and dashboard views for the memory figure).
# BENCH_SCRIPTS=DIR keeps each page's recorded statements (the pgbench scripts);
# BENCH_KEEP=1 keeps the raw result files (in a mktemp folder).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-${BENCH_DB:-all}}"
case "$mode" in all|pg|sqlite) ;; postgres|postgresql) mode=pg ;; *) echo "usage: bench/run.sh [pg|sqlite]" >&2; exit 2 ;; esac
sqlite_dir="${BENCH_SQLITE_DIR:-/tmp/sqlite-work/large}"
if ! command -v pgbench >/dev/null && [ "$mode" != sqlite ]; then
  echo "pgbench is missing (apt-get install postgresql-contrib); the replay floor will be empty" >&2
fi

started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT
export BENCH_RESULTS="$work/results" BENCH_PAGES="$work/pages" BENCH_SCALING="$work/scaling"
touch "$BENCH_RESULTS" "$BENCH_PAGES" "$BENCH_SCALING"
go test -c -o "$work/bench.test" ./bench/
failed="" # the logs of runs in which a benchmark failed; the others are still written

base="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
# shellcheck source=bench/large.sh
source bench/large.sh
if [ "$mode" != sqlite ]; then
  if [ -z "${BENCH_DATABASE_URL:-}" ]; then
    export BENCH_DATABASE_URL="${base/\/postgres\?/\/crossmentor_large?}"
    ensure_large_organisation "$base"
  fi
  pattern='^Benchmark(Page|Report|Dashboard|Series|Reminder|Memory)'
  if [ -n "${BENCH_SCALE:-}" ]; then pattern='^Benchmark(Page|Report|Dashboard|Series|Reminder|Memory|Scaling)'; fi
  (cd bench && BENCH_DB=postgres "$work/bench.test" -test.run '^$' -test.bench "$pattern" -test.benchtime 1x -test.timeout 90m -test.v) \
    | tee /tmp/crossmentor-bench.txt || failed="$failed /tmp/crossmentor-bench.txt"
fi
sqlite_ran=""
if [ "$mode" != pg ]; then
  if [ -f "$sqlite_dir/crossmentor.db" ]; then
    sqlite_keys=()
    # A data folder with its own key file opens with it; otherwise with the benchmark's ring.
    if [ -f "$sqlite_dir/keys" ]; then sqlite_keys=(-u CROSSMENTOR_DATA_KEYS); fi
    # The page rows go to the same table (marked SQLite); the targets to their own list.
    (cd bench && env "${sqlite_keys[@]}" BENCH_DB=sqlite BENCH_SQLITE_DIR="$sqlite_dir" BENCH_RESULTS="$work/results-sqlite" \
      BENCH_REQUESTS="${BENCH_SQLITE_REQUESTS:-${BENCH_REQUESTS:-5000}}" \
      "$work/bench.test" -test.run '^$' -test.bench '^Benchmark(Page|Report|Dashboard$)' -test.benchtime 1x -test.timeout 60m -test.v) \
      | tee /tmp/crossmentor-bench-sqlite.txt || failed="$failed /tmp/crossmentor-bench-sqlite.txt"
    # Series planning writes, so it runs after the pages, in a process of its own
    # (the pages' server opens the same file).
    (cd bench && env "${sqlite_keys[@]}" BENCH_DB=sqlite BENCH_SQLITE_DIR="$sqlite_dir" BENCH_RESULTS="$work/results-sqlite" \
      "$work/bench.test" -test.run '^$' -test.bench '^BenchmarkSeriesPlanning3000$' -test.benchtime 1x -test.timeout 30m -test.v) \
      | tee -a /tmp/crossmentor-bench-sqlite.txt || failed="$failed /tmp/crossmentor-bench-sqlite.txt"
    sqlite_ran=yes
  else
    echo "no SQLite database in $sqlite_dir (set BENCH_SQLITE_DIR): the SQLite table is left out" >&2
  fi
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
minutes=$(( ($(date +%s) - started + 30) / 60 ))

# targets FILE: the rows of the figure/floor/target table.
targets() {
  echo "| what | figure | floor | ratio | target | met |"
  echo "|---|---|---|---|---|---|"
  while IFS='|' read -r name unit figure floor ratio target met; do
    floor_txt="$floor $unit"; ratio_txt="$ratio"
    if [ "$floor" = "-" ]; then floor_txt="—"; ratio_txt="—"; fi
    cmp="≤"; case "$unit" in req/s|mails/s|%) cmp="≥";; esac
    echo "| $name | $figure $unit | $floor_txt | $ratio_txt | $cmp $target $unit | $([ "$met" = true ] && echo yes || echo no) |"
  done < "$1"
}

# pages DB: the page table of one database.
pages() {
  echo "| page | clients | req/s | p50 ms | p99 ms | app CPU ms/req | PostgreSQL CPU ms/req | statements/req | bare handler req/s (app CPU ms/req) | own SQL replayed, pages/s (PostgreSQL CPU ms/page) | req/s ÷ replayed |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  while IFS='|' read -r db page clients rps p50 p99 app dbcpu stmts bare barecpu replay replaydb share; do
    [ "$db" = "$1" ] || continue
    replay_txt="—"; share_txt="—"; dbcpu_txt="$dbcpu"
    if [ "$db" = SQLite ]; then dbcpu_txt="—"; fi
    if [ "$replay" != 0 ] && [ "$clients" = 10 ]; then
      replay_txt="$replay"; share_txt="$share %"
      if [ "$db" != SQLite ]; then replay_txt="$replay ($replaydb)"; fi
    fi
    echo "| $page | $clients | $rps | $p50 | $p99 | $app | $dbcpu_txt | $stmts | $bare ($barecpu) | $replay_txt | $share_txt |"
  done < "$BENCH_PAGES"
}

out=BENCHMARKS.md
if [ "$mode" != all ]; then out="/tmp/crossmentor-bench-$mode.md"; fi
{
  echo "# Benchmarks"
  echo
  echo "Measured with \`bash bench/run.sh${1:+ $1}\` ($minutes min) on the large organisation (\`crossmentor demo --size large --seed 1\`:"
  echo "20,000 people, 40 programmes, 3,000 groups, 126,000 meetings, 582,700 attendance rows,"
  echo "102,000 one-on-ones, 60,000 cases, 50,000 sent mails, 100,000 audit rows) in PostgreSQL"
  echo "and, for the pages, in SQLite (below, with the size of the organisation measured there)."
  echo "Each figure stands beside its **floor**: the same result by the shortest path (a hand-written"
  echo "SQL query, a bare net/http handler returning the same bytes, the planner without the database,"
  echo "a bare SMTP sending loop). The ratio is figure ÷ floor for times and floor ÷ figure for rates:"
  echo "how many times the floor's cost the app pays."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  if [ "$mode" != sqlite ]; then
    echo "$(go version | cut -d' ' -f3), $(psql "$BENCH_DATABASE_URL" -qtAc 'SHOW server_version' | xargs | cut -d' ' -f1) PostgreSQL on the same machine;"
  else
    echo "$(go version | cut -d' ' -f3);"
  fi
  echo "load generator, app and database share the cores. Load average (1, 5, 15 min) at the start"
  echo "of the run $load_start, at its end $load_end: figures measured with a load average well above"
  echo "the number of cores say more about the machine than about the app."
  if [ -f /tmp/crossmentor-load-time ]; then echo "The large organisation $(cat /tmp/crossmentor-load-time) on this machine."; fi
  if [ -n "$failed" ]; then echo; echo "**Some benchmarks failed in this run** (see$failed); their rows are missing."; fi
  echo
  if [ "$mode" != sqlite ]; then
    targets "$BENCH_RESULTS"
    echo
    echo "## Pages on PostgreSQL"
    echo
    pages PostgreSQL
    echo
  fi
  if [ -n "$sqlite_ran" ]; then
    echo "## Pages on SQLite"
    echo
    echo "The same pages on the embedded database in \`$sqlite_dir\`"
    echo "($(sqlite3 "$sqlite_dir/crossmentor.db" 'SELECT count(*) FROM people' 2>/dev/null || echo '?') people). The database runs inside the app's"
    echo "process, so the app's CPU includes SQLite's. The replay runs the page's statements, with their"
    echo "values, through the benchmark's own database handle (the app's two pools) with 10 goroutines."
    echo
    pages SQLite
    echo
    targets "$work/results-sqlite"
    echo
  fi
  if [ -s "$BENCH_SCALING" ]; then
    echo "## Scaling"
    echo
    echo "The organisation at ¼, ½, 1 and 2 times the large one (people, teams, groups per programme, mails and"
    echo "audit rows scaled; the 40 programmes and their dates kept), 10 clients per page, in PostgreSQL."
    echo "Per page: req/s, app CPU ms/req, PostgreSQL CPU ms/req, statements/req."
    echo
    echo "| size | people | groups | meetings | mentee home | group page | meeting page | report p95 ms | dashboard p95 ms | first report s |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    while IFS='|' read -r size people groups meetings r1 a1 d1 s1 r2 a2 d2 s2 r3 a3 d3 s3 rep dash first; do
      echo "| $size × | $people | $groups | $meetings | $r1, $a1, $d1, $s1 | $r2, $a2, $d2, $s2 | $r3, $a3, $d3, $s3 | $rep | $dash | $first |"
    done < "$BENCH_SCALING"
    echo
  fi
  cat <<'NOTES'
## Method

- Pages: the app runs in its own process (the benchmark's test binary started again,
  serving as `crossmentor serve` does: `app.New`, its HTTP server, production middleware,
  database pool and vault, jobs off, the clock on the organisation's day). The load
  generator is the benchmark's process: 10 clients (the headline; the issue's throughput
  target is at 10 clients), then 50, each sending its next request when the last one is
  answered: 10,000 requests with 10 clients and 5,000 with 50 (half that on SQLite), after a
  warm-up of 1,000 (500).
- App CPU per request: the server process's utime + stime (`/proc/<pid>/stat`) over the
  run ÷ requests. PostgreSQL CPU per request: the same for every process of the local
  server (the postmaster with its ended children, and its live children) ÷ requests; it
  counts whatever else the server does meanwhile. Statements per request: every
  statement the app's gorm ran during the run ÷ requests.
- Floors of a page: the same bytes from a bare `net/http` handler in the same server
  process, through the same load generator (its app CPU in brackets); and the page's own
  statements, recorded with their values for one view, replayed by
  `pgbench -n -M prepared -f page.sql -c 10 -j 2 -T 10` (PostgreSQL CPU per page in
  brackets). "req/s ÷ replayed" is the page's throughput as a share of its SQL alone.
- Reports: the first view of the organisation (counting and deciding suppression for
  every closed period) is made once, untimed; then 30 runs after 3 warm-up runs; the
  floor is one hand-written SQL statement (CTEs over the same indexes) computing the same
  figures before suppression. Dashboard: 30 views after 3 warm-up views, p95 and the bytes
  the benchmark process allocated per view.
- Series planning: plan and save the series of 3,000 groups of one programme in one
  transaction (about 27,000 meetings); the floor is the planner alone, without the
  database, so the ratio is mostly the cost of writing the rows.
- Reminder sweep: 20,000 due deliveries claimed, composed from the database, rendered in
  the recipient's language and sent with 8 workers to an in-process SMTP sink; the floor
  sends one already-rendered mail 20,000 times with the same 8 workers.
- Memory: the app in its own process as above, its VmRSS after start-up and a first
  visit, its peak sampled every 20 ms during 10,000 mentee home page requests from 50
  clients, and during 300 views of the two participation reports and the dashboard (in
  turn) from 50 clients.
- `bench/explain_test.go` explains every statement of the mentee's, the mentor's and the
  admin's list pages and the ICS feed, and fails when a plan reads a table of 10,000 rows
  or more whole; CI runs it on the large organisation. It found the viewer's groups
  written as `mentor_id = ? OR id IN (…)`, which made every home page read all meetings
  (now a UNION), and the missing `people (name, id)` index of the people list.

## Reading the figures

- **Latency under 50 clients.** With 50 clients that each wait for their answer, the mean
  latency is 50 ÷ throughput (Little's law), so p99 at 50 clients follows from the
  throughput; the 10-client rows show the pages when the machine is less saturated.
- **A shared machine.** Its speed varies from day to day by a factor of about two, for
  the floors as much as for the app. Compare runs by the ratios, and by the CPU per
  request, which depends much less on what else runs than throughput and latency do.
NOTES
  echo
  echo "Reproduce one figure: \`BENCH_DATABASE_URL=… go test -run '^\$' -bench PageMenteeHome -benchtime 1x -v ./bench/\`"
  echo "(\`BENCH_DB=sqlite BENCH_SQLITE_DIR=…\` for SQLite)."
  echo
  cat bench/sqlite.md # measured by hand: the embedded database under 50 writers
} > "$out"
echo "wrote $out in $minutes min${failed:+; some benchmarks failed, see$failed}"
