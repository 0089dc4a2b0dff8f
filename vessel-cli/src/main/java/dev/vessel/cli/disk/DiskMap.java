package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import dev.vessel.disk.Extent;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "map", description = "Show where the image's data is stored (as qemu-img map).")
final class DiskMap extends VesselCommand {
    @Option(names = "--output", paramLabel = "human|json")
    String output = "human";
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
        List<Extent> map = Disks.map(file);
        if (output.equals("json")) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < map.size(); i++) {
                Extent e = map.get(i);
                sb.append(i == 0 ? "" : ",\n");
                sb.append("{ \"start\": ").append(e.offset()).append(", \"length\": ").append(e.length())
                        .append(", \"depth\": ").append(e.depth()).append(", \"present\": ").append(e.present())
                        .append(", \"zero\": ").append(e.zero()).append(", \"data\": ").append(e.data());
                if (e.hostOffset() >= 0) {
                    sb.append(", \"offset\": ").append(e.hostOffset());
                }
                sb.append('}');
            }
            out().println(sb.append(']'));
            return 0;
        }
        out().printf("%-16s%-16s%-16s%s%n", "Offset", "Length", "Mapped to", "File");
        for (Extent e : map) {
            if (e.data() && e.hostOffset() >= 0) {
                out().printf("%-16s%-16s%-16s%s%n", hex(e.offset()), hex(e.length()), hex(e.hostOffset()), e.file());
            }
        }
        return 0;
    }

    /** C's %#x: 0 stays "0". */
    private static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }
}
