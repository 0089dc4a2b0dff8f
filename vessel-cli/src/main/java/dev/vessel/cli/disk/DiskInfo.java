package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.Disks;
import dev.vessel.disk.ImageInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "info", description = "Show an image's format, size, backing file, snapshots (as qemu-img info).")
final class DiskInfo extends VesselCommand {
    @Option(names = "--backing-chain", description = "also show every image below")
    boolean chain;
    @Option(names = "--output", paramLabel = "human|json")
    String output = "human";
    @Option(names = "-f", paramLabel = "FMT", description = "accepted for qemu-img compatibility")
    String format;
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

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
