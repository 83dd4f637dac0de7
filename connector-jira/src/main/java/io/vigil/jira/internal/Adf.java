package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Atlassian Document Format, the rich-text JSON Jira Cloud's v3 API speaks: plain text out of it, and
 * documents built from paragraphs of plain text. Text is only ever put into text nodes, so nothing a
 * person typed (a {@code <script>}, wiki markup) becomes markup.
 */
public final class Adf {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Adf() {}

  /** The text of an ADF document (or a plain string, as Data Center sends it), paragraphs on their own lines. */
  public static String text(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) return "";
    if (node.isTextual()) return node.asText();
    StringBuilder out = new StringBuilder();
    append(node, out);
    return out.toString().strip();
  }

  private static void append(JsonNode node, StringBuilder out) {
    String type = node.path("type").asText();
    if ("text".equals(type)) out.append(node.path("text").asText());
    if ("hardBreak".equals(type)) out.append('\n');
    if ("mention".equals(type)) out.append(node.path("attrs").path("text").asText());
    node.path("content").forEach(child -> append(child, out));
    if (List.of("paragraph", "heading", "listItem", "codeBlock", "blockquote").contains(type)) out.append('\n');
  }

  /** A document of one paragraph per block; a block's lines are kept with hard breaks. */
  public static ObjectNode doc(List<String> paragraphs) {
    ObjectNode doc = JSON.createObjectNode().put("type", "doc").put("version", 1);
    ArrayNode content = doc.putArray("content");
    for (String p : paragraphs) {
      ObjectNode para = content.addObject().put("type", "paragraph");
      ArrayNode inline = para.putArray("content");
      String[] lines = p.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (i > 0) inline.addObject().put("type", "hardBreak");
        if (!lines[i].isEmpty()) inline.addObject().put("type", "text").put("text", lines[i]);
      }
    }
    return doc;
  }

  /** Data Center's wiki text for the same paragraphs, with wiki markup characters escaped. */
  public static String wiki(List<String> paragraphs) {
    StringBuilder out = new StringBuilder();
    for (String p : paragraphs) {
      if (out.length() > 0) out.append("\n\n");
      out.append(p.replaceAll("([\\\\{}\\[\\]*_+\\-^~|!#])", "\\\\$1"));
    }
    return out.toString();
  }
}
