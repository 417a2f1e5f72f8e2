package org.rollupnode.execution.evm;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;

/** Builds geth's {@code callTracer} result: a tree of frames with type, from, to, value, gas, output, error. */
public final class CallTraceCollector implements CallTracer {
    private final Deque<Map<String, Object>> stack = new ArrayDeque<>();
    private Map<String, Object> root;

    @Override
    public void enter(String type, Address from, Address to, BigInteger value, byte[] input, long gas, int depth) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", type);
        f.put("from", from.toHex());
        f.put("to", to == null ? null : to.toHex());
        if (value != null) {
            f.put("value", "0x" + value.toString(16));
        }
        f.put("gas", "0x" + Long.toHexString(gas));
        f.put("gasUsed", "0x0");
        f.put("input", Hex.encode(input));
        Map<String, Object> parent = stack.peek();
        if (parent != null) {
            @SuppressWarnings("unchecked")
            List<Object> calls = (List<Object>) parent.computeIfAbsent("calls", k -> new ArrayList<>());
            calls.add(f);
        } else {
            root = f;
        }
        stack.push(f);
    }

    @Override
    public void exit(CallResult r, long gasUsed, Address created) {
        Map<String, Object> f = stack.pop();
        f.put("gasUsed", "0x" + Long.toHexString(gasUsed));
        if (created != null) {
            f.put("to", created.toHex());
        }
        if (r.output() != null && r.output().length > 0 && !"CREATE".equals(f.get("type")) && !"CREATE2".equals(f.get("type"))) {
            f.put("output", Hex.encode(r.output()));
        } else if (r.reverted()) {
            f.put("output", Hex.encode(r.output()));
        }
        if (!r.success()) {
            f.put("error", r.reverted() ? "execution reverted" : r.halt() == null ? "call rejected" : r.halt().name().toLowerCase().replace('_', ' '));
        }
    }

    /** The top frame (the transaction), or null when nothing ran. */
    public Map<String, Object> result() {
        return root;
    }
}
