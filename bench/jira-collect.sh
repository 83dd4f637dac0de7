#!/usr/bin/env bash
# Benchmark: a full Jira collection of a generated organisation (default 100,000 issues, 20,000 CIs) from the JSM
# sandbox with 20 ms added per request. The sandbox runs in its own JVM; the collector in one with -Xmx256m, so the
# heap figure is the collector's alone. Prints issues/s, API calls, wall time against the latency floor and the peak
# heap, then the sandbox's own per-endpoint request counts. Printed, not asserted.
#
# usage: bench/jira-collect.sh [--issues 100000] [--cis 20000] [--seed 42] [--latency-ms 20] [--concurrency 8]
#                              [--page-size 100] [--xmx 256m] [--histogram LINES] [--no-build]
# --histogram prints the top of the collector's live heap by class after the run; --no-build skips compiling.
# Extra JVM options (e.g. -XX:StartFlightRecording=filename=x.jfr for profiling): SANDBOX_JAVA_OPTS, BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

issues=100000 cis=20000 seed=42 latency=20 concurrency=8 page=100 xmx=256m build=1 histogram=0 warmup=1 runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --issues) issues=$2; shift 2 ;;
    --cis) cis=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --latency-ms) latency=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --page-size) page=$2; shift 2 ;;
    --xmx) xmx=$2; shift 2 ;;
    --histogram) histogram=$2; shift 2 ;;
    --warm-up) warmup=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done

out=connector-jira/target/bench
mkdir -p "$out"
if [ "$build" = 1 ]; then
  echo "building connector-jira and what it needs (test-compile, nothing installed into ~/.m2)..." >&2
  mvn -B -q -pl connector-jira -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
  cp connector-jira/target/bench-classpath.txt "$out/classpath.txt"
fi
[ -f "$out/classpath.txt" ] || { echo "no $out/classpath.txt: run once without --no-build" >&2; exit 1; }
cp="connector-jira/target/test-classes:connector-jira/target/classes:$(cat "$out/classpath.txt")"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
log="$out/sandbox.log"
# the sandbox reads commands from a pipe this script holds open (its "forget" after the warm-up)
rm -f "$out/sandbox.in"
mkfifo "$out/sandbox.in"
exec 3<>"$out/sandbox.in"
java -Xmx1g ${SANDBOX_JAVA_OPTS:-} -cp "$cp" io.vigil.sandbox.jira.JiraSandboxMain --port "$port" \
  --dataset "generate:$issues:$cis:$seed" --latency-ms "$latency" --contracts off --commands-on-stdin \
  <"$out/sandbox.in" >"$log" 2>&1 &
sandbox=$!
stop_sandbox() {
  exec 3>&- || true
  rm -f "$out/sandbox.in"
  if kill -0 "$sandbox" 2>/dev/null; then
    kill "$sandbox" 2>/dev/null || true
    wait "$sandbox" 2>/dev/null || true
  fi
}
trap stop_sandbox EXIT

for _ in $(seq 1 300); do
  grep -q "JSM sandbox" "$log" 2>/dev/null && break
  kill -0 "$sandbox" 2>/dev/null || { echo "the sandbox exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.2
done
grep -q "JSM sandbox" "$log" || { echo "the sandbox did not start within 60 s:" >&2; cat "$log" >&2; exit 1; }
head -1 "$log"

bench() {
  java -Xmx"$xmx" ${BENCH_JAVA_OPTS:-} -cp "$cp" io.vigil.jira.JiraCollectBench --url "http://127.0.0.1:$port" \
    --concurrency "$concurrency" --page-size "$page" --latency-ms "$latency" --sandbox-pid "$sandbox" "$@"
}
if [ "$warmup" -gt 0 ]; then
  echo "Warming the sandbox up ($warmup whole collection(s), each in a JVM of its own; the first is both JVMs cold):"
  for i in $(seq 1 "$warmup"); do bench --brief; done
  # keep the sandbox's compiled code, not its answers: every query result and rendering it kept is dropped
  echo forget >&3
  for _ in $(seq 1 100); do grep -q '^forgot$' "$log" && break; sleep 0.1; done
  grep -q '^forgot$' "$log" || { echo "the sandbox did not confirm 'forget':" >&2; tail "$log" >&2; exit 1; }
  echo "  (the sandbox then dropped every query result and rendering it kept: only its compiled code stays warm)"
fi
bench --histogram "$histogram" --runs "$runs"

stop_sandbox
trap - EXIT
echo "Sandbox's count (every collection above, the warm-up's included):"
sed -n '/^Requests served/,$p' "$log"
