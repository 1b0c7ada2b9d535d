#!/usr/bin/env bash
# The fuzz campaign: builds the cargo-fuzz targets (libFuzzer, optimised, with debug assertions
# and overflow checks), seeds their corpora from the committed fixtures (fuzz/seed.py), runs each
# target until it has executed --runs inputs or spent --max-seconds (wall clock), and prints one table:
# executions, crashes (panics, limits, an input over 100 ms of CPU), the slowest input, peak RSS.
#
#   fuzz/campaign.sh                         # the full campaign: 10 M inputs or 30 min per target
#   fuzz/campaign.sh --max-seconds 15        # what .ci/run does: a short run of every target
#   fuzz/campaign.sh --targets "json index" --jobs 2
#
# Limits per input (a breach is a crash, its input saved under fuzz/artifacts/TARGET/):
# RSS 256 MB (-rss_limit_mb, -malloc_limit_mb), 100 ms of CPU (fuzz_targets/common.rs), a 10 s
# hang (-timeout). Needs cargo-fuzz (`cargo install cargo-fuzz`); builds on the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")"
runs=10000000
max_seconds=1800
jobs=1
targets="input har detect decode verify rotate json marshal base64 wordlist index"
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --max-seconds) max_seconds=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--max-seconds S] [--targets \"T...\"] [--jobs J]" >&2; exit 2 ;;
  esac
done

max_len() {  # the largest input libFuzzer builds for a target
  case $1 in
    har) echo 65536 ;;
    base64 | wordlist) echo 4096 ;;
    *) echo 16384 ;;
  esac
}

cargo fuzz build -O -a -s none >/dev/null
python3 seed.py 2>/dev/null
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
run_one() {
  local t=$1
  mkdir -p "artifacts/$t"
  # libFuzzer exits non-zero on a finding; the table reports it.
  "$bin/$t" "corpus/$t" -runs="$runs" -max_total_time="$max_seconds" \
    -max_len="$(max_len "$t")" -rss_limit_mb=256 -malloc_limit_mb=256 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="artifacts/$t/" >"logs/$t.log" 2>&1 || true
  # The CPU time the fuzzer used (user + system), from bash's own accounting of its children.
  # (`times` must not run in a pipeline: a subshell has no children of its own.)
  times >"logs/$t.times"
  tail -1 "logs/$t.times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] + 0.5 }' >"logs/$t.cpu"
}
export -f run_one max_len
export bin runs max_seconds
printf '%s\n' $targets | xargs -P "$jobs" -I{} bash -c 'run_one {}'

failed=0
{
  echo "| target | executions | wall s | CPU s | exec/s | crashes | slowest input (CPU) | peak RSS | corpus |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for t in $targets; do
    log=logs/$t.log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    slowest=$(sed -n 's/^signet-fuzz: slowest unit \(.*\)/\1/p' "$log" | tail -1)
    crashes=$(find "artifacts/$t" -type f | wc -l)
    corpus=$(find "corpus/$t" -type f | wc -l)
    cpu=$(cat "logs/$t.cpu" 2>/dev/null || echo "?")
    if [ -z "$secs" ] || [ "$crashes" -gt 0 ]; then
      failed=1
      secs=${secs:-?}
      [ "$crashes" -gt 0 ] || crashes="1 (see fuzz/logs/$t.log)"
    fi
    rate=$([ "$cpu" != "?" ] && [ "$cpu" -gt 0 ] && echo $(( ${execs:-0} / cpu )) || echo "-")
    echo "| $t | ${execs:-?} | $secs | $cpu | $rate | $crashes | ${slowest:-< 1 ms} | ${rss:-?} MB | $corpus |"
  done
} | tee logs/campaign.md
if [ "$failed" -ne 0 ]; then
  echo "fuzz: findings above (inputs in fuzz/artifacts/, logs in fuzz/logs/)" >&2
  for f in artifacts/*/*; do
    [ -e "$f" ] && { echo "== $f"; grep -m3 -E "panicked|ERROR" "logs/$(basename "$(dirname "$f")").log"; } >&2
  done
  exit 1
fi
