package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.Disks;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A qemu-io subset for scripts and benchmarks: each -c runs one command on the open image and
 * reports its time as qemu-io does (same lines; -C for the machine-readable one; -q per command or
 * globally for none). Commands: read [-P BYTE] OFF LEN (with -P the bytes are verified),
 * write [-P BYTE | -z] OFF LEN, discard OFF LEN, flush. Only the device calls are timed (not
 * buffer set-up nor pattern checks), as qemu-io times only the request.
 */
final class DiskIo extends VesselCommand {
    /**
     * Requests go to the device in pieces of this size, through one buffer: small enough to stay in
     * the processor's cache, so that a read's copy out of the page cache lands there (4 MiB pieces
     * took 46 ms to read 256 MiB, 1 MiB ones 39 ms; qemu-io reads a request into one buffer of its
     * whole size).
     */
    private static final int BUFFER = 1 << 20;
    private static final Pattern SPACES = Pattern.compile("\\s+");

    List<String> commands = new ArrayList<>();
    boolean readOnly;
    boolean quiet;
    Path file;

    private ByteBuffer buf;
    /** The byte the buffer holds throughout (0..255), or -1 when it holds read data. */
    private int bufFill = -1;

    /** One parsed -c command. */
    private record Cmd(String verb, Integer pattern, boolean zero, boolean machine, boolean quiet, long off, long len) {
        static Cmd parse(String c) {
            String[] w = SPACES.split(c.trim());
            Integer pattern = null;
            boolean zero = false;
            boolean machine = false;
            boolean quiet = false;
            int i = 1;
            for (; i < w.length && w[i].startsWith("-") && w[i].length() > 1; i++) {
                switch (w[i]) {
                    case "-P" -> {
                        if (++i == w.length) {
                            throw new VesselException("disk io: '" + c + "': -P needs a byte value");
                        }
                        pattern = patternByte(w[i]);
                    }
                    case "-z" -> zero = true;
                    case "-C" -> machine = true;
                    case "-q" -> quiet = true;
                    default -> throw new VesselException("disk io: '" + c + "': unknown option " + w[i]);
                }
            }
            if (w[0].equals("flush")) {
                return new Cmd("flush", null, false, false, true, 0, 0);
            }
            if (!List.of("read", "write", "discard").contains(w[0])) {
                throw new VesselException("disk io: unknown command '" + w[0] + "'");
            }
            if (w.length - i != 2) {
                throw new VesselException("disk io: '" + c + "' needs OFFSET LENGTH");
            }
            return new Cmd(w[0], pattern, zero, machine, quiet, Args.size(w[i]), Args.size(w[i + 1]));
        }

        private static int patternByte(String p) {
            try {
                return p.startsWith("0x") ? Integer.parseInt(p.substring(2), 16) : Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new VesselException("disk io: bad pattern '" + p + "'");
            }
        }
    }

    /** A fresh model of `disk io`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskIo c = new DiskIo();
        SpecBuilder s = SpecBuilder.command(c, "io", "Run qemu-io style commands (-c 'write -P 0x11 0 64k') on an image.");
        s.repeatable(v -> c.commands = v, "command to run (repeatable)", "-c").label("CMD");
        s.flag(v -> c.readOnly = v, "open read-only", "-r");
        s.flag(v -> c.quiet = v, "print nothing for successful commands", "-q");
        s.positional("0", "FILE", v -> c.file = Path.of(v), "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        List<Cmd> parsed = commands.stream().map(Cmd::parse).toList();
        boolean writes = !readOnly && parsed.stream().anyMatch(c -> !c.verb().equals("read"));
        int failures = 0;
        // Printed at the end (or on failure), as qemu-io's buffered stdout: no write per command.
        StringBuilder report = new StringBuilder();
        try (BlockDevice d = Disks.open(file, writes)) {
            for (Cmd c : parsed) {
                long t0 = System.nanoTime();
                long nanos;
                switch (c.verb()) {
                    case "flush" -> {
                        d.flush();
                        continue;
                    }
                    case "discard" -> {
                        d.discard(c.off(), c.len());
                        nanos = System.nanoTime() - t0;
                    }
                    case "read" -> {
                        long[] time = new long[1];
                        if (!read(d, c, time)) {
                            report.append("Pattern verification failed at offset ").append(c.off()).append(", ")
                                    .append(c.len()).append(" bytes").append(System.lineSeparator());
                            failures++;
                        }
                        nanos = time[0];
                    }
                    default -> nanos = write(d, c);
                }
                if (!quiet && !c.quiet()) {
                    report.append(IoReport.format(c.verb().equals("write") ? "wrote" : c.verb(), c.off(), c.len(), 1,
                            nanos, c.machine())).append(System.lineSeparator());
                }
            }
        } finally {
            out().print(report);
            out().flush();
        }
        return failures == 0 ? 0 : 1;
    }

    private ByteBuffer buffer(long len) {
        if (buf == null) {
            buf = ByteBuffer.allocateDirect((int) Math.max(4096, Math.min(len, BUFFER)));
        } else if (buf.capacity() < Math.min(len, BUFFER)) {
            buf = ByteBuffer.allocateDirect(BUFFER);
            bufFill = -1;
        }
        return buf.clear();
    }

    /** Writes the pattern (or zeros) and returns the nanoseconds spent in the device's write calls. */
    private long write(BlockDevice d, Cmd c) throws Exception {
        byte fill = (byte) (c.zero() || c.pattern() == null ? 0 : (int) c.pattern());
        ByteBuffer b = buffer(c.len());
        if (bufFill != (fill & 0xff)) {
            byte[] chunk = new byte[b.capacity()];
            Arrays.fill(chunk, fill);
            b.put(0, chunk);
            bufFill = fill & 0xff;
        }
        long nanos = 0;
        long end = c.off() + c.len();
        for (long p = c.off(); p < end; ) {
            int n = (int) Math.min(b.capacity(), end - p);
            b.clear().limit(n);
            long t0 = System.nanoTime();
            d.write(p, b);
            nanos += System.nanoTime() - t0;
            p += n;
        }
        return nanos;
    }

    /** Reads the range (verifying the pattern if any); time[0] gets the nanoseconds in the device's reads. */
    private boolean read(BlockDevice d, Cmd c, long[] time) throws Exception {
        ByteBuffer b = buffer(c.len());
        bufFill = -1;
        boolean ok = true;
        long end = c.off() + c.len();
        for (long p = c.off(); p < end; ) {
            int n = (int) Math.min(b.capacity(), end - p);
            b.clear().limit(n);
            long t0 = System.nanoTime();
            d.read(p, b);
            time[0] += System.nanoTime() - t0;
            if (c.pattern() != null && ok) {
                byte want = (byte) (int) c.pattern();
                for (int i = 0; i < n; i++) {
                    if (b.get(i) != want) {
                        ok = false;
                        break;
                    }
                }
            }
            p += n;
        }
        return ok;
    }
}
