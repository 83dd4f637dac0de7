package io.vigil.sandbox.jira;

import java.util.List;

/**
 * The outcome of checking one request or response against Atlassian's OpenAPI documents.
 *
 * @param exchange what was checked, e.g. {@code request POST /rest/api/3/search/jql} (never carries credentials)
 * @param contract which document judged it ({@code jira-platform-v3}, {@code jsm-servicedesk}, {@code jsm-assets}),
 *                 or {@code none} when no document covers the path
 * @param errors   the validator's error messages with their keys, empty when the exchange conforms
 */
public record ContractReport(String exchange, String contract, List<String> errors) {
    public ContractReport {
        errors = List.copyOf(errors);
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** Throws {@link ContractViolation} naming the exchange and every error unless the exchange conforms. */
    public ContractReport requireValid() {
        if (!valid()) {
            throw new ContractViolation(this);
        }
        return this;
    }

    @Override
    public String toString() {
        return valid() ? exchange + " conforms to " + contract
                : exchange + " violates " + contract + ": " + String.join("; ", errors);
    }
}
