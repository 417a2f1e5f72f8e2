package org.rollupnode.execution.fee;

import com.github.luben.zstd.util.ZstdVersion;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * zstd exactly as Scroll compresses a transaction for its L1 fee (scroll-reth
 * {@code tx/compression.rs} → da-codec {@code libzstd/encoder-standard} {@code init_zstd_encoder(N_BLOCK_SIZE_TARGET)}):
 * libzstd 1.5.7, level 0 (= default), literal compression disabled, window log 22, target compressed
 * block size 124 KiB, no checksum, magicless frame, no dictionary id, content size written, pledged
 * source size = input length, then one streaming {@code ZSTD_e_continue} pass and {@code ZSTD_e_end}.
 *
 * <p>Why not zstd-jni's Java API alone: it has no setter for {@code ZSTD_c_literalCompressionMode}
 * or {@code ZSTD_c_targetCBlockSize}, and both change the output. So we call the libzstd 1.5.7 that
 * zstd-jni ships (its native library exports the {@code ZSTD_*} advanced API) through JNA, setting
 * every parameter by its {@code zstd.h} id. Using zstd-jni's own binary keeps the library version
 * pinned to the one Scroll's encoder links (zstd-sys 2.0.15+zstd.1.5.7).
 */
public final class ScrollZstd {
    /** Window log Scroll uses (da-codec CL_WINDOW_LIMIT). */
    public static final int WINDOW_LOG = 22;
    /** Target compressed block size of da-codec's standard encoder (N_BLOCK_SIZE_TARGET = 124 * 1024). */
    public static final int TARGET_C_BLOCK_SIZE = 124 * 1024;
    /** The libzstd release whose output Scroll's fee depends on; zstd-jni versions are "1.5.7-N". */
    public static final String REQUIRED_LIBZSTD = "1.5.7";

    // zstd.h 1.5.7 parameter ids (stable ones, and the experimental ones behind ZSTD_STATIC_LINKING_ONLY).
    static final int ZSTD_C_COMPRESSION_LEVEL = 100;
    static final int ZSTD_C_WINDOW_LOG = 101;
    static final int ZSTD_C_TARGET_C_BLOCK_SIZE = 130;
    static final int ZSTD_C_CONTENT_SIZE_FLAG = 200;
    static final int ZSTD_C_CHECKSUM_FLAG = 201;
    static final int ZSTD_C_DICT_ID_FLAG = 202;
    static final int ZSTD_C_FORMAT = 10; // ZSTD_c_experimentalParam2
    static final int ZSTD_C_LITERAL_COMPRESSION_MODE = 1002; // ZSTD_c_experimentalParam5
    static final int ZSTD_F_ZSTD1_MAGICLESS = 1;
    static final int ZSTD_PS_DISABLE = 2;
    static final int ZSTD_E_CONTINUE = 0;
    static final int ZSTD_E_END = 2;
    static final int ZSTD_RESET_SESSION_ONLY = 1;
    static final long ZSTD_ERROR_MAX_CODE = 120; // zstd_errors.h ZSTD_error_maxCode

    private static final BigInteger PRECISION = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger U256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private ScrollZstd() {}

    /**
     * {@code min(len(zstd(data)), len(data))}, 0 for empty input: the Galileo "compressed size".
     */
    public static int compressedSize(byte[] data) {
        if (data.length == 0) {
            return 0;
        }
        return Math.min(compress(data).length, data.length);
    }

    /**
     * Feynman's compression ratio, scaled by 1e9: {@code len * 1e9 / compressedSize}; exactly 1e9
     * when zstd does not shrink the data; 2^256-1 for empty data ("infinitely compressible").
     */
    public static BigInteger compressionRatio(byte[] data) {
        if (data.length == 0) {
            return U256_MAX;
        }
        int cs = compressedSize(data);
        if (cs == data.length) {
            return PRECISION;
        }
        return BigInteger.valueOf(data.length).multiply(PRECISION).divide(BigInteger.valueOf(cs));
    }

    /** The full magicless zstd frame, as Scroll's encoder writes it. */
    public static byte[] compress(byte[] data) {
        Holder.ensureLoaded();
        Context ctx = CONTEXT.get();
        Pointer cctx = ctx.cctx;
        // A fresh frame on a context whose parameters are already set; the parameters are sticky.
        check(LibZstd.ZSTD_CCtx_reset(cctx, ZSTD_RESET_SESSION_ONLY), "CCtx_reset");
        check(LibZstd.ZSTD_CCtx_setPledgedSrcSize(cctx, data.length), "setPledgedSrcSize");

        // An empty frame still needs a valid (unused) source buffer.
        byte[] src = data.length > 0 ? data : new byte[1];
        long capacity = compressBound(data.length) + 64;
        byte[] dst = ctx.dst(Math.toIntExact(capacity));
        long[] dstPos = ctx.dstPos;
        long[] srcPos = ctx.srcPos;
        dstPos[0] = 0;
        srcPos[0] = 0;
        // Same call sequence as the Rust `zstd` stream Encoder: write_all (continue), then finish (end).
        while (srcPos[0] < data.length) {
            long consumedBefore = srcPos[0];
            long writtenBefore = dstPos[0];
            check(LibZstd.ZSTD_compressStream2_simpleArgs(cctx, dst, capacity, dstPos, src, data.length, srcPos,
                    ZSTD_E_CONTINUE), "compressStream2(continue)");
            if (srcPos[0] == consumedBefore && dstPos[0] == writtenBefore) {
                throw new IllegalStateException("zstd: compression made no progress");
            }
        }
        long remaining;
        do {
            remaining = check(LibZstd.ZSTD_compressStream2_simpleArgs(cctx, dst, capacity, dstPos, src,
                    data.length, srcPos, ZSTD_E_END), "compressStream2(end)");
            if (remaining != 0 && dstPos[0] >= capacity) {
                throw new IllegalStateException("zstd: output buffer exhausted before the frame ended");
            }
        } while (remaining != 0);
        return java.util.Arrays.copyOf(dst, Math.toIntExact(dstPos[0]));
    }

    /**
     * One configured context per thread: creating and sizing a context costs far more than
     * compressing a transaction. A context is freed when its thread's holder becomes unreachable.
     */
    private static final ThreadLocal<Context> CONTEXT = ThreadLocal.withInitial(Context::new);
    private static final Cleaner CLEANER = Cleaner.create();

    private static final class Context {
        final Pointer cctx;
        final long[] dstPos = new long[1];
        final long[] srcPos = new long[1];
        /**
         * Output buffer reused across frames for transaction-sized input; JNA copies a whole array
         * in and out of each call, so a rare large input gets its own buffer rather than growing this.
         */
        private final byte[] dst = new byte[1024];

        byte[] dst(int capacity) {
            return capacity <= dst.length ? dst : new byte[capacity];
        }

        Context() {
            Holder.ensureLoaded();
            Pointer p = LibZstd.ZSTD_createCCtx();
            if (p == null) {
                throw new IllegalStateException("zstd: ZSTD_createCCtx failed (out of memory)");
            }
            try {
                set(p, ZSTD_C_COMPRESSION_LEVEL, 0, "compressionLevel");
                set(p, ZSTD_C_LITERAL_COMPRESSION_MODE, ZSTD_PS_DISABLE, "literalCompressionMode");
                set(p, ZSTD_C_WINDOW_LOG, WINDOW_LOG, "windowLog");
                set(p, ZSTD_C_TARGET_C_BLOCK_SIZE, TARGET_C_BLOCK_SIZE, "targetCBlockSize");
                set(p, ZSTD_C_CHECKSUM_FLAG, 0, "checksumFlag");
                set(p, ZSTD_C_FORMAT, ZSTD_F_ZSTD1_MAGICLESS, "format");
                set(p, ZSTD_C_DICT_ID_FLAG, 0, "dictIDFlag");
                set(p, ZSTD_C_CONTENT_SIZE_FLAG, 1, "contentSizeFlag");
            } catch (RuntimeException e) {
                LibZstd.ZSTD_freeCCtx(p);
                throw e;
            }
            this.cctx = p;
            CLEANER.register(this, () -> LibZstd.ZSTD_freeCCtx(p));
        }
    }

    private static void set(Pointer cctx, int param, int value, String name) {
        check(LibZstd.ZSTD_CCtx_setParameter(cctx, param, value), "setParameter(" + name + "=" + value + ")");
    }

    /**
     * {@code ZSTD_isError} without a native call (a JNA call costs about as much as the check is
     * worth per frame): libzstd's error codes are the last {@code ZSTD_error_maxCode} values of size_t.
     * {@link Holder} checks at load that it agrees with the library.
     */
    static boolean isError(long code) {
        return Long.compareUnsigned(code, -ZSTD_ERROR_MAX_CODE) > 0;
    }

    /** {@code ZSTD_COMPRESSBOUND} from zstd.h (a macro of the stable API), checked against the library at load. */
    static long compressBound(long srcSize) {
        long margin = srcSize < (128 << 10) ? ((128 << 10) - srcSize) >> 11 : 0;
        return srcSize + (srcSize >> 8) + margin;
    }

    private static long check(long code, String what) {
        if (isError(code)) {
            throw new IllegalStateException("zstd: " + what + " failed: " + LibZstd.ZSTD_getErrorName(code));
        }
        return code;
    }

    /**
     * The subset of libzstd's C API used here, bound with JNA direct mapping: an interface proxy
     * costs microseconds per call, as much as compressing a transfer. size_t is mapped to long
     * (64-bit platforms only, checked at load); {@code size_t*} positions are one-element arrays.
     */
    static final class LibZstd {
        private LibZstd() {}

        static native Pointer ZSTD_createCCtx();

        static native long ZSTD_freeCCtx(Pointer cctx);

        static native long ZSTD_CCtx_setParameter(Pointer cctx, int param, int value);

        static native long ZSTD_CCtx_reset(Pointer cctx, int reset);

        static native long ZSTD_CCtx_setPledgedSrcSize(Pointer cctx, long pledgedSrcSize);

        static native long ZSTD_compressStream2_simpleArgs(Pointer cctx, byte[] dst, long dstCapacity, long[] dstPos,
                byte[] src, long srcSize, long[] srcPos, int endOp);

        static native long ZSTD_compressBound(long srcSize);

        static native int ZSTD_isError(long code);

        static native String ZSTD_getErrorName(long code);
    }

    /** Loaded on first use, so a wrong platform fails where the fee is needed, with the reason. */
    private static final class Holder {
        private static final boolean LOADED = load();

        /** Binds {@link LibZstd} on first use; a wrong platform fails here with the reason. */
        static void ensureLoaded() {
            if (!LOADED) {
                throw new IllegalStateException("zstd: native library not bound");
            }
        }

        private static boolean load() {
            String version = ZstdVersion.VERSION;
            if (!version.startsWith(REQUIRED_LIBZSTD + "-")) {
                throw new IllegalStateException("zstd-jni " + version + " is on the classpath, but Scroll's L1 fee needs"
                        + " libzstd " + REQUIRED_LIBZSTD + " (zstd-jni " + REQUIRED_LIBZSTD + "-N): another dependency"
                        + " overrode the version; pin com.github.luben:zstd-jni in dependencyManagement");
            }
            if (Native.SIZE_T_SIZE != 8) {
                throw new IllegalStateException("Scroll's L1 fee compression needs a 64-bit JVM (size_t is "
                        + Native.SIZE_T_SIZE + " bytes here)");
            }
            String resource = resourceName(version);
            Path file;
            try (InputStream in = ZstdVersion.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("zstd-jni " + version + " has no native library for this platform ("
                            + resource + ")");
                }
                file = Files.createTempFile("rollup-node-libzstd-", resource.substring(resource.lastIndexOf('.')));
                file.toFile().deleteOnExit();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract zstd-jni's native library " + resource, e);
            }
            Native.register(LibZstd.class, NativeLibrary.getInstance(file.toAbsolutePath().toString()));
            for (long code : new long[] {0, 1, 4096, -ZSTD_ERROR_MAX_CODE - 1, -ZSTD_ERROR_MAX_CODE, -ZSTD_ERROR_MAX_CODE + 1, -1}) {
                if (isError(code) != (LibZstd.ZSTD_isError(code) != 0)) {
                    throw new IllegalStateException("zstd: ZSTD_isError(" + Long.toUnsignedString(code) + ") disagrees"
                            + " with this library's error range");
                }
            }
            for (long size : new long[] {0, 1, 255, 256, 4096, (128 << 10) - 1, 128 << 10, 1 << 20}) {
                if (compressBound(size) != LibZstd.ZSTD_compressBound(size)) {
                    throw new IllegalStateException("zstd: ZSTD_compressBound(" + size + ") disagrees with this library");
                }
            }
            return true;
        }

        // Mirrors the layout of the zstd-jni jar: /<os>/<arch>/libzstd-jni-<version>.<ext>
        private static String resourceName(String version) {
            String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch");
            String dir;
            String ext;
            if (os.startsWith("linux")) {
                dir = "linux";
                ext = "so";
            } else if (os.startsWith("mac") || os.startsWith("darwin")) {
                dir = "darwin";
                ext = "dylib";
                if (arch.equals("amd64")) {
                    arch = "x86_64";
                }
            } else if (os.startsWith("windows")) {
                dir = "win";
                ext = "dll";
            } else {
                dir = os.replace(' ', '_');
                ext = "so";
            }
            return "/" + dir + "/" + arch + "/libzstd-jni-" + version + "." + ext;
        }
    }
}
