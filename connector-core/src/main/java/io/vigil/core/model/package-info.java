/**
 * The domain Vigil reasons about, free of any vendor's types: configuration items and their
 * {@link io.vigil.core.model.Classification}, service desk issues and their approvals, identities, entitlements and
 * the {@link io.vigil.core.model.Grant}s that say through which path an identity holds one, and the
 * {@link io.vigil.core.model.Finding}s checks report. Immutable values, safe to share between threads; nothing is
 * null unless documented; compatibility as in {@link io.vigil.core.spi}.
 */
package io.vigil.core.model;
