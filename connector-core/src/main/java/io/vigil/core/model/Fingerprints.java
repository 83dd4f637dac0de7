package io.vigil.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable finding fingerprints. A fingerprint depends on the rule id and the subject's kind and id
 * only: never on a run, a time, the order of evaluation or anything a person can edit (such as a
 * summary), so the same violation has the same fingerprint in every run and on every node.
 */
public final class Fingerprints {

  private Fingerprints() {}

  /** 20 hex characters (80 bits) of SHA-256 over {@code ruleId|kind:id}. */
  public static String of(String ruleId, Subject subject) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] hash = sha.digest((ruleId + "|" + subject.ref()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
