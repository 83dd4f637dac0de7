package io.vigil.sandbox.jira;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MembersTest {
    /** Random puts, replacements, removals (also through the iterator) and lookups, against LinkedHashMap. */
    @Test
    void behavesAsLinkedHashMapDoesUnderRandomChanges() {
        for (long seed = 1; seed <= 200; seed++) {
            Random r = new Random(seed);
            Members m = new Members(1 + r.nextInt(4));
            Map<String, JsonNode> expected = new LinkedHashMap<>();
            int names = 2 + r.nextInt(40);
            for (int step = 0; step < 300; step++) {
                // equal names that are not the same instance, so lookups by equals are exercised too
                String name = new String("m" + r.nextInt(names));
                switch (r.nextInt(6)) {
                    case 0, 1, 2 -> {
                        IntNode v = IntNode.valueOf(r.nextInt(1000));
                        assertThat(m.put(name, v)).isEqualTo(expected.put(name, v));
                    }
                    case 3 -> assertThat(m.remove(name)).isEqualTo(expected.remove(name));
                    case 4 -> {
                        Iterator<Map.Entry<String, JsonNode>> a = m.entrySet().iterator();
                        Iterator<Map.Entry<String, JsonNode>> b = expected.entrySet().iterator();
                        while (a.hasNext()) {
                            Map.Entry<String, JsonNode> ea = a.next();
                            assertThat(ea).isEqualTo(b.next());
                            if (ea.getKey().equals(name)) {
                                a.remove();
                                b.remove();
                            }
                        }
                        assertThat(b.hasNext()).isFalse();
                    }
                    default -> {
                        assertThat(m.get(name)).isEqualTo(expected.get(name));
                        assertThat(m.containsKey(name)).isEqualTo(expected.containsKey(name));
                    }
                }
                assertThat(m.size()).isEqualTo(expected.size());
            }
            assertThat(new ArrayList<>(m.keySet())).containsExactlyElementsOf(expected.keySet());
            assertThat(new ArrayList<>(m.values())).containsExactlyElementsOf(expected.values());
            assertThat(m).isEqualTo(expected);
            assertThat(m.hashCode()).isEqualTo(expected.hashCode());
        }
    }

    @Test
    void aReplacedValueKeepsItsPlaceAndTheObjectWritesAsJacksonsOwn() throws Exception {
        ObjectMapper json = new ObjectMapper();
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < 30; i++) text.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        String doc = text.append(",\"nested\":{\"a\":[1,{\"b\":null}],\"c\":\"x\"}}").toString();
        ObjectNode plain = (ObjectNode) json.readTree(doc);
        ObjectNode arrayed = new ObjectNode(json.getNodeFactory(), new Members());
        plain.properties().forEach(e -> arrayed.set(e.getKey(), e.getValue()));
        plain.put("f3", "replaced");
        arrayed.put("f3", "replaced");
        plain.remove("f7");
        arrayed.remove("f7");

        assertThat(json.writeValueAsString(arrayed)).isEqualTo(json.writeValueAsString(plain));
        assertThat(arrayed).isEqualTo(plain);
        assertThat(arrayed.get("f29").asInt()).isEqualTo(29);
        assertThat(arrayed.has("f7")).isFalse();
        List<String> names = new ArrayList<>();
        arrayed.fieldNames().forEachRemaining(names::add);
        assertThat(names.get(3)).isEqualTo("f3");
        assertThat(names).hasSize(30);
    }
}
