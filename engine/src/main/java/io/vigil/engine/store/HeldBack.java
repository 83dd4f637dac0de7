package io.vigil.engine.store;

/**
 * A check a run held back: none of its findings was opened, refreshed or resolved in that run.
 *
 * @param check the check's name
 * @param reason why, and what to do about it, for a person
 * @param confirmable held back only by a plausibility guard (a bulk resolution, or a source that suddenly read none of
 *     a kind): a person who checked that the findings really are gone can confirm it with a run that resolves them
 *     ({@code vigil run --confirm-resolve}, or from the run's page); false when something failed or was not read
 */
public record HeldBack(String check, String reason, boolean confirmable) {
  /** What a guard's reason ends with: how to confirm. */
  public static final String CONFIRM_HINT = "if they really are gone, confirm with `vigil run --confirm-resolve`"
      + " or from the run's page in the console";

  public HeldBack {
    check = check == null ? "" : check;
    reason = reason == null ? "" : reason;
  }

  public HeldBack(String check, String reason) {
    this(check, reason, false);
  }
}
