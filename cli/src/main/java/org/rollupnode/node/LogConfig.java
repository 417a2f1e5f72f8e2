package org.rollupnode.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps {@code RUST_LOG}-style directives ({@code info,scroll=debug,rollup_node::sequencer=trace})
 * onto slf4j-simple, so operators use the same filters as with the Rust node. As in tracing's
 * EnvFilter, a directive applies to every target that starts with it; the longest one wins.
 * Must run before the first logger is created.
 */
public final class LogConfig {
    /** Every logger name (target) this project uses. */
    static final List<String> TARGETS = List.of("rollup_node::node", "rollup_node::sequencer", "rollup_node::signer",
            "rollup_node::rpc", "rollup_node::kafka", "scroll::watcher", "scroll::engine");
    /** Third-party libraries that are noisy at info; quiet unless a directive names them. */
    static final List<String> LIBRARIES = List.of("org.apache.kafka", "kafka", "state.change.logger", "io.vertx", "io.netty",
            "org.testcontainers", "com.github.dockerjava");

    private LogConfig() {}

    public static void apply(String rustLog) {
        String spec = rustLog == null || rustLog.isBlank() ? "info" : rustLog;
        String defaultLevel = "info";
        Map<String, String> directives = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String d = part.strip();
            if (d.isEmpty()) {
                continue;
            }
            int eq = d.indexOf('=');
            if (eq < 0) {
                if (isLevel(d)) {
                    defaultLevel = level(d);
                } else {
                    directives.put(d, "trace"); // a bare target means "everything from it", as in tracing
                }
            } else if (isLevel(d.substring(eq + 1))) {
                directives.put(d.substring(0, eq), level(d.substring(eq + 1)));
            }
        }
        set("org.slf4j.simpleLogger.defaultLogLevel", defaultLevel);
        set("org.slf4j.simpleLogger.showDateTime", "true");
        set("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        set("org.slf4j.simpleLogger.showThreadName", "false");
        set("org.slf4j.simpleLogger.levelInBrackets", "false");
        for (String target : TARGETS) {
            set("org.slf4j.simpleLogger.log." + target, match(target, directives, defaultLevel));
        }
        for (String lib : LIBRARIES) {
            set("org.slf4j.simpleLogger.log." + lib, match(lib, directives, "warn"));
        }
    }

    private static String match(String target, Map<String, String> directives, String fallback) {
        String best = null;
        String level = fallback;
        for (var e : directives.entrySet()) {
            if (target.startsWith(e.getKey()) && (best == null || e.getKey().length() > best.length())) {
                best = e.getKey();
                level = e.getValue();
            }
        }
        return level;
    }

    private static boolean isLevel(String s) {
        return List.of("trace", "debug", "info", "warn", "error", "off").contains(s.strip().toLowerCase());
    }

    private static String level(String s) {
        return s.strip().toLowerCase();
    }

    private static void set(String key, String value) {
        // An explicit -D on the command line wins over RUST_LOG.
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
