package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.Disks;
import dev.vessel.disk.ImageInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class DiskInfo extends VesselCommand {
    boolean chain;
    String output = "human";
    String format;
    Path file;

    /** A fresh model of `disk info`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskInfo c = new DiskInfo();
        SpecBuilder s = SpecBuilder.command(c, "info", "Show an image's format, size, backing file, snapshots (as qemu-img info).");
        s.flag(v -> c.chain = v, "also show every image below", "--backing-chain");
        s.option(String.class, v -> c.output = v, "", "--output").label("human|json");
        s.option(String.class, v -> c.format = v, "accepted for qemu-img compatibility", "-f").label("FMT");
        s.positional("0", "FILE", v -> c.file = Path.of(v), "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        if (!output.equals("human") && !output.equals("json")) {
            throw new VesselException("disk info: --output takes human or json, not '" + output + "'");
        }
        List<ImageInfo> infos = chain ? Disks.backingChain(file) : List.of(Disks.info(file));
        if (output.equals("json")) {
            if (chain) {
                List<Object> l = new ArrayList<>();
                for (ImageInfo i : infos) {
                    l.add(InfoFormat.json(i));
                }
                out().println(Json.write(l));
            } else {
                out().println(Json.write(InfoFormat.json(infos.get(0))));
            }
        } else {
            for (int k = 0; k < infos.size(); k++) {
                if (k > 0) {
                    out().println();
                }
                out().print(InfoFormat.human(infos.get(k)));
            }
        }
        return 0;
    }
}
