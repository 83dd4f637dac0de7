package io.vigil.jira.internal;

import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compact fingerprint of everything a rule can read of a CI (name, type, owner, classification, dependencies and
 * every attribute), kept per CI in the Jira source's cursor so an incremental run knows which CIs changed since the
 * last one. Eight characters (48 bits of SHA-256): a change that keeps the digest has odds of 1 in 2^48.
 */
public final class CiDigest {
  private CiDigest() {}

  public static String of(ConfigurationItem ci) {
    StringBuilder b = new StringBuilder();
    b.append(ci.name()).append('\0').append(ci.type()).append('\0').append(ci.owner()).append('\0');
    for (Dimension d : Dimension.values()) b.append(ci.classification().get(d).orElse("")).append('\0');
    ci.dependsOn().stream().sorted().forEach(k -> b.append(k).append('\1'));
    b.append('\0');
    new TreeMap<>(ci.attributes()).forEach((k, v) -> b.append(k).append('\1').append(v).append('\2'));
    return hash(b.toString());
  }

  /** Eight characters of the text's SHA-256. */
  static String hash(String text) {
    byte[] hash = SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 6));
  }

  /** One digester per thread (digest() resets it): looking SHA-256 up among the providers per CI cost more than hashing. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  });

  /**
   * Keys of the CIs whose digest differs from the last run's, or that the last run did not read (a CI that has just
   * entered the AQL selection may be referenced by issues that could not resolve it before), in {@code now}'s order.
   * CIs gone since are not listed: nothing can be looked up for them.
   */
  public static List<String> changed(Map<String, String> before, Map<String, String> now) {
    return now.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey()))).map(Map.Entry::getKey).toList();
  }
}
