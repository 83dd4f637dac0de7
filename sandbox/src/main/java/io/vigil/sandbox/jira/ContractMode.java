package io.vigil.sandbox.jira;

/** How the JSM sandbox holds its own traffic to Atlassian's OpenAPI documents. */
public enum ContractMode {
    /** No checking (benchmarks). */
    OFF,
    /** Check every request and response and record violations, but serve as usual. */
    RECORD,
    /** Check and record; a violation in either direction turns the answer into a 500 naming it. */
    STRICT
}
