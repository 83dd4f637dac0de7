package io.vigil.scheduler.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Creates Quartz's JDBC job-store tables in Vigil's database, from the DDL the Quartz jar itself ships
 * for the database in use, so schedules live beside the findings and migrate with them. H2 2.x no longer
 * knows the {@code IMAGE} type Quartz's H2 script uses; it is read as {@code BLOB}.
 */
public class V100__Quartz_tables extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    String script;
    if (product.contains("h2")) {
      script = read("tables_h2.sql").replaceAll("(?i)\\bIMAGE\\b", "BLOB");
    } else if (product.contains("postgres")) {
      script = read("tables_postgres.sql");
    } else {
      throw new IllegalStateException("Vigil's scheduler supports H2 and PostgreSQL, not " + product);
    }
    try (Statement st = connection.createStatement()) {
      for (String sql : statements(script)) {
        if (sql.toLowerCase(Locale.ROOT).startsWith("drop table")) continue;
        if (sql.toLowerCase(Locale.ROOT).startsWith("commit")) continue;
        st.execute(sql);
      }
    }
  }

  private static String read(String name) throws IOException {
    try (InputStream in = org.quartz.Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/" + name)) {
      if (in == null) throw new IllegalStateException("the Quartz jar has no " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The script's statements, without comment lines. */
  static java.util.List<String> statements(String script) {
    StringBuilder body = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (t.startsWith("--") || t.startsWith("#")) continue;
      body.append(line).append('\n');
    }
    return java.util.Arrays.stream(body.toString().split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
