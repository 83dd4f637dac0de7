package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.model.Finding;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.ActionType;
import io.vigil.core.spi.Claim;
import io.vigil.jira.internal.ProjectClaim;
import io.vigil.core.spi.PublishAck;
import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.Publisher;
import io.vigil.core.spi.TicketState;
import io.vigil.jira.internal.JiraTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vigil.jira.internal.Adf;
import io.vigil.jira.internal.IssueSearch;
import io.vigil.jira.internal.JiraException;
import io.vigil.jira.internal.Site;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes findings into Jira, safe to repeat: tickets and flags carry a {@code vigil-fp-<fingerprint>} label,
 * looked up with one JQL query per batch before anything is created, so a ticket created before a crash is
 * adopted, not created again; every comment carries a reference derived from the action, and a comment whose
 * reference is already on the issue is not written twice. Thread-safe.
 */
public final class JiraPublisher implements Publisher {
  /** Labels on every compliance ticket and flagged issue. */
  public static final String LABEL = "vigil";
  public static final String FINGERPRINT_LABEL = "vigil-fp-";
  private static final int LABELS_PER_QUERY = 50;
  private static final Logger LOG = LoggerFactory.getLogger(JiraPublisher.class);

  /** Label prefix naming the installation that opened a ticket; tickets of another installation are never adopted. */
  public static final String INSTALLATION_LABEL = "vigil-inst-";
  /** How long a new claim on the compliance project is left to settle before it is read back. */
  static final Duration CLAIM_SETTLE = Duration.ofSeconds(1);
  /**
   * How long a settled claim of this installation is trusted without reading it again, and so how long a takeover
   * waits before the new holder writes (see {@link ProjectClaim}).
   */
  static final Duration CLAIM_RECHECK = Duration.ofSeconds(30);

  private final String name;
  private final Site site;
  private final JiraSettings settings;
  private final String installationId;
  private final ProjectClaim claim;

  /** A publisher that claims nothing (tests that run one installation against a site of their own). */
  public JiraPublisher(String name, Site site) {
    this(name, site, "", CLAIM_SETTLE, java.time.Clock.systemUTC());
  }

  /**
   * @param installationId this installation's id: the compliance project is claimed with it before anything is
   *     written, and tickets carry it; empty to claim nothing
   */
  public JiraPublisher(String name, Site site, String installationId, Duration claimSettle, java.time.Clock clock) {
    this(name, site, installationId, claimSettle, CLAIM_RECHECK, clock);
  }

  /** @param claimRecheck how long a settled claim is trusted without reading it again (zero: read before every batch) */
  public JiraPublisher(String name, Site site, String installationId, Duration claimSettle, Duration claimRecheck,
      java.time.Clock clock) {
    this.name = name;
    this.site = site;
    this.settings = site.settings();
    this.installationId = installationId;
    this.claim = installationId.isEmpty() ? null : new ProjectClaim(site.http(), settings.api(),
        settings.complianceProject(), installationId, claimSettle, clock, claimRecheck);
  }

  @Override
  public Claim claim(boolean takeOver) throws PublishException {
    if (claim == null) return Claim.notNeeded("Jira project " + settings.complianceProject());
    try {
      return takeOver ? claim.takeOver() : claim.current();
    } catch (JiraException e) {
      throw new PublishException("Jira publisher '" + name + "': reading the claim on project "
          + settings.complianceProject() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("Jira publisher '" + name + "': interrupted while claiming project "
          + settings.complianceProject(), e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** Each project's issue security levels, read once per batch. */
  private final Map<String, JsonNode> securityLevels = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public void publish(List<Action> batch, PublishAck ack) throws PublishException {
    securityLevels.clear();
    if (claim != null && !batch.isEmpty()) {
      try {
        claim.ensure();
      } catch (ProjectClaim.ClaimedElsewhereException e) {
        throw new PublishException("Jira publisher '" + name + "': " + e.getMessage(), e);
      } catch (JiraException e) {
        throw new PublishException("Jira publisher '" + name + "': checking the claim on project "
            + settings.complianceProject() + " failed: " + e.getMessage()
            + (e.status() == 403 ? " (claiming needs the Administer Projects permission on it)" : ""), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishException("Jira publisher '" + name + "': interrupted while claiming project "
            + settings.complianceProject(), e);
      }
    }
    Map<String, JsonNode> existing;
    try {
      existing = existingTickets(batch);
    } catch (JiraException e) {
      throw new PublishException("Jira publisher '" + name + "': looking up existing tickets failed: " + e.getMessage(), e);
    }
    for (Action a : batch) {
      try {
        ack.done(a, apply(a, existing));
      } catch (JiraException e) {
        if (e.status() == 404 && a.type() != ActionType.CREATE_TICKET) {
          // the issue was deleted in Jira: nothing left to write to; the next run reads that back and records it
          LOG.warn("Jira publisher '{}': {} {} skipped, the issue is gone: {}", name, a.type().id(), a.target(), e.getMessage());
          ack.done(a, a.target());
          continue;
        }
        throw new PublishException("Jira publisher '" + name + "': " + a.type().id() + " for finding " + a.fingerprint()
            + (a.target().isEmpty() ? "" : " on " + a.target()) + " failed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Reads back Vigil's tickets by their fingerprint labels, with the last status change of each (who, when):
   * a ticket not found is gone; one in a done status whose last status change was not made by Vigil's own
   * account was closed by a person.
   */
  @Override
  public Map<String, TicketState> ticketStates(Map<String, String> ticketsByFingerprint) throws PublishException {
    Map<String, TicketState> states = new HashMap<>();
    try {
      String me = myAccount();
      List<String> fingerprints = List.copyOf(ticketsByFingerprint.keySet());
      for (int i = 0; i < fingerprints.size(); i += LABELS_PER_QUERY) {
        List<String> chunk = fingerprints.subList(i, Math.min(fingerprints.size(), i + LABELS_PER_QUERY));
        String condition = "labels in (" + String.join(", ", chunk.stream().map(fp -> FINGERPRINT_LABEL + fp).toList()) + ")";
        Map<String, JsonNode> found = new HashMap<>();
        new IssueSearch(site.http(), settings.cloud(), 100, 1).read("project = " + IssueSearch.quote(settings.complianceProject())
            + " AND " + condition, List.of("labels", "status"), List.of("changelog"), issue -> found.put(issue.path("key").asText(), issue));
        for (String fp : chunk) {
          String key = ticketsByFingerprint.get(fp);
          JsonNode issue = found.get(key);
          states.put(fp, issue == null ? TicketState.gone(key) : state(key, issue, me));
        }
      }
    } catch (JiraException e) {
      throw new PublishException("Jira publisher '" + name + "': reading back tickets failed: " + e.getMessage(), e);
    }
    return states;
  }

  private static TicketState state(String key, JsonNode issue, String me) {
    boolean done = "done".equals(issue.path("fields").path("status").path("statusCategory").path("key").asText());
    JsonNode last = null;
    Instant lastAt = Instant.MIN;
    for (JsonNode h : issue.path("changelog").path("histories")) {
      Instant at = JiraTime.parse(h.path("created"));
      boolean status = false;
      for (JsonNode item : h.path("items")) status |= "status".equals(item.path("field").asText());
      if (status && at != null && !at.isBefore(lastAt)) {
        last = h;
        lastAt = at;
      }
    }
    if (last == null) return new TicketState(key, true, done, "", null, false);
    JsonNode author = last.path("author");
    String who = author.path("displayName").asText(author.path("emailAddress").asText(""));
    String id = author.path("accountId").asText(author.path("key").asText(""));
    return new TicketState(key, true, done, who, JiraTime.parse(last.path("created")), !id.isEmpty() && id.equals(me));
  }

  private volatile String myAccount;

  private String myAccount() throws JiraException {
    if (myAccount == null) {
      JsonNode me = site.http().get(settings.api() + "/myself");
      myAccount = me.path("accountId").asText(me.path("key").asText(""));
    }
    return myAccount;
  }

  /** The compliance tickets already carrying a fingerprint label of the batch's new tickets, by fingerprint. */
  Map<String, JsonNode> existingTickets(List<Action> batch) throws JiraException {
    List<String> labels = batch.stream().filter(a -> a.type() == ActionType.CREATE_TICKET)
        .map(a -> FINGERPRINT_LABEL + a.fingerprint()).distinct().toList();
    Map<String, JsonNode> found = new HashMap<>();
    for (int i = 0; i < labels.size(); i += LABELS_PER_QUERY) {
      List<String> chunk = labels.subList(i, Math.min(labels.size(), i + LABELS_PER_QUERY));
      String condition = "labels in (" + String.join(", ", chunk) + ")";
      // one query per chunk: the labels select a handful of tickets, no key ranges needed
      new IssueSearch(site.http(), settings.cloud(), 100, 1).read("project = " + IssueSearch.quote(settings.complianceProject())
          + " AND " + condition, List.of("labels", "status", "issuelinks"), issue -> {
            if (!ours(issue)) return; // another installation's ticket: never adopted
            for (JsonNode l : issue.path("fields").path("labels")) {
              String label = l.asText();
              if (label.startsWith(FINGERPRINT_LABEL)) {
                synchronized (found) {
                  found.putIfAbsent(label.substring(FINGERPRINT_LABEL.length()), issue);
                }
              }
            }
          });
    }
    return found;
  }

  /** Whether a ticket is this installation's: it names no installation (older tickets) or names this one. */
  private boolean ours(JsonNode issue) {
    for (JsonNode l : issue.path("fields").path("labels")) {
      String label = l.asText();
      if (label.startsWith(INSTALLATION_LABEL) && !label.equals(INSTALLATION_LABEL + installationId)) return false;
    }
    return true;
  }

  private String apply(Action a, Map<String, JsonNode> existing) throws JiraException {
    Finding f = a.finding();
    return switch (a.type()) {
      case CREATE_TICKET -> {
        JsonNode adopted = existing.get(a.fingerprint());
        // a ticket created just now has no links yet: nothing to read back before linking it
        String key = adopted != null ? adopted.path("key").asText() : create(a);
        JsonNode ticket = adopted != null ? adopted : justCreated(key);
        existing.put(a.fingerprint(), ticket);
        link(key, f, ticket);
        yield key;
      }
      case UPDATE_TICKET -> {
        comment(a.target(), a, false);
        yield a.target();
      }
      case RESOLVE_TICKET, WAIVE_TICKET -> {
        comment(a.target(), a, false);
        transition(a.target(), settings.tickets().resolveTransitions(), true);
        yield a.target();
      }
      case REOPEN_TICKET -> {
        comment(a.target(), a, false);
        transition(a.target(), settings.tickets().reopenTransitions(), false);
        yield a.target();
      }
      case FLAG_ISSUE -> {
        flag(a);
        yield a.target();
      }
      case NOTE_ISSUE -> {
        comment(a.target(), a, true);
        yield a.target();
      }
      case COMMENT_ISSUE, EDIT_COMMENT -> {
        keepComment(a.target(), a);
        yield a.target();
      }
    };
  }

  private String create(Action a) throws JiraException {
    Finding f = a.finding();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("project", Map.of("key", settings.complianceProject()));
    fields.put("issuetype", Map.of("name", settings.tickets().issueType()));
    fields.put("summary", summary(f));
    List<String> paragraphs = new ArrayList<>(List.of(a.text().split("\n\n")));
    if (!settings.tickets().consoleUrl().isEmpty()) {
      paragraphs.add("In Vigil: " + settings.tickets().consoleUrl() + "/console/findings/" + f.fingerprint());
    }
    fields.put("description", settings.cloud() ? Adf.doc(paragraphs) : Adf.wiki(paragraphs));
    List<String> labels = new ArrayList<>(labels(f));
    if (!installationId.isEmpty()) labels.add(INSTALLATION_LABEL + installationId);
    fields.put("labels", labels);
    JsonNode created = site.http().postOnce(settings.api() + "/issue", Map.of("fields", fields));
    String key = created.path("key").asText("");
    if (key.isEmpty()) throw new JiraException("POST " + settings.api() + "/issue answered without an issue key", 0, null);
    return key;
  }

  public static String summary(Finding f) {
    String s = "[" + f.ruleId() + "] " + f.title();
    s = s.replaceAll("[\\r\\n]+", " ");
    return s.length() <= 250 ? s : s.substring(0, 249) + "…";
  }

  public static List<String> labels(Finding f) {
    return List.of(LABEL, "vigil-" + f.check(), FINGERPRINT_LABEL + f.fingerprint());
  }

  /** A ticket as it is right after its creation (its key; no links), as the exactly-once lookup would find it. */
  private static JsonNode justCreated(String key) {
    com.fasterxml.jackson.databind.node.ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    n.put("key", key);
    n.putObject("fields").putArray("issuelinks");
    return n;
  }

  /**
   * Links a ticket to the issues its finding concerns, skipping links it already has; each link made is added to the
   * ticket as given (when it is one {@link #justCreated} built), so the same ticket is never linked twice in a batch.
   */
  private void link(String ticket, Finding f, JsonNode ticketIssue) throws JiraException {
    Set<String> linked = new LinkedHashSet<>();
    for (JsonNode l : ticketIssue.path("fields").path("issuelinks")) {
      linked.add(l.path("inwardIssue").path("key").asText());
      linked.add(l.path("outwardIssue").path("key").asText());
    }
    for (String related : f.relatedIssues().stream().sorted().toList()) {
      if (linked.contains(related) || related.equals(ticket)) continue;
      site.http().postOnce(settings.api() + "/issueLink", Map.of("type", Map.of("name", settings.tickets().linkType()),
          "inwardIssue", Map.of("key", ticket), "outwardIssue", Map.of("key", related)));
      if (ticketIssue.path("fields").path("issuelinks") instanceof com.fasterxml.jackson.databind.node.ArrayNode links) {
        links.addObject().putObject("outwardIssue").put("key", related);
      }
    }
  }

  private void flag(Action a) throws JiraException {
    var flag = a.finding().flag();
    String key = a.target();
    Map<String, Object> body = new LinkedHashMap<>();
    List<Map<String, String>> labelOps = new ArrayList<>();
    if (flag != null && !flag.label().isEmpty()) labelOps.add(Map.of("add", flag.label()));
    labelOps.add(Map.of("add", FINGERPRINT_LABEL + a.fingerprint()));
    body.put("update", Map.of("labels", labelOps));
    if (flag != null && !flag.securityLevel().isEmpty()) {
      body.put("fields", Map.of("security", Map.of("id", securityLevelId(key, flag.securityLevel()))));
    }
    site.http().put(issuePath(key), body);
    if (flag == null || flag.comment()) comment(key, a, true);
  }

  /** The id of a security level by name, from the issue's project ({@code /project/{key}/securitylevel}). */
  private String securityLevelId(String key, String level) throws JiraException {
    String project = key.contains("-") ? key.substring(0, key.lastIndexOf('-')) : key;
    JsonNode levels = securityLevels.get(project);
    if (levels == null) {
      levels = site.http().get(settings.api() + "/project/" + enc(project) + "/securitylevel");
      securityLevels.put(project, levels); // a project's levels rarely change; read them once per batch
    }
    List<String> names = new ArrayList<>();
    for (JsonNode v : levels.path("levels")) {
      if (v.path("name").asText().equalsIgnoreCase(level)) return v.path("id").asText();
      names.add(v.path("name").asText());
    }
    throw new JiraException("issue " + key + " cannot be set to security level '" + level + "'; project " + project
        + " offers " + (names.isEmpty() ? "none (no issue security scheme, or the account lacks Set Issue Security)"
        : String.join(", ", names)), 0, null);
  }

  /**
   * Adds one comment carrying the action's reference, unless a comment with that reference is already there
   * (the action was applied before a crash kept it from being acknowledged). Internal comments go through JSM's
   * request comment API with {@code public: false}, so customers never see them.
   */
  private void comment(String key, Action a, boolean internal) throws JiraException {
    String ref = reference(a);
    JsonNode existing = site.http().get(issuePath(key) + "/comment?maxResults=100&orderBy=-created");
    for (JsonNode c : existing.path("comments")) {
      if (Adf.text(c.path("body")).contains(ref)) return;
    }
    String text = (a.text().isEmpty() ? a.type().id() + ": " + a.finding().title() : a.text()) + "\n— Vigil (" + ref + ")";
    if (internal) {
      site.http().postOnce("/rest/servicedeskapi/request/" + enc(key) + "/comment", Map.of("body", text, "public", false));
    } else {
      List<String> paragraphs = List.of(text.split("\n\n"));
      site.http().postOnce(issuePath(key) + "/comment", Map.of("body", settings.cloud() ? Adf.doc(paragraphs) : Adf.wiki(paragraphs)));
    }
  }

  /**
   * Makes the one internal comment a finding keeps on an issue say the action's text: the comment carrying the
   * finding's marker is left alone when it already says it (the action was applied before a crash kept it from being
   * acknowledged, or another run got there first), edited in place when it says something else, and posted
   * (internal) when there is none. So a finding never has two comments on the issue, whatever is retried.
   */
  private void keepComment(String key, Action a) throws JiraException {
    String marker = commentMarker(a.fingerprint());
    String version = marker + ":" + textHash(a.text());
    String text = a.text() + "\n— Vigil (" + version + ")";
    JsonNode found = null;
    int start = 0;
    while (found == null) {
      JsonNode page = site.http().get(issuePath(key) + "/comment?startAt=" + start + "&maxResults=100&orderBy=created");
      JsonNode comments = page.path("comments");
      for (JsonNode c : comments) {
        if (Adf.text(c.path("body")).contains(marker)) {
          found = c;
          break;
        }
      }
      start += comments.size();
      if (comments.isEmpty() || start >= page.path("total").asInt(0)) break;
    }
    if (found == null) {
      site.http().postOnce("/rest/servicedeskapi/request/" + enc(key) + "/comment", Map.of("body", text, "public", false));
    } else if (!Adf.text(found.path("body")).contains(version)) {
      List<String> paragraphs = List.of(text.split("\n\n"));
      site.http().put(issuePath(key) + "/comment/" + enc(found.path("id").asText()),
          Map.of("body", settings.cloud() ? Adf.doc(paragraphs) : Adf.wiki(paragraphs)));
    }
  }

  private static String textHash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What marks the one comment a finding keeps on an issue: {@code vigil:c:<fingerprint>}, free of wiki markup and
   * unlike the {@code vigil:<hex>} reference of other comments.
   */
  public static String commentMarker(String fingerprint) {
    return "vigil:c:" + fingerprint;
  }

  /** A reference unique to the action (finding, kind and text), stable across retries and lost stores. */
  static String reference(Action a) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((a.fingerprint() + "|" + a.type().id() + "|" + a.text())
          .getBytes(StandardCharsets.UTF_8));
      return "vigil:" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Applies the first of the named transitions the issue offers; none is needed when it already is where they lead. */
  private void transition(String key, List<String> names, boolean toDone) throws JiraException {
    JsonNode offered = site.http().get(issuePath(key) + "/transitions");
    List<String> available = new ArrayList<>();
    for (String wanted : names) {
      for (JsonNode t : offered.path("transitions")) {
        if (t.path("name").asText().equalsIgnoreCase(wanted) || t.path("to").path("name").asText().equalsIgnoreCase(wanted)) {
          site.http().postOnce(issuePath(key) + "/transitions", Map.of("transition", Map.of("id", t.path("id").asText())));
          return;
        }
      }
    }
    offered.path("transitions").forEach(t -> available.add(t.path("name").asText()));
    String category = site.http().get(issuePath(key) + "?fields=status").path("fields").path("status")
        .path("statusCategory").path("key").asText("");
    if (toDone == "done".equals(category)) return; // already resolved (or already open)
    throw new JiraException("issue " + key + " offers none of the transitions " + names + "; it offers " + available
        + " — set tickets." + (toDone ? "resolveTransitions" : "reopenTransitions") + " to one of them", 0, null);
  }

  private String issuePath(String key) {
    return settings.api() + "/issue/" + enc(key);
  }

  static String enc(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8);
  }
}
