#!/usr/bin/env bash
# Benchmark: event latency over the JSM sandbox (the demo organisation, 20 ms added per request). An agent's edit
# makes an incident a security incident; the time until Vigil's flag is on the issue is measured through the signed
# webhook (Vigil's real receiver on a loopback port, then the event run) and through the poll, one event at a time,
# with the API calls Vigil spent per event. Printed, not asserted.
#
# usage: bench/event-latency.sh [--events 50] [--poll-events 10] [--poll-seconds 5] [--latency-ms 20]
#                               [--debounce-ms 100] [--no-build]
# Extra JVM options: BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1 args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --events|--poll-events|--poll-seconds|--latency-ms|--debounce-ms) args+=("$1" "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done

cpfile=app/target/bench-classpath.txt
if [ "$build" = 1 ]; then
  echo "building app and what it needs (test-compile, no install)..." >&2
  mvn -B -q -pl app -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
[ -f "$cpfile" ] || { echo "no $cpfile: run once without --no-build" >&2; exit 1; }
cp="app/target/test-classes:app/target/classes:$(cat "$cpfile")"

exec java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} -cp "$cp" \
  io.vigil.bench.EventLatencyBench "${args[@]}"
