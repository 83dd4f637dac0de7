package io.vigil.engine.policy;
import io.vigil.core.policy.Policy;

import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The policy file of a long-running Vigil: read again whenever its content changes, so administrators edit it
 * in place. A changed file that is invalid is rejected whole — the last valid policy stays in force — and the
 * rejection is reported once per content. Thread-safe.
 */
public final class PolicyFile {
  private final Path file;
  private final Consumer<ProblemsException> onRejected;
  private Policy current;
  private String currentText;
  private String rejectedText;
  private List<Problem> rejected = List.of();

  private PolicyFile(Path file, Policy policy, String text, Consumer<ProblemsException> onRejected) {
    this.file = file;
    this.current = policy;
    this.currentText = text;
    this.onRejected = onRejected;
  }

  /**
   * Reads the file; it must be valid now.
   *
   * @param onRejected told (once per content) when a later version of the file is rejected
   */
  public static PolicyFile load(Path file, Consumer<ProblemsException> onRejected) throws ProblemsException {
    String text = read(file);
    return new PolicyFile(file, PolicyLoader.parse(file.toString(), text), text, onRejected);
  }

  /** The policy in force: the file as it is now if it is valid, else the last valid version. */
  public synchronized Policy current() {
    String text;
    try {
      text = read(file);
    } catch (ProblemsException e) {
      reject(null, e); // unreadable (moved, permissions): keep the last valid one
      return current;
    }
    if (text.equals(currentText)) return current;
    if (text.equals(rejectedText)) return current;
    try {
      current = PolicyLoader.parse(file.toString(), text);
      currentText = text;
      rejected = List.of();
      rejectedText = null;
    } catch (ProblemsException e) {
      reject(text, e);
    }
    return current;
  }

  private void reject(String text, ProblemsException e) {
    boolean news = text == null ? rejected.isEmpty() : !text.equals(rejectedText);
    rejectedText = text;
    rejected = e.problems();
    if (news) onRejected.accept(e);
  }

  /** Why the file as it is now is not in force; empty when it is. */
  public synchronized List<Problem> rejectedProblems() {
    return rejected;
  }

  public Path file() {
    return file;
  }

  private static String read(Path file) throws ProblemsException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ProblemsException(List.of(new Problem(file.toString(), 0, 0,
          "cannot read the policy file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
    }
  }
}
