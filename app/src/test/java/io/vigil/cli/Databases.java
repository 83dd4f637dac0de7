package io.vigil.cli;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole H2 store back, to compare before and after. */
final class Databases {
  private Databases() {}

  /** Every row of every table in the PUBLIC schema, in a stable order, as text. */
  static String dump(String url) throws Exception {
    StringBuilder out = new StringBuilder();
    try (var c = DriverManager.getConnection(url + ";IFEXISTS=TRUE")) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery(
          "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String t : tables) {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM \"" + t + "\"")) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= n; i++) row.append(rs.getString(i)).append('|');
            rows.add(row.toString());
          }
        }
        rows.sort(null);
        out.append(t).append('\n');
        rows.forEach(r -> out.append("  ").append(r).append('\n'));
      }
    }
    return out.toString();
  }
}
