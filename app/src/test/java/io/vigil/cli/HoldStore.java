package io.vigil.cli;

import java.sql.Connection;
import java.sql.DriverManager;

/** Run in a process of its own: opens an H2 store, says "held" and keeps it open until its input closes. */
public final class HoldStore {
  private HoldStore() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0])) {
      c.createStatement().execute("CREATE TABLE IF NOT EXISTS held (x INT)");
      System.out.println("held");
      System.out.flush();
      System.in.read();
    }
  }
}
