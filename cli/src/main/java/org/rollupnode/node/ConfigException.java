package org.rollupnode.node;

/** A bad flag or flag combination: reported as one line, exit code 2, before anything starts. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
