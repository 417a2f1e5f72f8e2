package org.rollupnode.execution.tx;

import java.util.List;
import java.util.Objects;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/** One EIP-2930 access-list entry: an address and the storage slots to pre-warm. */
public record AccessListEntry(Address address, List<Hash32> storageKeys) {
    public AccessListEntry {
        Objects.requireNonNull(address, "address");
        storageKeys = List.copyOf(storageKeys);
    }
}
