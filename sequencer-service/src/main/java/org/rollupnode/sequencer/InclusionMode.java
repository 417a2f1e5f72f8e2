package org.rollupnode.sequencer;

/**
 * When an L1 message becomes eligible for inclusion: {@code finalized:N} (L1 block <= finalized - N)
 * or {@code depth:N} (L1 block <= head - N). Same syntax as the Rust node.
 */
public record InclusionMode(Kind kind, long depth) {
    public enum Kind { FINALIZED, DEPTH }

    public static InclusionMode parse(String s) {
        String expected = "expected 'finalized', 'finalized:N' or 'depth:N' with N a non-negative integer";
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("invalid --sequencer.l1-inclusion-mode '': " + expected);
        }
        if (s.equals("finalized")) {
            return new InclusionMode(Kind.FINALIZED, 0);
        }
        int colon = s.indexOf(':');
        if (colon > 0) {
            String kind = s.substring(0, colon);
            String n = s.substring(colon + 1);
            if ((kind.equals("finalized") || kind.equals("depth")) && n.matches("[0-9]{1,18}")) {
                return new InclusionMode(kind.equals("finalized") ? Kind.FINALIZED : Kind.DEPTH, Long.parseLong(n));
            }
        }
        throw new IllegalArgumentException("invalid --sequencer.l1-inclusion-mode '" + s + "': " + expected);
    }

    @Override
    public String toString() {
        return (kind == Kind.FINALIZED ? "finalized:" : "depth:") + depth;
    }
}
