package io.vigil.core.inventory;

import io.vigil.core.model.SubjectKind;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A part of the inventory that a source provides and a check reads. When a part is missing or incomplete in a
 * run (its source failed, was cancelled, was not selected, or said it read the part only partly), every check
 * that reads it is held back: its findings stay exactly as they were.
 */
public enum InventoryPart {
  /** Service desk issues: kind, request type, people, summary, labels, status. */
  ISSUES,
  /** The approvals of issues and who decided them. */
  APPROVALS,
  /** Which CIs an issue affects (the issue ↔ CI links). */
  AFFECTED_CIS,
  /** Configuration items with their classification, owner and references. */
  CIS,
  /** People and service accounts with their attributes. */
  IDENTITIES,
  /**
   * Who holds which entitlement, by which path; and, from the same resolution, what giving an entitlement would give
   * and which entitlements exist.
   */
  GRANTS,
  /** Which credentials (second factors) identities have. */
  CREDENTIALS,
  /** Sign-in activity (last seen). */
  ACTIVITY,
  /** Who granted or revoked which entitlement to whom, and when (the identity provider's admin events). */
  GRANT_EVENTS;

  /** The lower-case id used in reports, e.g. {@code affected-cis}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Every part. */
  public static Set<InventoryPart> all() {
    return EnumSet.allOf(InventoryPart.class);
  }

  /** The parts that describe subjects of these kinds: what a source providing those kinds is taken to provide. */
  public static Set<InventoryPart> of(Set<SubjectKind> kinds) {
    Set<InventoryPart> parts = EnumSet.noneOf(InventoryPart.class);
    for (SubjectKind k : kinds) {
      switch (k) {
        case CI -> parts.add(CIS);
        case ISSUE -> parts.addAll(EnumSet.of(ISSUES, APPROVALS, AFFECTED_CIS));
        case IDENTITY -> parts.addAll(EnumSet.of(IDENTITIES, GRANTS, CREDENTIALS, ACTIVITY, GRANT_EVENTS));
      }
    }
    return parts;
  }
}
