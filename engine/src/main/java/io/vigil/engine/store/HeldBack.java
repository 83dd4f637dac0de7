package io.vigil.engine.store;

/**
 * A check a run held back: none of its findings was opened, refreshed or resolved in that run.
 *
 * @param check the check's name
 * @param reason why, and what to do about it, for a person
 */
public record HeldBack(String check, String reason) {
  public HeldBack {
    check = check == null ? "" : check;
    reason = reason == null ? "" : reason;
  }
}
