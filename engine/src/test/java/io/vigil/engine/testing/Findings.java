package io.vigil.engine.testing;

import io.vigil.core.model.Finding;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.model.SubjectKind;
import java.util.List;

/** Small findings for tests. */
public final class Findings {
  private Findings() {}

  public static Finding about(String ruleId, String check, SubjectKind kind, String id, String... evidence) {
    return Finding.builder(ruleId, check, new Subject(kind, id, id)).severity(Severity.HIGH)
        .title(ruleId + " violated by " + id).evidence(List.of(evidence)).build();
  }
}
