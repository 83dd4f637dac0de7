package io.vigil.engine.store;

import java.time.Instant;

/**
 * A person's statement that a manual requirement is met, with evidence: a link, or an uploaded file's SHA-256.
 *
 * @param evidenceUrl a link to the evidence; empty when a file was given
 * @param evidenceSha256 the SHA-256 (hex) of the evidence file; empty when a link was given
 * @param evidenceName the evidence file's name; empty when a link was given
 * @param expiresAt when it stops counting: attested at plus the requirement's {@code attestEvery}
 */
public record Attestation(String id, String requirementId, String evidenceUrl, String evidenceSha256,
    String evidenceName, String note, String attestedBy, Instant attestedAt, Instant expiresAt) {
  public Attestation {
    evidenceUrl = evidenceUrl == null ? "" : evidenceUrl;
    evidenceSha256 = evidenceSha256 == null ? "" : evidenceSha256;
    evidenceName = evidenceName == null ? "" : evidenceName;
    note = note == null ? "" : note;
  }

  /** Whether it counts at {@code now}. */
  public boolean currentAt(Instant now) {
    return expiresAt.isAfter(now);
  }
}
