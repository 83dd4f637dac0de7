package io.vigil.cli;

import io.vigil.app.VigilService;

/** The web console the server commands serve; none until the console is in the build. */
final class Consoles {
  private Consoles() {}

  static VigilService.Ui forServe() {
    return VigilService.Ui.NONE;
  }
}
