package com.example.vigil.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.contract.RecordingSink;
import io.vigil.core.contract.SourceContract;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vigil's source contract for the CSV source over a temporary file, and how it maps rows. */
class CsvSourceTest extends SourceContract {
  @TempDir Path dir;
  private Path file;
  private int added;

  @BeforeEach
  void writeFile() throws IOException {
    file = dir.resolve("cmdb.csv");
    String rows = IntStream.rangeClosed(1, 40).mapToObj(i -> "SRV-" + i + ",Server,server " + i + ","
        + (i % 5 == 0 ? "" : "owner" + i + "@acme.example") + ",internal,,,").collect(Collectors.joining("\n"));
    Files.writeString(file, "key,type,name,owner,confidentiality,integrity,availability,dependsOn\n"
        + "APP-1,Application,\"payroll, the app\",victor.vance@acme.example,secret,high,medium,SRV-1;SRV-2\n" + rows + "\n");
  }

  @Override
  protected Source source() {
    return new CsvSource("cmdb", file);
  }

  @Override
  protected Source unreachableSource() {
    return new CsvSource("cmdb", dir.resolve("missing.csv"));
  }

  @Override
  protected void changeSomething() {
    try {
      Files.writeString(file, "NEW-" + (++added) + ",Server,new server,,public,,,\n", StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void mapsEveryColumnOfARow() throws Exception {
    RecordingSink sink = new RecordingSink();
    source().collect(new CollectRequest("r", true, null, null, Instant.now()), sink);
    ConfigurationItem app = (ConfigurationItem) sink.items().get("ci:APP-1");
    assertThat(app.name()).isEqualTo("payroll, the app");
    assertThat(app.type()).isEqualTo("Application");
    assertThat(app.owner()).isEqualTo("victor.vance@acme.example");
    assertThat(app.classification().get(Dimension.CONFIDENTIALITY)).contains("secret");
    assertThat(app.dependsOn()).containsExactly("SRV-1", "SRV-2");
    assertThat(sink.items()).hasSize(41);
  }
}
