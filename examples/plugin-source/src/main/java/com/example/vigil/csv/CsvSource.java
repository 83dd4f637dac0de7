package com.example.vigil.csv;

import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.ConnectionStatus.State;
import io.vigil.core.spi.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads configuration items from a CSV file (RFC 4180: comma-separated, double quotes around fields that hold
 * commas, quotes or line breaks, a header line naming the columns). Stateless between calls and thread-safe.
 *
 * <p>The cursor is a hash of the file: an incremental read of an unchanged file delivers nothing (and leaves the
 * CIs' findings as they are); a changed file is read in full. One read of the file counts as one API call.
 */
public final class CsvSource implements Source {
  private static final List<String> KNOWN = List.of("key", "type", "name", "owner", "confidentiality", "integrity",
      "availability", "dependsOn");

  private final String name;
  private final Path file;

  public CsvSource(String name, Path file) {
    this.name = name;
    this.file = file;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<SubjectKind> provides() {
    return EnumSet.of(SubjectKind.CI);
  }

  @Override
  public ConnectionStatus check() {
    if (!Files.exists(file)) {
      return ConnectionStatus.failed(State.UNREACHABLE, "the CSV file " + file + " does not exist; check `file:` in the "
          + name + " connector (relative paths start at the configuration file's folder)");
    }
    try {
      List<String> header = Csv.parse(Files.readString(file, StandardCharsets.UTF_8)).stream().findFirst().orElse(List.of());
      if (!header.contains("key")) {
        return ConnectionStatus.failed(State.ERROR, "the CSV file " + file + " has no `key` column in its first line");
      }
      return ConnectionStatus.ok("reading CIs from " + file, List.of());
    } catch (IOException | RuntimeException e) {
      return ConnectionStatus.failed(State.ERROR, "the CSV file " + file + " cannot be read: " + e.getMessage());
    }
  }

  @Override
  public CollectResult collect(CollectRequest request, InventorySink sink) throws CollectException {
    try {
      byte[] content = Files.readAllBytes(file);
      String hash = sha256(content);
      if (!request.full() && hash.equals(request.cursor())) return new CollectResult(hash, 0, 1, List.of());
      List<List<String>> rows = Csv.parse(new String(content, StandardCharsets.UTF_8));
      if (rows.isEmpty() || !rows.get(0).contains("key")) {
        throw new CollectException("CSV source '" + name + "': " + file + " has no `key` column in its first line");
      }
      List<String> header = rows.get(0);
      long items = 0;
      for (int i = 1; i < rows.size(); i++) {
        stopIfInterrupted();
        ConfigurationItem ci = ci(header, rows.get(i), i + 1);
        if (ci != null) {
          sink.addCi(ci);
          items++;
        }
      }
      stopIfInterrupted(); // a read interrupted after its last row is still not a completed read
      sink.complete(SubjectKind.CI);
      return new CollectResult(hash, items, 1, List.of());
    } catch (IOException e) {
      throw new CollectException("CSV source '" + name + "': cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CollectException("CSV source '" + name + "' stopped reading " + file + ": " + e, e);
    }
  }

  private void stopIfInterrupted() throws CollectException {
    if (Thread.currentThread().isInterrupted()) { // isInterrupted keeps the flag set for the caller
      throw new CollectException("CSV source '" + name + "': the read of " + file + " was interrupted");
    }
  }

  private ConfigurationItem ci(List<String> header, List<String> row, int line) throws CollectException {
    if (row.size() == 1 && row.get(0).isBlank()) return null; // an empty line
    if (row.size() != header.size()) {
      throw new CollectException("CSV source '" + name + "': " + file + " line " + line + " has " + row.size()
          + " fields, the header has " + header.size());
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int c = 0; c < header.size(); c++) values.put(header.get(c), row.get(c).trim());
    String key = values.get("key");
    if (key.isEmpty()) throw new CollectException("CSV source '" + name + "': " + file + " line " + line + " has no key");
    Map<String, String> attributes = new LinkedHashMap<>(values);
    KNOWN.forEach(attributes::remove);
    String dependsOn = values.getOrDefault("dependsOn", "");
    return ConfigurationItem.builder(key).name(blankToNull(values.get("name"))).type(values.get("type"))
        .owner(values.get("owner"))
        .classification(Classification.of(blankToNull(values.get("confidentiality")), blankToNull(values.get("integrity")),
            blankToNull(values.get("availability"))))
        .dependsOn(dependsOn.isEmpty() ? List.of() : Arrays.stream(dependsOn.split(";")).map(String::trim).toList())
        .attributes(attributes).build();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String sha256(byte[] content) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** A minimal RFC 4180 reader. */
  static final class Csv {
    private Csv() {}

    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          row.add(field.toString());
          field.setLength(0);
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
          row.add(field.toString());
          field.setLength(0);
          rows.add(row);
          row = new ArrayList<>();
        } else {
          field.append(c);
        }
      }
      if (quoted) throw new IllegalArgumentException("a quoted field is not closed before the end of the file");
      if (field.length() > 0 || !row.isEmpty()) {
        row.add(field.toString());
        rows.add(row);
      }
      return rows;
    }
  }
}
