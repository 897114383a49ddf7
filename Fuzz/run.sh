#!/bin/sh
# Runs every reader's fuzz target for FUZZ_SECONDS (default 60) each, with seed corpora
# from problems/ and Tests/Fixtures. Findings go to .build-fuzz/findings/; the summary
# (runs, seconds, findings per target) to .build-fuzz/summary.txt.
# FUZZ_TARGETS narrows the list, e.g. FUZZ_TARGETS="mps max".
set -u
cd "$(dirname "$0")/.."
BUILD=.build-fuzz
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"mps qps lp max libsvm csv mtx yaml expr nfg payoff file"}
mkdir -p "$BUILD/findings"
: > "$BUILD/summary.txt"
for target in $TARGETS; do
  corpus="$BUILD/corpus/$target"
  mkdir -p "$corpus"
  case $target in
    expr) for f in problems/smooth/*.yaml problems/tour/*.yaml; do
            sed -n 's/^\(minimize\|maximize\): *"\{0,1\}\([^"]*\)"\{0,1\}$/\2/p' "$f" > "$corpus/$(basename "$f").expr"
          done ;;
    yaml) find problems Tests/Fixtures -name '*.yaml' -size -64k -exec cp {} "$corpus/" \; ;;
    qps)  find problems Tests/Fixtures Tests/ProblemFormatsTests -iname '*.qps' -size -64k -exec cp {} "$corpus/" \;
          find Tests/ProblemFormatsTests/Malformed -name 'q*.mps' -exec cp {} "$corpus/" \; ;;
    nfg)  find problems Tests -name '*.nfg' -size -64k -exec cp {} "$corpus/" \; ;;
    payoff) find problems/games Tests/Fixtures/games -name '*.csv' -size -64k -exec cp {} "$corpus/" \; ;;
    mps)  find problems Tests/Fixtures Tests/ProblemFormatsTests -name '*.mps' -size -64k -exec cp {} "$corpus/" \; ;;
    # The whole-file path (regular-file check, byte cap, gzip's cap) on gzip'd MPS.
    file) find problems Tests/Fixtures -name '*.mps.gz' -size -64k -exec cp {} "$corpus/" \; ;;
    *)    find problems Tests/Fixtures Tests -name "*.$target" -size -64k -exec cp {} "$corpus/" \; ;;
  esac
  log="$BUILD/fuzz-$target.log"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} LAGRANGE_FUZZ_FORMAT=$target "$BUILD/fuzz-readers" "$corpus" -max_total_time="$SECONDS_EACH" -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$BUILD/findings/$target-" > "$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  findings=$(ls "$BUILD/findings" 2>/dev/null | grep -c "^$target-" || true)
  echo "$target: exit $status, ${runs:-?} executions in ${SECONDS_EACH}s, $findings findings" | tee -a "$BUILD/summary.txt"
done
