package io.vigil.engine.problem;

/**
 * One thing wrong with a file a person wrote, where it is and what was expected.
 *
 * @param file the file as the user named it
 * @param line 1-based line; 0 when the problem concerns the whole file
 * @param column 1-based column; 0 when unknown
 * @param message what is wrong and what was expected
 */
public record Problem(String file, int line, int column, String message) implements Comparable<Problem> {
  @Override
  public String toString() {
    if (line <= 0) return file + ": " + message;
    return file + ":" + line + (column > 0 ? ":" + column : "") + ": " + message;
  }

  @Override
  public int compareTo(Problem o) {
    int c = file.compareTo(o.file);
    if (c != 0) return c;
    c = Integer.compare(line, o.line);
    return c != 0 ? c : Integer.compare(column, o.column);
  }
}
