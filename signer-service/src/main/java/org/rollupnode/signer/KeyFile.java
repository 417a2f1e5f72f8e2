package org.rollupnode.signer;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@code --signer.key-file}: 64 hex characters, optional 0x, surrounding whitespace trimmed
 * as the Rust node does. Errors name the file and the problem but never echo its contents.
 */
public final class KeyFile {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::signer");
    static final BigInteger CURVE_ORDER =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    private KeyFile() {}

    public static BigInteger read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Failed to read signer key file " + path + ": file does not exist");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("Failed to read signer key file " + path + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException("Failed to read signer key file " + path + ": " + e.getClass().getSimpleName());
        }
        warnIfReadableByOthers(path);
        return parse(text, path.toString());
    }

    static BigInteger parse(String text, String source) {
        String s = text.strip();
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        if (s.length() != 64) {
            throw new IllegalArgumentException("Failed to decode hex private key from file " + source
                    + ": expected 64 hex characters, found " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            if (org.rollupnode.execution.types.Hex.nibble(s.charAt(i)) < 0) {
                throw new IllegalArgumentException("Failed to decode hex private key from file " + source
                        + ": non-hex character at position " + i);
            }
        }
        BigInteger key = new BigInteger(s, 16);
        if (key.signum() == 0 || key.compareTo(CURVE_ORDER) >= 0) {
            throw new IllegalArgumentException("Failed to create signer from key file " + source
                    + ": the key is not a valid secp256k1 scalar (zero or not below the curve order)");
        }
        return key;
    }

    private static void warnIfReadableByOthers(Path path) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("Signer key file {} is readable by group or others; restrict it with chmod 600", path);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to check
        }
    }
}
