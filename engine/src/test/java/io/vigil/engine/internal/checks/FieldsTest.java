package io.vigil.engine.internal.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A custom rule's subject as an array-backed map reads as the hash map it replaces. */
class FieldsTest {
  private static final String[] NAMES = Fields.names("key", "owner", "confidentiality", "labels");

  @Test
  void readsAsTheHashMapWithTheSameFields() {
    Map<String, Object> expected = new HashMap<>();
    expected.put("key", "CMDB-1");
    expected.put("owner", "");
    expected.put("confidentiality", 2L);
    expected.put("labels", List.of("vip"));
    Fields fields = new Fields(NAMES, "CMDB-1", "", 2L, List.of("vip"));

    assertThat(fields).isEqualTo(expected).hasSize(4);
    assertThat(fields.get("confidentiality")).isEqualTo(2L);
    assertThat(fields.get(new String("owner".toCharArray()))).isEqualTo(""); // by equality, not only by identity
    assertThat(fields.containsKey("labels")).isTrue();
    assertThat(fields.containsKey("ownr")).isFalse();
    assertThat(fields.get("ownr")).isNull();
    assertThat(fields.get(42)).isNull();
    assertThat(fields.keySet()).containsExactly("key", "owner", "confidentiality", "labels");
  }

  @Test
  void aFieldMayHoldNullAsInAHashMap() {
    Fields fields = new Fields(NAMES, "CMDB-1", null, -1L, List.of());
    assertThat(fields.containsKey("owner")).isTrue();
    assertThat(fields.get("owner")).isNull();
  }

  @Test
  void namesAndValuesMustPair() {
    assertThatThrownBy(() -> new Fields(NAMES, "CMDB-1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("4 field names but 1 values");
  }

  @Test
  void isReadOnly() {
    Fields fields = new Fields(NAMES, "CMDB-1", "", 2L, List.of());
    assertThatThrownBy(() -> fields.put("key", "x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
