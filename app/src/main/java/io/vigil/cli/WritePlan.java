package io.vigil.cli;

import io.vigil.core.model.Finding;
import io.vigil.core.model.IssueFlag;
import io.vigil.core.spi.Action;
import io.vigil.engine.config.VigilConfig;
import io.vigil.jira.JiraPublisher;
import io.vigil.jira.config.JiraSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one planned action would write into Jira, field by field, as the Jira publisher writes it: for a dry run,
 * so a person sees every word before anything is written. Only Jira is written to; Keycloak is only read.
 *
 * @param target the issue written to, or "new compliance ticket"
 * @param fields what would be set, in order: project, issue type, summary, labels, security level, links,
 *     transition — each a name and its value
 * @param textKind what the text becomes: {@code description}, {@code comment} or {@code internal comment}; empty
 *     when nothing is written as text
 * @param text every word of it
 */
record WritePlan(String type, String target, String title, Map<String, String> fields, String textKind, String text) {

  /** The first enabled Jira connector's settings (they decide project, issue type, links and transitions), or null. */
  static JiraSettings jira(VigilConfig config) {
    return config.connectors().values().stream().filter(c -> c.enabled() && c.settings() instanceof JiraSettings)
        .map(c -> (JiraSettings) c.settings()).findFirst().orElse(null);
  }

  static WritePlan of(Action a, JiraSettings jira) {
    Finding f = a.finding();
    Map<String, String> fields = new LinkedHashMap<>();
    String textKind = "comment";
    String text = a.text();
    switch (a.type()) {
      case CREATE_TICKET -> {
        if (jira != null) {
          fields.put("project", jira.complianceProject());
          fields.put("issue type", jira.tickets().issueType());
        }
        fields.put("summary", JiraPublisher.summary(f));
        fields.put("labels", String.join(", ", JiraPublisher.labels(f)));
        if (!f.relatedIssues().isEmpty()) {
          fields.put("links", (jira == null ? "Relates" : jira.tickets().linkType()) + " → "
              + String.join(", ", f.relatedIssues().stream().sorted().toList()));
        }
        textKind = "description";
        if (jira != null && !jira.tickets().consoleUrl().isEmpty()) {
          text = text + "\n\nIn Vigil: " + jira.tickets().consoleUrl() + "/console/findings/" + f.fingerprint();
        }
      }
      case RESOLVE_TICKET, WAIVE_TICKET -> fields.put("transition", "the first available of "
          + String.join(", ", jira == null ? List.of("Resolve", "Done", "Close") : jira.tickets().resolveTransitions()));
      case REOPEN_TICKET -> fields.put("transition", "the first available of "
          + String.join(", ", jira == null ? List.of("Reopen", "Back to open") : jira.tickets().reopenTransitions()));
      case FLAG_ISSUE -> {
        IssueFlag flag = f.flag();
        List<String> labels = new ArrayList<>();
        if (flag != null && !flag.label().isEmpty()) labels.add(flag.label());
        labels.add(JiraPublisher.FINGERPRINT_LABEL + a.fingerprint());
        fields.put("labels", String.join(", ", labels));
        if (flag != null && !flag.securityLevel().isEmpty()) fields.put("security level", flag.securityLevel());
        boolean comment = flag == null || flag.comment();
        textKind = comment ? "internal comment" : "";
        text = comment ? text : "";
      }
      case NOTE_ISSUE -> textKind = "internal comment";
      case COMMENT_ISSUE -> textKind = "internal comment (kept up to date: one per request)";
      case EDIT_COMMENT -> textKind = "internal comment, replacing the text of the request's Vigil comment";
      case UPDATE_TICKET -> textKind = "comment";
    }
    return new WritePlan(a.type().id(), ReportPrinter.target(a), f.title(), fields, textKind, text);
  }
}
