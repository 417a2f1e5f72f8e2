package org.rollupnode.audit;

/**
 * The machine-readable result of a replay. {@code divergence} is null when every check passed.
 */
public record ReplayReport(String chain, long from, long to, long blocksChecked, long transactions, long elapsedMillis,
                           double blocksPerSecond, String result, Divergence divergence, long unsignedTail) {

    /** The first thing that did not check out: where, which field, what was claimed and what is true. */
    public record Divergence(long block, String check, String field, String expected, String actual, String topic, long offset,
                             String message) {}

    public boolean ok() {
        return divergence == null;
    }
}
