package org.rollupnode.schemas;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A record of the single-partition sequencer stream. Every block payload is one; later kinds
 * (explicit reverts) share the stream so every reader sees them in the same total order.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = BlockPayload.class, name = "payload")})
public sealed interface SequencerStreamEvent permits BlockPayload {
    long number();
}
