package io.vigil.core.policy;

import io.vigil.core.model.Dimension;
import io.vigil.core.model.Severity;
import io.vigil.core.yaml.Optional;
import io.vigil.core.yaml.Problem;
import io.vigil.core.yaml.Problems;
import io.vigil.core.yaml.ProblemsException;
import io.vigil.core.yaml.Validated;
import io.vigil.core.yaml.YamlBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates a policy file as a whole: either every rule is valid and a {@link Policy} comes
 * back, or {@link ProblemsException} lists every problem with file, line and column. An invalid policy
 * is never partly applied; callers keep the last valid one in force.
 */
public final class PolicyLoader {
  private PolicyLoader() {}

  record Root(@Optional ClassificationSection classification) {}

  record ClassificationSection(@Optional String id, @Optional String title, @Optional Severity severity,
      @Optional String source, @Optional String remediation, List<String> levels, Map<String, String> attributes,
      List<String> requiredFor) implements Validated {
    @Override
    public List<String> problems() {
      List<String> out = new ArrayList<>();
      if (levels.size() < 2) out.add("classification.levels needs at least two levels, lowest first");
      if (levels.stream().map(String::toLowerCase).distinct().count() != levels.size()) {
        out.add("classification.levels names a level twice: " + levels);
      }
      for (String d : attributes.keySet()) {
        try {
          Dimension.parse(d);
        } catch (IllegalArgumentException e) {
          out.add("classification.attributes: " + e.getMessage());
        }
      }
      return out;
    }
  }

  public static Policy load(Path file) throws ProblemsException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ProblemsException(List.of(new Problem(file.toString(), 0, 0,
          "cannot read the policy file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
    }
    return parse(file.toString(), text);
  }

  public static Policy parse(String fileName, String text) throws ProblemsException {
    Problems problems = new Problems(fileName);
    Node node = YamlBinder.parse(text, problems);
    problems.throwIfAny();
    Root root = new YamlBinder(problems, name -> null).bind(node, Root.class);
    problems.throwIfAny();
    Map<String, Requirement> requirements = new LinkedHashMap<>();
    ClassificationScheme scheme = null;
    if (root.classification() != null) {
      ClassificationSection c = root.classification();
      Requirement r = new Requirement(c.id() == null ? "CLS-1" : c.id(),
          c.title() == null ? "Configuration items are classified with valid levels, at least as high as what depends on them" : c.title(),
          c.severity() == null ? Severity.HIGH : c.severity(), c.source() == null ? "" : c.source(),
          c.remediation() == null ? "Classify the CI in the CMDB (confidentiality, integrity, availability) with one of the policy's levels." : c.remediation());
      requirements.put(r.id(), r);
      Map<Dimension, String> attributes = new EnumMap<>(Dimension.class);
      for (Dimension d : Dimension.values()) attributes.put(d, capitalised(d.id()));
      c.attributes().forEach((k, v) -> attributes.put(Dimension.parse(k), v));
      scheme = new ClassificationScheme(r, c.levels(), attributes, c.requiredFor());
    }
    return new Policy(version(text), requirements, scheme, Set.of(), Set.of(), Set.of());
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The policy version: the first 12 hex characters of the SHA-256 of the file's text. */
  public static String version(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
