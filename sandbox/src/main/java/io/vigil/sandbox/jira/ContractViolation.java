package io.vigil.sandbox.jira;

/** A request or response that Atlassian's OpenAPI documents reject; the message names the exchange and the errors. */
public final class ContractViolation extends RuntimeException {
    private final transient ContractReport report;

    public ContractViolation(ContractReport report) {
        super(report.toString());
        this.report = report;
    }

    public ContractReport report() {
        return report;
    }
}
