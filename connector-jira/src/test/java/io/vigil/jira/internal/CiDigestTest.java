package io.vigil.jira.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A CI's digest is kept in cursors across runs and versions: it must not change with how it is computed. */
class CiDigestTest {
  private static ConfigurationItem ci(String key, String confidentiality) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("Owner", "wendy.wu@acme.example");
    attributes.put("Confidentiality", confidentiality);
    return ConfigurationItem.builder(key).name("payroll-db").type("Database").owner("wendy.wu@acme.example")
        .classification(new Classification(Map.of(Dimension.values()[0], confidentiality)))
        .dependsOn(List.of("CMDB-9", "CMDB-3")).attributes(attributes).build();
  }

  @Test
  void theDigestIsTheFirstSixBytesOfSha256OverTheDocumentedText() throws Exception {
    ConfigurationItem ci = ci("CMDB-1", "secret");
    StringBuilder text = new StringBuilder("payroll-db\0Database\0wendy.wu@acme.example\0");
    for (Dimension d : Dimension.values()) text.append(d == Dimension.values()[0] ? "secret" : "").append('\0');
    text.append("CMDB-3\1CMDB-9\1\0");
    text.append("Confidentiality\1secret\2Owner\1wendy.wu@acme.example\2");
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));

    assertThat(CiDigest.of(ci)).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 6)));
    assertThat(CiDigest.of(ci("CMDB-1", "internal"))).isNotEqualTo(CiDigest.of(ci));
  }

  @Test
  void manyThreadsAtOnceGetTheSameDigestsAsOneThread() throws Exception {
    List<ConfigurationItem> cis = new ArrayList<>();
    for (int i = 0; i < 200; i++) cis.add(ci("CMDB-" + i, i % 3 == 0 ? "secret" : "internal"));
    List<String> alone = cis.stream().map(CiDigest::of).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) runs.add(pool.submit(() -> cis.stream().map(CiDigest::of).toList()));
      for (Future<List<String>> run : runs) assertThat(run.get()).isEqualTo(alone);
    } finally {
      pool.shutdownNow();
    }
  }
}
