package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.Disks;
import dev.vessel.disk.Extent;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class DiskMap extends VesselCommand {
    String output = "human";
    Path file;

    /** A fresh model of `disk map`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskMap c = new DiskMap();
        SpecBuilder s = SpecBuilder.command(c, "map", "Show where the image's data is stored (as qemu-img map).");
        s.option(String.class, v -> c.output = v, "", "--output").label("human|json");
        s.positional("0", "FILE", v -> c.file = Path.of(v), "");
        c.spec = s.spec();
        return s.spec();
    }

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
        out().println(column("Offset") + column("Length") + column("Mapped to") + "File");
        for (Extent e : map) {
            if (e.data() && e.hostOffset() >= 0) {
                out().println(column(hex(e.offset())) + column(hex(e.length())) + column(hex(e.hostOffset())) + e.file());
            }
        }
        return 0;
    }

    /** C's %#x: 0 stays "0". */
    private static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    /** printf's %-16s (String.format's parser costs a short command more than its whole map). */
    private static String column(String s) {
        return s.length() >= 16 ? s : s + " ".repeat(16 - s.length());
    }
}
