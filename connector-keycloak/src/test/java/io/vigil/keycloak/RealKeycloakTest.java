package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the test Keycloak is built and waited for, with a stand-in {@code kc.sh} that records its
 * commands: {@code build} succeeds at once, {@code start} never becomes ready.
 */
class RealKeycloakTest {
  @TempDir Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty("keycloak.home");
    System.clearProperty("keycloak.log");
    System.clearProperty("keycloak.startTimeout");
  }

  @Test
  void waitsTenMinutesUnlessToldOtherwise() {
    assertThat(RealKeycloak.startTimeout()).isEqualTo(Duration.ofMinutes(10));
    System.setProperty("keycloak.startTimeout", "PT25M");
    assertThat(RealKeycloak.startTimeout()).isEqualTo(Duration.ofMinutes(25));
    System.setProperty("keycloak.startTimeout", "ten minutes");
    assertThatThrownBy(RealKeycloak::startTimeout).hasMessageContaining("keycloak.startTimeout").hasMessageContaining("PT10M");
  }

  @Test
  void buildsOnceThenStartsOptimizedAndSaysHowToWaitLonger() throws Exception {
    Path home = dir.resolve("keycloak-dist/keycloak-x");
    Path calls = dir.resolve("calls.txt");
    Files.createDirectories(home.resolve("bin"));
    Path kc = home.resolve("bin/kc.sh");
    Files.writeString(kc, "#!/bin/sh\necho \"$1 $2\" >> '" + calls + "'\n"
        + "if [ \"$1\" = build ]; then exit 0; fi\necho 'still augmenting, or so it says'\nexec sleep 600\n");
    Files.setPosixFilePermissions(kc, PosixFilePermissions.fromString("rwxr-xr-x"));
    System.setProperty("keycloak.home", home.toString());
    System.setProperty("keycloak.log", dir.resolve("kc.log").toString());
    System.setProperty("keycloak.startTimeout", "PT2S");

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> RealKeycloak.get(List.of()))
          .hasMessageContaining("did not become ready within PT2S")
          .hasMessageContaining("-Dkeycloak.startTimeout=")
          .hasMessageContaining("still augmenting, or so it says");
    }
    assertThat(Files.readAllLines(calls)).containsExactly("build --db=dev-file", "start --optimized", "start --optimized");
    assertThat(home.resolve(".vigil-build")).content().contains("--health-enabled=true");
  }
}
