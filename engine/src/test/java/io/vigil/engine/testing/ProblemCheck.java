package io.vigil.engine.testing;

import io.vigil.core.model.Finding;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.List;

/** Reports every CI with a {@code problem} attribute; the attribute's value is the evidence. */
public final class ProblemCheck implements Check {
  public volatile boolean broken;

  @Override
  public String name() {
    return "problem";
  }

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    if (broken) throw new IllegalStateException("the check is broken");
    return context.inventory().cis().values().stream()
        .filter(ci -> ci.attributes().containsKey("problem"))
        .map(ci -> Finding.builder("PRB-1", name(), Subject.ci(ci)).severity(Severity.MEDIUM)
            .title("problem on " + ci.key()).evidence(List.of(ci.attributes().get("problem"))).build())
        .toList();
  }
}
