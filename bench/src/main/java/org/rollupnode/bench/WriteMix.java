package org.rollupnode.bench;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The write load's transaction kinds and their weights, from {@code --mix transfer=70,erc20=20,store=10}.
 * Kinds left out weigh 0. {@link #pattern()} spreads the kinds evenly over a short repeating cycle,
 * so every batch and every second carries the mix rather than runs of one kind.
 */
public record WriteMix(Map<Kind, Integer> weights) {
    public enum Kind {
        /** A value transfer of 1 wei to a fixed sink address (21,000 gas). */
        TRANSFER,
        /** BenchToken.transfer(sink, 1) signed by a load account that holds tokens. */
        ERC20,
        /** HashStore.work(10, base) with a base no other call uses: 10 KECCAK256 and 10 fresh SSTOREs. */
        STORE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final WriteMix TRANSFERS_ONLY = new WriteMix(Map.of(Kind.TRANSFER, 100));

    public WriteMix {
        EnumMap<Kind, Integer> copy = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            copy.put(k, weights.getOrDefault(k, 0));
        }
        weights = java.util.Collections.unmodifiableMap(copy);
    }

    /** Parses {@code kind=weight[,kind=weight...]}; the message of the exception names what is wrong. */
    public static WriteMix parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty mix: expected kind=weight[,kind=weight...] with kinds transfer, erc20, store");
        }
        EnumMap<Kind, Integer> w = new EnumMap<>(Kind.class);
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + p + "' is not kind=weight (kinds: transfer, erc20, store)");
            }
            String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            Kind kind = null;
            for (Kind k : Kind.values()) {
                if (k.label().equals(name)) {
                    kind = k;
                }
            }
            if (kind == null) {
                throw new IllegalArgumentException("unknown kind '" + p.substring(0, eq).strip() + "': expected transfer, erc20 or store");
            }
            if (w.containsKey(kind)) {
                throw new IllegalArgumentException("kind '" + name + "' given twice");
            }
            String value = p.substring(eq + 1).strip();
            int weight;
            try {
                weight = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight of '" + name + "' is not an integer: '" + value + "'");
            }
            if (weight < 0) {
                throw new IllegalArgumentException("weight of '" + name + "' is negative: " + weight);
            }
            if (weight > 1_000_000) {
                throw new IllegalArgumentException("weight of '" + name + "' is above 1000000: " + weight);
            }
            w.put(kind, weight);
        }
        if (w.values().stream().allMatch(v -> v == 0)) {
            throw new IllegalArgumentException("every weight is 0: at least one kind needs a positive weight");
        }
        return new WriteMix(w);
    }

    public int weight(Kind k) {
        return weights.get(k);
    }

    public boolean uses(Kind k) {
        return weight(k) > 0;
    }

    /**
     * One cycle of kinds, its length the sum of the weights divided by their gcd; each kind appears
     * in proportion to its weight, interleaved (smooth weighted round-robin: at each step every kind
     * gains its weight and the one with the most credit goes next, paying back the total).
     */
    public Kind[] pattern() {
        BigInteger g = BigInteger.ZERO;
        for (int v : weights.values()) {
            g = g.gcd(BigInteger.valueOf(v));
        }
        int gcd = g.intValueExact();
        int[] w = new int[Kind.values().length];
        int sum = 0;
        for (Kind k : Kind.values()) {
            w[k.ordinal()] = weight(k) / gcd;
            sum += w[k.ordinal()];
        }
        long[] credit = new long[w.length];
        List<Kind> out = new ArrayList<>(sum);
        for (int step = 0; step < sum; step++) {
            int best = -1;
            for (int i = 0; i < w.length; i++) {
                credit[i] += w[i];
                if (w[i] > 0 && (best < 0 || credit[i] > credit[best])) {
                    best = i;
                }
            }
            credit[best] -= sum;
            out.add(Kind.values()[best]);
        }
        return out.toArray(new Kind[0]);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Kind k : Kind.values()) {
            if (uses(k)) {
                b.append(b.length() == 0 ? "" : ",").append(k.label()).append('=').append(weight(k));
            }
        }
        return b.toString();
    }
}
