#!/usr/bin/env bash
# Runs the threaded tests under ThreadSanitizer and prints one line per test program: tests
# run, passed, and data-race / other reports.
#   tests/tsan/run.sh [CTEST_REGEX]
# Configures and builds the `tsan` preset (build/tsan; about 45 minutes of 2 cores the first
# time), only the programs below. Reports go to build/tsan/tsan-reports/<program>.<pid>.
#
# Why these settings:
# - One compute thread (setComputeThreads keeps 1 in a TSan build, OMP_NUM_THREADS=1):
#   libgomp, which runs libtorch's parallel regions, is not instrumented, so TSan cannot see
#   the barriers that order them and would report every parallel loop. The threads under
#   test are ours: the training worker, the detection worker, the batch loaders, the
#   metrics follower, the pool threads of the decoders and jobs.
# - tests/tsan/suppressions.txt names third-party code only, each with its reason.
# - Qt's own mutexes and reference counts (futexes and atomics in libQt6Core) are not
#   instrumented either: data a thread hands to another through a queued signal, a posted
#   event, QThreadPool, a QFuture or an implicitly shared QString or QImage is reported as
#   racing, since TSan cannot see what orders the two sides. So each report is sorted:
#   "via Qt" when Qt code, or a Qt type's inline code, is on the stack of either access, or
#   neither access has a frame in the program; "ours" otherwise. Only "ours" fails the run:
#   the core's threads (trainer, batch loaders, generator, folder lock) are judged in full,
#   the Qt side's reports must be read (docs/reliability.md, "Sanitizers"); checking them
#   would take a Qt built with -sanitize thread.
set -euo pipefail
cd "$(dirname "$0")/../.."
regex="${1:-}"

programs=(test_trainer test_generator test_folder_lock ui_test_training_worker
          ui_test_detection_scheduler ui_test_metrics_follower ui_test_latest_image_decoder
          ui_test_image_list ui_test_detect_view ui_test_data_view ui_test_evaluation_view)
[[ -f build/tsan/build.ninja ]] || cmake --preset tsan >/dev/null
cmake --build build/tsan --target "${programs[@]}" >/dev/null

reports=build/tsan/tsan-reports
rm -rf "$reports"
mkdir -p "$reports"
options="halt_on_error=0 second_deadlock_stack=1 history_size=4 \
suppressions=$PWD/tests/tsan/suppressions.txt"
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive QT_QPA_PLATFORM=offscreen
export YOLO_SOURCE_DIR="$PWD"

# What puts a report in "via Qt": Qt code, or Qt's implicitly shared types, on the stack of
# either access (see above).
qt_handoff='libQt6|libglib|QtPrivate::|QMetaType|QArrayData|QObject|QThread|QFuture|QRunnable|QWaitCondition|QImage|QString'
printf '%-32s %6s %6s %8s %8s %8s\n' program tests passed ours 'via Qt' other
status=0
for p in "${programs[@]}"; do
  [[ -z "$regex" || "$p" =~ $regex ]] || continue
  exe=$(find build/tsan/tests -maxdepth 2 -type f -name "$p" | head -1)
  log="$reports/$p.log"
  export TSAN_OPTIONS="$options log_path=$PWD/$reports/$p"  # one file per process: $p.<pid>
  rc=0
  if [[ "$p" == ui_* ]]; then
    "$exe" -platform offscreen >"$log" 2>&1 || rc=$?
    run=$(sed -n 's/^Totals: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped.*/\1 \2 \3/p' "$log")
    read -r passed failed skipped <<<"${run:-0 0 0}"
    tests=$((passed + failed + skipped))
  else
    "$exe" >"$log" 2>&1 || rc=$?
    tests=$(sed -n 's/^\[==========\] \([0-9]*\) tests\? from .* ran.*/\1/p' "$log" | tail -1)
    passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
  fi
  ours=0 viaQt=0 other=0
  for f in "$reports/$p".[0-9]*; do
    [[ -f "$f" ]] || continue
    # One report per block between TSan's "==================" lines.
    read -r o q x < <(awk -v qt="$qt_handoff" -v program="($p+0x" '
      /^==================$/ { if (block ~ /WARNING: ThreadSanitizer/) judge(); block = ""; next }
      { block = block "\n" $0 }
      END { if (block ~ /WARNING: ThreadSanitizer/) judge(); print ours + 0, viaqt + 0, other + 0 }
      function judge(  accesses, cut) {
        # The two accesses: from the warning to where TSan says where the memory is.
        accesses = block
        cut = match(accesses, /\n  (Location is|Mutex|Thread T)/)
        if (cut) accesses = substr(accesses, 1, cut)
        if (block !~ /WARNING: ThreadSanitizer: data race/) other++
        else if (accesses ~ qt || !index(accesses, program)) viaqt++
        else ours++
      }' "$f")
    ours=$((ours + o)) viaQt=$((viaQt + q)) other=$((other + x))
  done
  printf '%-32s %6s %6s %8s %8s %8s\n' "$p" "${tests:-?}" "${passed:-?}" "$ours" "$viaQt" "$other"
  if ((rc != 0 && rc != 66)) || ((ours + other > 0)); then
    status=1
    echo "  $p: exit status $rc; see $log and $reports/$p.*" >&2
  fi
done
exit "$status"
