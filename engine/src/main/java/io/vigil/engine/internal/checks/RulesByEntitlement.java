package io.vigil.engine.internal.checks;

import io.vigil.core.model.Entitlement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * For checks that make one pass over every grant for all their rules: which rules (by their index in the policy's
 * order, ascending, each once) name each entitlement, so a grant's entitlement is looked up once rather than once per
 * rule.
 */
final class RulesByEntitlement {
  private RulesByEntitlement() {}

  static <R> Map<Entitlement, int[]> index(List<R> rules, Function<R, List<String>> entitlements) {
    Map<Entitlement, int[]> out = new HashMap<>();
    for (int r = 0; r < rules.size(); r++) {
      int rule = r;
      for (String ref : entitlements.apply(rules.get(r))) {
        out.merge(Entitlement.parse(ref), new int[] {r}, (a, b) -> a[a.length - 1] == rule ? a : append(a, rule));
      }
    }
    return out;
  }

  private static int[] append(int[] a, int r) {
    int[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = r;
    return b;
  }
}
