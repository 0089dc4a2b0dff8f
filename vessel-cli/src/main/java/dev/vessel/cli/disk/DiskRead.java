package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.Disks;
import java.io.OutputStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "read", description = "Write LENGTH guest bytes at OFFSET to standard output.")
final class DiskRead extends VesselCommand {
    /** Where bytes go; tests may replace it. */
    static OutputStream sink = System.out;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;
    @Parameters(index = "1", paramLabel = "OFFSET")
    String offset;
    @Parameters(index = "2", paramLabel = "LENGTH")
    String length;

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
