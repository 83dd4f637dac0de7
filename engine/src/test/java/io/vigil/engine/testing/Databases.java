package io.vigil.engine.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The two databases the store must work on: an H2 file and a real (embedded) PostgreSQL. */
public final class Databases {
  private static EmbeddedPostgres postgres;

  private Databases() {}

  public static String h2(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("vigil").toAbsolutePath();
  }

  /** A fresh database on one embedded PostgreSQL shared by the test JVM; stopped when it exits. */
  public static synchronized String postgres() {
    try {
      if (postgres == null) {
        postgres = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            postgres.close();
          } catch (IOException ignored) {
            // the JVM is going away
          }
        }));
      }
      String name = "vigil_" + Long.toHexString(System.nanoTime());
      try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      }
      return postgres.getJdbcUrl("postgres", name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
