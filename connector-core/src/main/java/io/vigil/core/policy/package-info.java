/**
 * The policy in force, as checks read it: every rule is a {@link io.vigil.core.policy.Requirement} (id, title,
 * severity, source, remediation), grouped by the family of checks that evaluate it. The engine loads and validates
 * the policy file into these records; a plugin only reads them. Immutable and thread-safe; compatibility as in
 * {@link io.vigil.core.spi}.
 */
package io.vigil.core.policy;
