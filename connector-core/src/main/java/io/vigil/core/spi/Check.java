package io.vigil.core.spi;

import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.Finding;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import java.util.List;
import java.util.Set;
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

  /**
   * The parts of the inventory this check reads to decide its findings. When one of them is missing or
   * incomplete in a run, the check is held back: none of its findings is opened, refreshed or resolved. The
   * default is every part, the safe choice for a check that does not say.
   */
  default Set<InventoryPart> reads() {
    return InventoryPart.all();
  }

  /**
   * The parts this check reads under this policy; the default is {@link #reads()}. A check whose rules read
   * different parts (a baseline on access holders, a custom rule on CIs) narrows it to what the policy uses.
   */
  default Set<InventoryPart> reads(Policy policy) {
    return reads();
  }
}
