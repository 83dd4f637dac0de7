package io.vigil.core.spi;

/**
 * Which Vigil installation writes into a publisher's system of record. Two installations (two stores) writing into
 * one system would each open their own ticket for every finding, so a publisher that can tell claims its system
 * for one installation and refuses to write where another holds the claim.
 *
 * @param system what is claimed, for a person (e.g. {@code Jira project SEC at https://acme.atlassian.net})
 * @param holder the installation holding it; empty when nobody does
 * @param since when the holder claimed it (ISO-8601); empty when nobody holds it
 * @param ours whether the holder is this installation
 */
public record Claim(String system, String holder, String since, boolean ours) {
  public Claim {
    system = system == null ? "" : system;
    holder = holder == null ? "" : holder;
    since = since == null ? "" : since;
  }

  /** The answer of a publisher whose system needs no claim. */
  public static Claim notNeeded(String system) {
    return new Claim(system, "", "", true);
  }
}
