package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.Disks;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A qemu-io subset for scripts and benchmarks: each -c runs one command on the open image.
 * Commands: read [-P BYTE] OFF LEN (with -P the bytes are verified), write [-P BYTE | -z] OFF LEN,
 * discard OFF LEN, flush.
 */
@Command(name = "io", description = "Run qemu-io style commands (-c 'write -P 0x11 0 64k') on an image.")
final class DiskIo extends VesselCommand {
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    @Option(names = "-c", paramLabel = "CMD", description = "command to run (repeatable)")
    List<String> commands = new ArrayList<>();
    @Option(names = "-r", description = "open read-only")
    boolean readOnly;
    @Option(names = "-q", description = "print nothing for successful commands")
    boolean quiet;
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
        boolean writes = !readOnly && commands.stream().anyMatch(c -> !c.startsWith("read"));
        int failures = 0;
        byte[] data = null;
        try (BlockDevice d = Disks.open(file, writes)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            for (String c : commands) {
                String[] w = SPACES.split(c.trim());
                List<String> args = new ArrayList<>(List.of(w).subList(1, w.length));
                Integer pattern = null;
                boolean zero = false;
                if (!args.isEmpty() && args.get(0).equals("-P") && args.size() > 1) {
                    String p = args.get(1);
                    pattern = p.startsWith("0x") ? Integer.parseInt(p.substring(2), 16) : Integer.parseInt(p);
                    args = args.subList(2, args.size());
                } else if (!args.isEmpty() && args.get(0).equals("-z")) {
                    zero = true;
                    args = args.subList(1, args.size());
                }
                switch (w[0]) {
                    case "flush" -> d.flush();
                    case "read", "write", "discard" -> {
                        if (args.size() != 2) {
                            throw new VesselException("disk io: '" + c + "' needs OFFSET LENGTH");
                        }
                        long off = Args.size(args.get(0));
                        long len = Args.size(args.get(1));
                        if (w[0].equals("discard")) {
                            d.discard(off, len);
                        } else if (w[0].equals("read")) {
                            if (!verify(d, buf, off, len, pattern)) {
                                out().println("Pattern verification failed at offset " + off + ", " + len + " bytes");
                                failures++;
                            }
                        } else {
                            byte fill = (byte) (zero || pattern == null ? 0 : (int) pattern);
                            if (data == null || data[0] != fill || data.length < Math.min(len, 4 << 20)) {
                                data = new byte[(int) Math.max(1, Math.min(len, 4 << 20))];
                                java.util.Arrays.fill(data, fill);
                            }
                            long p = off;
                            while (p < off + len) {
                                int n = (int) Math.min(data.length, off + len - p);
                                d.write(p, ByteBuffer.wrap(data, 0, n));
                                p += n;
                            }
                        }
                        if (!quiet) {
                            out().println(w[0] + " " + len + "/" + len + " bytes at offset " + off);
                        }
                    }
                    default -> throw new VesselException("disk io: unknown command '" + w[0] + "'");
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static boolean verify(BlockDevice d, ByteBuffer buf, long off, long len, Integer pattern) throws Exception {
        boolean ok = true;
        long p = off;
        while (p < off + len) {
            int n = (int) Math.min(buf.capacity(), off + len - p);
            buf.clear().limit(n);
            d.read(p, buf);
            if (pattern != null) {
                byte want = (byte) (int) pattern;
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) != want) {
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
