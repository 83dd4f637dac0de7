package io.vigil.core.spi;

import io.vigil.core.model.Finding;
import io.vigil.core.policy.Requirement;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Evaluates one family of security requirements over the inventory. Built-in checks live in
 * connector-core; plugins add more with {@code @Extension}. Implementations are stateless and
 * thread-safe; they must not contact any system.
 */
public interface Check extends ExtensionPoint {
  /** The check's name, e.g. {@code classification}; reported as a finding's {@code check}. */
  String name();

  /**
   * The findings for the current inventory. Deterministic: the same inventory, policy and instant give
   * the same findings. A finding's fingerprint must not depend on anything but its rule and subject.
   */
  List<Finding> evaluate(EvaluationContext context);

  /**
   * The security requirements this check brings itself (title, severity, source, remediation), for the rule
   * ids it reports that the policy file does not define: a plugin's check is then as complete on a ticket and
   * in the register as a built-in one. A requirement of the same id in the policy wins. The default brings
   * none: every rule the check reports comes from the policy. Constant for an instance; never null.
   */
  default List<Requirement> requirements() {
    return List.of();
  }
}
