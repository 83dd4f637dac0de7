#!/usr/bin/env sh
# Benchmark: Vigil's inverted access resolution vs one request per user, against a real Keycloak seeded
# with 10,000 users, 300 roles and 200 groups. Prints calls, wall time and CPU per call (the bench JVM and
# Keycloak's processes; steadier than wall time on a shared machine); takes a few minutes.
# Keycloak's log: connector-keycloak/target/keycloak-it.log; output: connector-keycloak/target/failsafe-reports/io.vigil.keycloak.KeycloakAccessBench-output.txt
set -e
cd "$(dirname "$0")/.."
mvn -B -q -pl connector-keycloak -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=KeycloakAccessBench -Dfailsafe.failIfNoSpecifiedTests=false "$@" || status=$?
cat connector-keycloak/target/failsafe-reports/io.vigil.keycloak.KeycloakAccessBench-output.txt 2>/dev/null | grep -v '^\[' || true
exit ${status:-0}
