#!/usr/bin/env bash
# Benchmark: event latency at 10,000 users (issue #14). Vigil as `vigil serve` wires it, over the JSM sandbox (the demo
# organisation, 20 ms added per request) and a real Keycloak 26.7.3 (the demo realm plus --users generated users,
# started from target/keycloak-dist like the connector's tests). Jira: a new access request that would break SOD-1,
# until Vigil's what-if comment is on it, through the signed webhook and through the poll. Keycloak: a grant of
# realm:change-approver without a request, until the access-governance ticket exists, Keycloak polled every
# --keycloak-poll-seconds. One event at a time, with the API calls Vigil spent per event. Printed, not asserted.
#
# usage: bench/event-latency.sh [--events 50] [--poll-events 10] [--poll-seconds 5] [--keycloak-events 50]
#                               [--keycloak-poll-seconds 5] [--users 10000] [--latency-ms 20] [--debounce-ms 100]
#                               [--no-build]
# Extra JVM options: BENCH_JAVA_OPTS (default -Dkeycloak.startTimeout=PT20M). Keycloak's log: target/keycloak-bench.log.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1 args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --events|--poll-events|--poll-seconds|--latency-ms|--debounce-ms|--keycloak-events|--keycloak-poll-seconds|--users)
      args+=("$1" "$2"); shift 2 ;;
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

[ -x target/keycloak-dist/keycloak-26.7.3/bin/kc.sh ] || {
  echo "no Keycloak in target/keycloak-dist: run 'mvn -pl app -am verify -DskipTests' once (it unpacks it there)" >&2; exit 1; }
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dkeycloak.home=target/keycloak-dist/keycloak-26.7.3 \
  -Dkeycloak.log=target/keycloak-bench.log ${BENCH_JAVA_OPTS:--Dkeycloak.startTimeout=PT20M} -cp "$cp" \
  io.vigil.bench.EventLatencyBench "${args[@]}"
