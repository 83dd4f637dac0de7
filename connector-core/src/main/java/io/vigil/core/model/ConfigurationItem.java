package io.vigil.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A configuration item from the CMDB.
 *
 * @param key stable key in the system of record (e.g. an Assets object key {@code CMDB-42})
 * @param name human name
 * @param type CI type name (Server, Application, Database, ...)
 * @param owner owner's account (email or account id); empty when the CI has none
 * @param classification the CI's classification as recorded
 * @param dependsOn keys of the CIs this CI runs on or depends on (an application depends on its server)
 * @param attributes every other attribute, by attribute name, as text
 */
public record ConfigurationItem(
    String key,
    String name,
    String type,
    String owner,
    Classification classification,
    List<String> dependsOn,
    Map<String, String> attributes) {

  public ConfigurationItem {
    Objects.requireNonNull(key, "key");
    name = name == null ? key : name;
    type = type == null ? "" : type;
    owner = owner == null ? "" : owner;
    classification = classification == null ? Classification.NONE : classification;
    dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
    attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
  }

  public static Builder builder(String key) {
    return new Builder(key);
  }

  public static final class Builder {
    private final String key;
    private String name;
    private String type;
    private String owner;
    private Classification classification = Classification.NONE;
    private List<String> dependsOn = List.of();
    private Map<String, String> attributes = Map.of();

    private Builder(String key) {
      this.key = key;
    }

    public Builder name(String v) { this.name = v; return this; }
    public Builder type(String v) { this.type = v; return this; }
    public Builder owner(String v) { this.owner = v; return this; }
    public Builder classification(Classification v) { this.classification = v; return this; }
    public Builder dependsOn(List<String> v) { this.dependsOn = v; return this; }
    public Builder attributes(Map<String, String> v) { this.attributes = v; return this; }

    public ConfigurationItem build() {
      return new ConfigurationItem(key, name, type, owner, classification, dependsOn, attributes);
    }
  }
}
