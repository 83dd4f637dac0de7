/**
 * Vigil's extension points: {@link io.vigil.core.spi.ConnectorFactory} (creates {@link io.vigil.core.spi.Connector}s
 * that offer a {@link io.vigil.core.spi.Source} and/or a {@link io.vigil.core.spi.Publisher}) and
 * {@link io.vigil.core.spi.Check}. Plugins implement them, marked {@code @org.pf4j.Extension}; Vigil finds bundled
 * and plugin implementations the same way.
 *
 * <p>The contract of this package, as of every package of the plugin API:
 * <ul>
 *   <li>Nothing is null unless its javadoc says so; records normalise missing lists, maps and strings to empty.
 *   <li>Implementations are thread-safe: Vigil calls sources in parallel, checks from several threads, and a
 *       connector from the scheduler and the server at once. Factories and checks are stateless.
 *   <li>Compatibility: within a major version, interfaces only gain methods with a default, records only gain
 *       components while keeping the constructors they had, enums only gain constants, and nothing is removed. A
 *       plugin built against 0.x runs on every later 0.x.
 *   <li>Every promise here is checked by the abstract contract tests in connector-core's test-jar
 *       ({@code io.vigil.core.contract}); a plugin proves it keeps them by subclassing them.
 * </ul>
 */
package io.vigil.core.spi;
