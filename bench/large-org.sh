#!/usr/bin/env bash
# Benchmark: the engine at the size of a large organisation. A synthetic organisation generated in memory from a
# seed (default 100,000 identities with about 1,000,000 grants, 100,000 issues, 20,000 CIs) and a policy of 50 rules
# across every built-in check (engine/src/test/resources/bench/large-org-policy.yaml). Prints the checks' evaluation
# time (wall and CPU) at each scale and how it grows, then three runs of the real RunPipeline (first, unchanged,
# 1 % changed) on an H2 file and on an embedded PostgreSQL: each phase's wall time, the rows written, the store's
# size and the peak heap. The whole run gets -Xmx1g. Printed, not asserted.
#
# usage: bench/large-org.sh [--scales 10000,30000,100000] [--store-size N] [--stores h2,postgres] [--seed 42]
#                           [--xmx 1g] [--no-build]
# --store-size is the identities of the store runs (default: the largest scale); --stores "" skips them.
# Builds engine and what it needs with test-compile only (nothing is installed into ~/.m2): the test classpath comes
# from the reactor (connector-core/target/classes and test-classes). Extra JVM options: BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

xmx=1g build=1 args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scales|--store-size|--stores|--seed) args+=("$1" "$2"); shift 2 ;;
    --xmx) xmx=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done

cpfile=engine/target/bench-classpath.txt
if [ "$build" = 1 ]; then
  echo "building engine and what it needs (test-compile, no install)..." >&2
  mvn -B -q -pl engine -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
[ -f "$cpfile" ] || { echo "no $cpfile: run once without --no-build" >&2; exit 1; }
cp="engine/target/test-classes:engine/target/classes:$(cat "$cpfile")"

exec java -Xmx"$xmx" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} -cp "$cp" \
  io.vigil.engine.bench.LargeOrgBench "${args[@]}"
