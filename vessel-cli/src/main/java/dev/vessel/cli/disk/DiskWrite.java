package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.Disks;
import java.io.InputStream;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class DiskWrite extends VesselCommand {
    /** Where data comes from without -P; tests may replace it. */
    static InputStream source = System.in;

    String pattern;
    Path file;
    String offset;
    String length;

    /** A fresh model of `disk write`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskWrite c = new DiskWrite();
        SpecBuilder s = SpecBuilder.command(c, "write", "Write LENGTH bytes at OFFSET: a repeated byte (-P) or data from standard input.");
        s.option(String.class, v -> c.pattern = v, "pattern byte, 0xNN or decimal", "-P").label("BYTE");
        s.positional("0", "FILE", v -> c.file = Path.of(v), "");
        s.positional("1", "OFFSET", v -> c.offset = v, "");
        s.positional("2", "LENGTH", v -> c.length = v, "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        long off = Args.size(offset);
        long len = Args.size(length);
        Integer p = null;
        if (pattern != null) {
            try {
                p = pattern.startsWith("0x") || pattern.startsWith("0X") ? Integer.parseInt(pattern.substring(2), 16)
                        : Integer.parseInt(pattern);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 0 || p > 255) {
                throw new VesselException("disk write: pattern must be a byte (0xNN or 0..255), not '" + pattern + "'");
            }
        }
        byte[] input = null;
        if (p == null) {
            // Read all of standard input first, so a short input changes nothing.
            if (len > (1L << 30)) {
                throw new VesselException("disk write: at most 1G from standard input");
            }
            input = source.readNBytes((int) len);
            if (input.length < len) {
                throw new VesselException("disk write: standard input ended after " + input.length + " of " + len
                        + " bytes; nothing written");
            }
        }
        try (BlockDevice d = Disks.open(file, true)) {
            if (input != null) {
                d.write(off, input, 0, input.length);
            } else {
                byte[] buf = new byte[(int) Math.min(Math.max(len, 1), 4 << 20)];
                java.util.Arrays.fill(buf, (byte) (int) p);
                while (len > 0) {
                    int n = (int) Math.min(len, buf.length);
                    d.write(off, buf, 0, n);
                    off += n;
                    len -= n;
                }
            }
            d.flush();
        }
        return 0;
    }
}
