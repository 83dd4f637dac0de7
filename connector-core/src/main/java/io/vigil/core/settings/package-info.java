/**
 * What a connector's settings record may use when Vigil binds it from the configuration file:
 * {@link io.vigil.core.settings.Optional} for a key that may be left out, {@link io.vigil.core.settings.YamlKey}
 * for a key spelled differently from the component, and {@link io.vigil.core.settings.Validated} for checks across
 * components, reported with file and line like every other configuration problem. Secrets are components of type
 * the extension points' {@code Secret}. Compatibility as for the extension points.
 */
package io.vigil.core.settings;
