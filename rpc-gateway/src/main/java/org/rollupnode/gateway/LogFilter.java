package org.rollupnode.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rollupnode.execution.block.Bloom;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.gateway.rpc.JsonRpcException;

/**
 * An Ethereum log filter: addresses (any of), and per topic position either a wildcard (null),
 * one topic, or any of several. Used by eth_getLogs and eth_subscribe("logs").
 */
public final class LogFilter {
    private final Set<Address> addresses;
    private final List<Set<Hash32>> topics;

    private LogFilter(Set<Address> addresses, List<Set<Hash32>> topics) {
        this.addresses = addresses;
        this.topics = topics;
    }

    public static LogFilter parse(JsonNode filter) throws JsonRpcException {
        Set<Address> addresses = new HashSet<>();
        JsonNode a = filter == null ? null : filter.get("address");
        try {
            if (a != null && a.isTextual()) {
                addresses.add(Address.fromHex(a.asText()));
            } else if (a != null && a.isArray()) {
                for (JsonNode x : a) {
                    addresses.add(Address.fromHex(x.asText()));
                }
            } else if (a != null && !a.isNull()) {
                throw JsonRpcException.invalidParams("invalid address filter: expected an address or an array of addresses");
            }
        } catch (IllegalArgumentException e) {
            throw JsonRpcException.invalidParams("invalid address filter: " + e.getMessage());
        }
        List<Set<Hash32>> topics = new ArrayList<>();
        JsonNode t = filter == null ? null : filter.get("topics");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                throw JsonRpcException.invalidParams("invalid topics filter: expected an array");
            }
            if (t.size() > 4) {
                throw JsonRpcException.invalidParams("invalid topics filter: at most 4 topic positions");
            }
            for (JsonNode pos : t) {
                try {
                    if (pos.isNull()) {
                        topics.add(null);
                    } else if (pos.isTextual()) {
                        topics.add(Set.of(Hash32.fromHex(pos.asText())));
                    } else if (pos.isArray()) {
                        Set<Hash32> any = new HashSet<>();
                        for (JsonNode x : pos) {
                            any.add(Hash32.fromHex(x.asText()));
                        }
                        topics.add(any.isEmpty() ? null : any);
                    } else {
                        throw JsonRpcException.invalidParams("invalid topics filter: each position is null, a topic or an array of topics");
                    }
                } catch (IllegalArgumentException e) {
                    throw JsonRpcException.invalidParams("invalid topic: " + e.getMessage());
                }
            }
        }
        return new LogFilter(addresses, topics);
    }

    public boolean matches(Log log) {
        if (!addresses.isEmpty() && !addresses.contains(log.address())) {
            return false;
        }
        for (int i = 0; i < topics.size(); i++) {
            Set<Hash32> want = topics.get(i);
            if (want == null) {
                continue;
            }
            if (i >= log.topics().size() || !want.contains(log.topics().get(i))) {
                return false;
            }
        }
        return true;
    }

    /** False only when the block's bloom proves no log can match (cheap skip). */
    public boolean mayMatch(Bloom bloom) {
        byte[] b = bloom.toArray();
        if (!addresses.isEmpty() && addresses.stream().noneMatch(a -> contains(b, a.unsafeBytes()))) {
            return false;
        }
        for (Set<Hash32> want : topics) {
            if (want != null && want.stream().noneMatch(h -> contains(b, h.unsafeBytes()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] bloom, byte[] data) {
        Bloom single = Bloom.EMPTY.add(data);
        byte[] s = single.toArray();
        for (int i = 0; i < s.length; i++) {
            if ((bloom[i] & s[i]) != s[i]) {
                return false;
            }
        }
        return true;
    }
}
