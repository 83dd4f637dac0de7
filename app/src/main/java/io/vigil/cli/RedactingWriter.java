package io.vigil.cli;

import io.vigil.core.spi.Urls;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The last line of defence for secrets in URLs: everything the command line prints passes through it, line by line,
 * with the credentials of every URL masked ({@link Urls#redact}), whichever message carried them.
 */
final class RedactingWriter extends Writer {
  private final PrintWriter target;
  private final StringBuilder line = new StringBuilder();

  private RedactingWriter(PrintWriter target) {
    this.target = target;
  }

  static PrintWriter around(PrintWriter target) {
    return new PrintWriter(new RedactingWriter(target), true);
  }

  @Override
  public synchronized void write(char[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      line.append(buf[i]);
      if (buf[i] == '\n') {
        emit();
        target.flush(); // a long-running command (serve) shows each line as it is printed, as before
      }
    }
  }

  private void emit() {
    if (line.isEmpty()) return;
    target.write(Urls.redact(line.toString()));
    line.setLength(0);
  }

  @Override
  public synchronized void flush() {
    emit();
    target.flush();
  }

  @Override
  public synchronized void close() {
    flush();
  }
}
