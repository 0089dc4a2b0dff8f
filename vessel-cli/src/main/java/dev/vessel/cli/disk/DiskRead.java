package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.Disks;
import java.io.OutputStream;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class DiskRead extends VesselCommand {
    /** Where bytes go; tests may replace it. */
    static OutputStream sink = System.out;

    Path file;
    String offset;
    String length;

    /** A fresh model of `disk read`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskRead c = new DiskRead();
        SpecBuilder s = SpecBuilder.command(c, "read", "Write LENGTH guest bytes at OFFSET to standard output.");
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
        try (BlockDevice d = Disks.open(file, false)) {
            byte[] buf = new byte[(int) Math.min(len, 1 << 20)];
            while (len > 0) {
                int n = (int) Math.min(len, buf.length);
                d.read(off, buf, 0, n);
                sink.write(buf, 0, n);
                off += n;
                len -= n;
            }
            sink.flush();
        }
        return 0;
    }
}
