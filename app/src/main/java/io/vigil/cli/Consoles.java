package io.vigil.cli;

import io.vigil.server.console.Ui;
import io.vigil.server.console.Console;

/** The web console the server commands ({@code vigil serve}, {@code vigil demo --serve}) serve. */
final class Consoles {
  private Consoles() {}

  static Ui forServe() {
    return new Console();
  }
}
