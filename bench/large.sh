#!/usr/bin/env bash
# Makes sure the PostgreSQL database named by BENCH_DATABASE_URL holds the
# large organisation (`crossmentor demo --size large --seed 1`), sealed with
# the benchmark's own key ring, and that its schema is current. Sourced by
# bench/run.sh and .ci/run; exports CROSSMENTOR_DATA_KEYS for the tests.
#
# The key ring is fixed and public: the large organisation is made-up data,
# and a fixed ring lets a database loaded by one checkout be read by another.
# A database loaded earlier with any other ring (or another seed) is dropped
# and loaded again, since its confidential text would not open.
export CROSSMENTOR_DATA_KEYS="bench1:3RwLj+eGbv2UrOmXXixD8IXIkJXYV4+GsCe+moXVWkA="
large_marker="crossmentor large organisation, seed 1, key ring bench1, sealed 0012"

# ensure_large_organisation ADMIN_URL: ADMIN_URL points at a database of the
# same server from which crossmentor_large can be created and dropped.
ensure_large_organisation() {
  local admin_url="$1"
  local marker
  marker=$(psql "$admin_url" -qtAc "SELECT coalesce(shobj_description(oid, 'pg_database'), 'none') FROM pg_database WHERE datname = 'crossmentor_large'")
  if [ "$marker" = "$large_marker" ]; then
    CROSSMENTOR_DATABASE_URL="$BENCH_DATABASE_URL" CROSSMENTOR_LOG_LEVEL=error go run ./cmd/crossmentor migrate
    return
  fi
  if [ -n "$marker" ]; then
    echo "crossmentor_large was loaded otherwise or not completely ($marker): loading it again"
    psql "$admin_url" -qc "DROP DATABASE crossmentor_large WITH (FORCE)"
  fi
  psql "$admin_url" -qc "CREATE DATABASE crossmentor_large"
  echo "loading the large organisation"
  local start
  start=$(date +%s)
  CROSSMENTOR_DATABASE_URL="$BENCH_DATABASE_URL" CROSSMENTOR_AUTO_MIGRATE=true CROSSMENTOR_LOG_LEVEL=error \
    go run ./cmd/crossmentor demo --size large --seed 1
  echo "loaded in $(( $(date +%s) - start )) s" > /tmp/crossmentor-load-time
  psql "$admin_url" -qc "COMMENT ON DATABASE crossmentor_large IS '$large_marker'"
}
