package io.vigil.engine.internal.run;

import io.vigil.core.model.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words of the one internal comment Vigil keeps on a pending access request (what-if): what granting it would
 * break, which entitlements conflict, and every path by which the person already holds the other side; or that the
 * request names no valid entitlement; or, once the request changed, that it no longer breaks anything. Written from
 * the finding alone (its evidence is grouped by rule), with no run id or time, so the same request state always gives
 * the same text and a repeated evaluation writes nothing new. Pure and thread-safe.
 */
public final class WhatIfWording {
  private static final String REQUEST = "request: ";
  private static final String BREAKS = "would be broken: ";

  private WhatIfWording() {}

  /** The comment for a request that would break rules (or names no valid entitlement). */
  public static String comment(Finding f) {
    List<String> p = new ArrayList<>();
    Map<String, List<String>> byRule = new LinkedHashMap<>();
    List<String> request = new ArrayList<>();
    for (String line : f.evidence()) {
      if (line.startsWith(REQUEST)) {
        request.add(line.substring(REQUEST.length()));
        continue;
      }
      int colon = line.indexOf(": ");
      String rule = colon < 0 ? "" : line.substring(0, colon);
      byRule.computeIfAbsent(rule, k -> new ArrayList<>()).add(colon < 0 ? line : line.substring(colon + 2));
    }
    boolean breaks = !byRule.isEmpty();
    p.add(breaks ? "Vigil what-if, before anyone approves: granting this request would break the security policy."
        : "Vigil what-if: this access request does not name a valid entitlement, so Vigil cannot judge it before approval.");
    request.stream().filter(l -> l.startsWith("for ")).forEach(l -> p.add("Request " + l + "."));
    request.stream().filter(l -> !l.startsWith("for ")).forEach(l -> p.add(l + "."));
    byRule.forEach((rule, lines) -> {
      StringBuilder b = new StringBuilder();
      lines.stream().filter(l -> l.startsWith(BREAKS))
          .forEach(l -> b.append(rule).append(" would be broken: ").append(l.substring(BREAKS.length())).append('\n'));
      lines.stream().filter(l -> l.startsWith("requested "))
          .forEach(l -> b.append("- ").append(l).append('\n'));
      lines.stream().filter(l -> !l.startsWith(BREAKS) && !l.startsWith("requested "))
          .forEach(l -> b.append("- ").append(l).append('\n'));
      p.add(b.toString().stripTrailing());
    });
    p.add(breaks
        ? "Decline the request, or change it to an entitlement (or a person) that breaks no rule. Vigil updates this"
            + " comment while the request waits for approval."
        : "Please change the request to a valid entitlement: realm:ROLE, client:CLIENT_ID/ROLE or group:/path/to/group."
            + " Vigil updates this comment while the request waits for approval.");
    return String.join("\n\n", p);
  }

  /** The comment once the request, as it now stands, breaks nothing any more. */
  public static String noLongerBreaks(Finding before, String requestLine) {
    List<String> rules = before.evidence().stream().filter(l -> !l.startsWith(REQUEST) && l.contains(": " + BREAKS))
        .map(l -> l.substring(0, l.indexOf(": "))).distinct().toList();
    String was = rules.isEmpty() ? "named no valid entitlement" : "would have broken " + String.join(", ", rules);
    List<String> p = new ArrayList<>();
    p.add("Vigil what-if: granting this request as it now stands would no longer break the security policy (before it"
        + " changed, it " + was + ").");
    if (requestLine != null && requestLine.startsWith(REQUEST)) p.add("Request " + requestLine.substring(REQUEST.length()) + ".");
    return String.join("\n\n", p);
  }

  /** The comment once a waiver covers the request's finding: the approver may go ahead on the waiver's terms. */
  public static String waived(Finding f, io.vigil.core.model.Waiver w) {
    return comment(f) + "\n\nWaived by " + w.approver() + " until " + w.expiresAt() + ": " + w.reason()
        + ". Vigil says no more about this request while the waiver lasts.";
  }
}
