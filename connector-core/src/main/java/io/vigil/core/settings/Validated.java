package io.vigil.core.settings;

import java.util.List;

/**
 * A bound record that checks itself once its components are bound: each returned message is reported
 * at the position of the record's mapping.
 */
public interface Validated {
  List<String> problems();
}
