package io.vigil.core.policy;

import io.vigil.core.model.Severity;
import io.vigil.core.settings.Optional;
import java.util.List;

/** Nobody may hold more than {@code max} of the entitlements, by any path. */
public record SodRule(String id, @Optional String title, @Optional Severity severity, @Optional String source,
    @Optional String remediation, List<String> entitlements, int max) implements Rule {}
