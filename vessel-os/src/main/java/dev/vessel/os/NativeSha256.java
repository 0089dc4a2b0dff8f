package dev.vessel.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.security.MessageDigest;

/**
 * SHA-256 from the system's libcrypto (OpenSSL 3, which uses the CPU's SHA instructions),
 * as a {@link MessageDigest}. Hashing is what bounds image load and save; the JDK's own
 * SHA-256 is fast only once C2 has compiled it, which a short-lived CLI run (C1 only, for
 * start-up) never reaches. {@link #create()} falls back to the JDK when libcrypto is absent.
 */
public final class NativeSha256 extends MessageDigest {
    private static final long CTX_SIZE = 112; // sizeof(SHA256_CTX) is 112 on 64-bit; allocate generously
    private static final MethodHandle INIT;
    private static final MethodHandle UPDATE;
    private static final MethodHandle FINAL;

    static {
        MethodHandle init = null;
        MethodHandle update = null;
        MethodHandle fin = null;
        try {
            SymbolLookup crypto = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
            Linker linker = Linker.nativeLinker();
            init = linker.downcallHandle(crypto.find("SHA256_Init").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            // Critical with heap access: hashes a Java byte[] in place, no copy.
            update = linker.downcallHandle(crypto.find("SHA256_Update").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                    Linker.Option.critical(true));
            fin = linker.downcallHandle(crypto.find("SHA256_Final").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        } catch (RuntimeException e) {
            init = null;
        }
        INIT = init;
        UPDATE = init == null ? null : update;
        FINAL = init == null ? null : fin;
    }

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment ctx = arena.allocate(CTX_SIZE * 2, 16);
    private final MemorySegment out = arena.allocate(32);
    private final byte[] one = new byte[1];

    private NativeSha256() {
        super("SHA-256");
        engineReset();
    }

    /** True when libcrypto's SHA-256 is available. */
    public static boolean available() {
        return INIT != null;
    }

    /** A SHA-256 digest: libcrypto's when available, else the JDK's. */
    public static MessageDigest create() {
        if (available()) {
            return new NativeSha256();
        }
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    protected void engineUpdate(byte input) {
        one[0] = input;
        engineUpdate(one, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int length) {
        if (length == 0) {
            return;
        }
        try {
            int r = (int) UPDATE.invokeExact(ctx, MemorySegment.ofArray(input).asSlice(offset, length), (long) length);
            check(r, "SHA256_Update");
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    protected byte[] engineDigest() {
        try {
            int r = (int) FINAL.invokeExact(out, ctx);
            check(r, "SHA256_Final");
            byte[] result = out.toArray(ValueLayout.JAVA_BYTE);
            engineReset();
            return result;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    protected void engineReset() {
        try {
            int r = (int) INIT.invokeExact(ctx);
            check(r, "SHA256_Init");
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }

    private static void check(int result, String call) {
        if (result != 1) {
            throw new IllegalStateException("libcrypto " + call + " failed");
        }
    }
}
