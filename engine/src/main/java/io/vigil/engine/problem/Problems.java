package io.vigil.engine.problem;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Collects the problems of one file, so all of them are reported at once. Not thread-safe. */
public final class Problems {
  private final String file;
  private final List<Problem> list = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();

  public Problems(String file) {
    this.file = file;
  }

  public String file() {
    return file;
  }

  /** Records a problem at a node's position. */
  public void at(Node node, String message) {
    if (node == null) {
      list.add(new Problem(file, 0, 0, message));
    } else {
      list.add(new Problem(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1, message));
    }
  }

  /** Records a warning at a node's position: worth fixing, but the file is still valid. */
  public void warnAt(Node node, String message) {
    warnings.add(node == null ? new Problem(file, 0, 0, message)
        : new Problem(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1, message));
  }

  public List<Problem> warnings() {
    return List.copyOf(warnings);
  }

  public void at(int line, int column, String message) {
    list.add(new Problem(file, line, column, message));
  }

  public void addAll(List<Problem> problems) {
    list.addAll(problems);
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public List<Problem> list() {
    return List.copyOf(list);
  }

  /** Throws if anything was recorded. */
  public void throwIfAny() throws ProblemsException {
    if (!list.isEmpty()) throw new ProblemsException(list);
  }
}
