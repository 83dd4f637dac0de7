package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.plugin.ExtensionRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler's {@code schedules:} section, bound by the engine's loader with the scheduler's record. */
class ScheduleConfigTest {
  @TempDir Path dir;

  private VigilConfig load(String yaml) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "classification: {}\n");
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, yaml);
    try (ExtensionRegistry registry = ExtensionRegistry.load(null)) {
      return new ConfigLoader(registry, Map.<String, String>of()::get, List.of(ScheduleConfig.SECTION)).load(file);
    }
  }

  @Test
  void readsSchedulesInFileOrderWithTheirDefaults() throws Exception {
    VigilConfig config = load("""
        policy: policy.yaml
        connectors: {}
        schedules:
          nightly: { cron: "0 0 2 * * ?", sources: [cmdb], mode: full, misfire: skip, zone: Europe/Berlin }
          hourly: { cron: "0 0 * * * ?", enabled: false }
        """);
    Map<String, ScheduleConfig> schedules = config.section(ScheduleConfig.SECTION);
    assertThat(schedules.keySet()).containsExactly("nightly", "hourly");
    ScheduleConfig nightly = schedules.get("nightly");
    assertThat(nightly.sources()).containsExactly("cmdb");
    assertThat(nightly.mode()).isEqualTo(ScheduleConfig.Mode.FULL);
    assertThat(nightly.misfire()).isEqualTo(ScheduleConfig.Misfire.SKIP);
    assertThat(nightly.zone()).isEqualTo("Europe/Berlin");
    ScheduleConfig hourly = schedules.get("hourly");
    assertThat(hourly.enabled()).isFalse();
    assertThat(hourly.mode()).isEqualTo(ScheduleConfig.Mode.INCREMENTAL);
    assertThat(hourly.misfire()).isEqualTo(ScheduleConfig.Misfire.FIRE_NOW);
    assertThat(hourly.sources()).isEmpty();
  }

  @Test
  void refusesAScheduleWithoutACronAndAnUnknownMode() {
    assertThatThrownBy(() -> load("""
        policy: policy.yaml
        connectors: {}
        schedules:
          nightly: { mode: sometimes }
        """)).isInstanceOfSatisfying(ProblemsException.class, e ->
        assertThat(e.problems()).extracting(Problem::line).containsOnly(4));
  }

  @Test
  void hasNoSchedulesWhenTheFileNamesNone() throws Exception {
    assertThat(load("policy: policy.yaml\nconnectors: {}\n").section(ScheduleConfig.SECTION)).isEmpty();
  }
}
