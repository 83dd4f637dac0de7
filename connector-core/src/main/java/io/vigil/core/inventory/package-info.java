/**
 * What a run collected: sources put items into an {@link io.vigil.core.inventory.InventorySink} (thread-safe, so a
 * source may read partitions in parallel) and checks read the immutable {@link io.vigil.core.inventory.Inventory}
 * built from it. {@link io.vigil.core.inventory.IdentityMatch} says how service desk accounts are matched to
 * identities. Compatibility as in {@link io.vigil.core.spi}.
 */
package io.vigil.core.inventory;
