package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.scheduler.ScheduleConfig;
import io.vigil.engine.store.AuditEntry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobKey;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

class ApiSchedulesTest {
  @TempDir Path dir;
  private ApiTestServer api;

  @BeforeEach
  void start() throws Exception {
    api = new ApiTestServer(dir);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> create(String body) throws Exception {
    return api.send("POST", "/api/v1/schedules", api.admin(), body);
  }

  @Test
  void createsReadsUpdatesAndDeletesAScheduleMirroredInQuartzAndAudited() throws Exception {
    HttpResponse<String> created = create("""
        {"name": "nightly", "cron": "0 30 2 * * ?", "zone": "UTC", "sources": ["cmdb"], "mode": "full"}""");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode s = api.json(created);
    assertThat(s.get("mode").asText()).isEqualTo("FULL");
    assertThat(s.get("misfire").asText()).isEqualTo("FIRE_NOW");
    assertThat(s.get("enabled").asBoolean()).isTrue();
    assertThat(s.get("description").asText()).contains("02:30");
    assertThat(s.get("serverZone").asText()).isEqualTo("Europe/Berlin");
    assertThat(s.get("nextFires")).hasSize(5);
    ZonedDateTime first = ZonedDateTime.parse(s.get("nextFires").get(0).asText());
    assertThat(first.getOffset()).isEqualTo(java.time.ZoneId.of("Europe/Berlin").getRules().getOffset(first.toInstant()));
    assertThat(first.withZoneSameInstant(java.time.ZoneOffset.UTC).getHour()).isEqualTo(2);
    assertThat(api.scheduler.quartz().checkExists(JobKey.jobKey("nightly"))).isTrue();

    assertThat(api.json(api.get("/api/v1/schedules/nightly", api.auditor())).get("cron").asText()).isEqualTo("0 30 2 * * ?");
    HttpResponse<String> updated = api.send("PUT", "/api/v1/schedules/nightly", api.admin(), """
        {"cron": "0 0 3 * * ?", "zone": "UTC", "sources": ["cmdb", "gate"], "checks": ["problem"], "misfire": "skip"}""");
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(api.json(updated).get("sources")).hasSize(2);
    Trigger trigger = api.scheduler.quartz().getTrigger(TriggerKey.triggerKey("nightly"));
    assertThat(((org.quartz.CronTrigger) trigger).getCronExpression()).isEqualTo("0 0 3 * * ?");

    assertThat(api.send("POST", "/api/v1/schedules/nightly/pause", api.admin(), null).statusCode()).isEqualTo(200);
    assertThat(api.scheduler.quartz().getTriggerState(TriggerKey.triggerKey("nightly"))).isEqualTo(Trigger.TriggerState.PAUSED);
    assertThat(api.json(api.get("/api/v1/schedules/nightly", api.admin())).get("enabled").asBoolean()).isFalse();
    assertThat(api.send("POST", "/api/v1/schedules/nightly/resume", api.admin(), null).statusCode()).isEqualTo(200);
    assertThat(api.scheduler.quartz().getTriggerState(TriggerKey.triggerKey("nightly"))).isEqualTo(Trigger.TriggerState.NORMAL);

    assertThat(api.send("DELETE", "/api/v1/schedules/nightly", api.admin(), null).statusCode()).isEqualTo(204);
    assertThat(api.get("/api/v1/schedules/nightly", api.admin()).statusCode()).isEqualTo(404);
    assertThat(api.scheduler.quartz().checkExists(JobKey.jobKey("nightly"))).isFalse();

    List<AuditEntry> audit = api.store.audit().list(10);
    assertThat(audit).extracting(AuditEntry::action).containsExactly("schedule.delete", "schedule.resume",
        "schedule.pause", "schedule.update", "schedule.create");
    assertThat(audit).extracting(AuditEntry::actor).containsOnly("nina.novak");
    AuditEntry update = audit.get(3);
    JsonNode details = api.json.readTree(update.details());
    assertThat(details.get("before").get("cron").asText()).isEqualTo("0 30 2 * * ?");
    assertThat(details.get("after").get("cron").asText()).isEqualTo("0 0 3 * * ?");
  }

  @Test
  void refusesAnInvalidCronSayingWhatAndWhereAndSavesNothing() throws Exception {
    HttpResponse<String> r = create("""
        {"name": "bad", "cron": "0 0 25 * * ?"}""");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = api.json(r);
    assertThat(error.get("error").asText()).isEqualTo("invalid_schedule");
    assertThat(error.get("field").asText()).isEqualTo("cron");
    assertThat(error.get("message").asText()).contains("0 0 25 * * ?").contains("hours");
    assertNothingSaved();
  }

  @Test
  void explainsAFiveFieldUnixCron() throws Exception {
    HttpResponse<String> r = create("""
        {"name": "unix", "cron": "30 2 * * *"}""");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(api.json(r).get("message").asText()).contains("start with seconds").contains("'0 30 2 * * ?'");
    assertNothingSaved();
  }

  @Test
  void refusesUnknownSourcesAndChecksNamingEach() throws Exception {
    HttpResponse<String> r = create("""
        {"name": "x", "cron": "0 0 2 * * ?", "sources": ["cmdb", "nosuch"], "checks": ["nocheck"]}""");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = api.json(r);
    assertThat(error.get("field").asText()).isEqualTo("sources[1]");
    assertThat(error.get("problems")).extracting(p -> p.get("field").asText()).containsExactly("sources[1]", "checks[0]");
    assertThat(error.get("message").asText()).contains("'nosuch'").contains("cmdb, gate").contains("'nocheck'");
    assertNothingSaved();
  }

  @Test
  void refusesAScheduleForADisabledConnector() throws Exception {
    HttpResponse<String> r = create("""
        {"name": "old", "cron": "0 0 2 * * ?", "sources": ["legacy"]}""");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(api.json(r).get("message").asText()).contains("'legacy' is disabled");
    assertNothingSaved();
  }

  @Test
  void anUpdateThatFailsValidationLeavesTheScheduleAsItWas() throws Exception {
    assertThat(create("{\"name\": \"n\", \"cron\": \"0 0 2 * * ?\"}").statusCode()).isEqualTo(201);
    long audit = api.auditCount();
    HttpResponse<String> r = api.send("PUT", "/api/v1/schedules/n", api.admin(), "{\"cron\": \"every night\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(api.schedules.require("n").cron()).isEqualTo("0 0 2 * * ?");
    assertThat(api.auditCount()).isEqualTo(audit);
  }

  @Test
  void refusesAnUnknownFieldAnUnknownModeAndADuplicateName() throws Exception {
    HttpResponse<String> unknown = create("{\"name\": \"n\", \"cron\": \"0 0 2 * * ?\", \"when\": \"always\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(api.json(unknown).get("field").asText()).isEqualTo("when");
    HttpResponse<String> mode = create("{\"name\": \"n\", \"cron\": \"0 0 2 * * ?\", \"mode\": \"sometimes\"}");
    assertThat(mode.statusCode()).isEqualTo(400);
    assertThat(api.json(mode).get("field").asText()).isEqualTo("mode");
    assertThat(api.json(mode).get("message").asText()).contains("FULL").contains("INCREMENTAL");
    assertNothingSaved();
    assertThat(create("{\"name\": \"n\", \"cron\": \"0 0 2 * * ?\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> again = create("{\"name\": \"n\", \"cron\": \"0 0 4 * * ?\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(api.schedules.require("n").cron()).isEqualTo("0 0 2 * * ?");
  }

  @Test
  void seedsFromTheConfigurationOnTheFirstStartOnly() throws Exception {
    Map<String, ScheduleConfig> file = Map.of("nightly",
        new ScheduleConfig("0 0 2 * * ?", null, List.of("cmdb"), null, null, null, null));
    assertThat(api.schedules.seed(file, "vigil.yaml")).isEqualTo(1);
    api.send("DELETE", "/api/v1/schedules/nightly", api.admin(), null);
    assertThat(api.schedules.seed(file, "vigil.yaml")).isZero();
    assertThat(api.schedules.list()).isEmpty();
    assertThat(api.store.audit().list(10)).extracting(AuditEntry::action).containsExactly("schedule.delete", "schedule.seed");
  }

  @Test
  void refusesToSeedAnInvalidScheduleFromTheConfigurationNamingIt() {
    Map<String, ScheduleConfig> file = Map.of("old",
        new ScheduleConfig("0 0 2 * * ?", null, List.of("legacy"), null, null, null, null));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> api.schedules.seed(file, "vigil.yaml"))
        .hasMessageContaining("schedules.old.sources[0]").hasMessageContaining("disabled");
    assertThat(api.schedules.list()).isEmpty();
  }

  private void assertNothingSaved() throws Exception {
    assertThat(api.schedules.list()).isEmpty();
    assertThat(api.auditCount()).isZero();
    assertThat(api.scheduler.quartz().getJobKeys(org.quartz.impl.matchers.GroupMatcher.anyJobGroup())).isEmpty();
    assertThat(api.json(api.get("/api/v1/schedules", api.auditor())).get("items")).isEmpty();
  }
}
