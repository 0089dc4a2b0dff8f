package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.CreateOptions;
import dev.vessel.disk.Disks;
import dev.vessel.disk.ImageFormat;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class DiskConvert extends VesselCommand {
    String srcFormat;
    String dstFormat = "qcow2";
    boolean compress;
    List<String> options = List.of();
    boolean ignored;
    boolean timing;
    Path src;
    Path dst;

    /** A fresh model of `disk convert`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskConvert c = new DiskConvert();
        SpecBuilder s = SpecBuilder.command(c, "convert", "Copy an image (with its chain) into a new standalone image.");
        s.option(String.class, v -> c.srcFormat = v, "source format (default: probed)", "-f").label("FMT");
        s.option(String.class, v -> c.dstFormat = v, "output format (default qcow2)", "-O").label("FMT");
        s.flag(v -> c.compress = v, "compress (qcow2 output)", "-c");
        s.repeatable(v -> c.options = v, "cluster_size=, compat=, compression_type=, subformat=", "-o")
                .label("OPTIONS").split(",");
        s.flag(v -> c.ignored = v, "accepted for qemu-img compatibility", "-p", "-q");
        s.flag(v -> c.timing = v, "print the in-process time (after start-up) as 'time: S sec'", "--timing");
        s.positional("0", "SRC", v -> c.src = Path.of(v), "");
        s.positional("1", "DST", v -> c.dst = Path.of(v), "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        ImageFormat out = Args.format(dstFormat);
        CreateOptions o = CreateOptions.of(out, 0);
        for (String opt : options) {
            String[] kv = opt.split("=", 2);
            String v = kv.length > 1 ? kv[1] : "on";
            switch (kv[0]) {
                case "cluster_size" -> o = o.withClusterSize((int) Args.size(v));
                case "compat" -> o = o.withCompatV2(v.equals("0.10"));
                case "compression_type" -> o = o.withCompression(v);
                case "subformat" -> o = o.withVhdSubformat(v);
                default -> throw new dev.vessel.cli.VesselException("disk convert: unknown option '" + kv[0] + "'");
            }
        }
        Disks.convert(src, Args.format(srcFormat), dst, o, compress);
        if (timing) {
            out().println(IoReport.elapsed(t0));
        }
        return 0;
    }
}
