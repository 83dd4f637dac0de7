package io.vigil.engine.internal.checks;

import io.vigil.core.model.Finding;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.List;

/**
 * A check whose evaluation cuts into independent pieces over disjoint parts of the inventory, so a run can spread
 * one large check over every evaluating thread instead of waiting for it on one. The findings do not depend on the
 * cut: {@link Division#findings()} merges the pieces in a fixed order, and {@link #evaluate} is the same division
 * in one piece.
 */
public interface DivisibleCheck extends Check {

  /**
   * The evaluation cut into at most {@code pieces} pieces (fewer for a small inventory; at least one). Its pieces
   * may then run on any threads, at the same time and in any order, each once.
   */
  Division divide(EvaluationContext context, int pieces);

  /** Evaluates in one piece, on the calling thread: what the pieces of any division come to. */
  @Override
  default List<Finding> evaluate(EvaluationContext context) {
    Division division = divide(context, 1);
    division.pieces().forEach(Runnable::run);
    return division.findings();
  }

  /** A check's evaluation in pieces. */
  interface Division {
    /** The pieces; each keeps what it found to itself. */
    List<Runnable> pieces();

    /**
     * After every piece ran: the findings, in the order the check gives them whatever the cut. A failure the
     * pieces met is thrown here, the first in that same order, as the undivided evaluation would have thrown it.
     */
    List<Finding> findings();
  }
}
