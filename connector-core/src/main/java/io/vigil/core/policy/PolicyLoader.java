package io.vigil.core.policy;

import io.vigil.core.yaml.Problems;
import io.vigil.core.yaml.ProblemsException;
import io.vigil.core.yaml.YamlBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a policy file as a whole: either every rule is valid and a {@link Policy} comes
 * back, or {@link ProblemsException} lists every problem with file, line and column.
 *
 * <p>Foundation version: checks the file is YAML and versions it; the policy issue binds the sections.
 */
public final class PolicyLoader {
  private PolicyLoader() {}

  public static Policy load(Path file) throws ProblemsException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ProblemsException(java.util.List.of(
          new io.vigil.core.yaml.Problem(file.toString(), 0, 0, "cannot read the policy file: " + e.getMessage())));
    }
    return parse(file.toString(), text);
  }

  public static Policy parse(String fileName, String text) throws ProblemsException {
    Problems problems = new Problems(fileName);
    YamlBinder.parse(text, problems);
    problems.throwIfAny();
    return new Policy(version(text), Map.of(), Set.of(), Set.of(), Set.of());
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
