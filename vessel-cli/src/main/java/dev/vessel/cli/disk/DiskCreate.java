package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.CreateOptions;
import dev.vessel.disk.Disks;
import dev.vessel.disk.ImageFormat;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class DiskCreate extends VesselCommand {
    String format = "qcow2";
    String backing;
    String backingFormat;
    List<String> options = List.of();
    boolean quiet;
    Path file;
    String size;

    /** A fresh model of `disk create`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        DiskCreate c = new DiskCreate();
        SpecBuilder s = SpecBuilder.command(c, "create", "Create a disk image (a differencing image with -b).");
        s.option(String.class, v -> c.format = v, "qcow2 (default), raw or vhd", "-f").label("FMT");
        s.option(String.class, v -> c.backing = v, "backing file (relative to FILE's directory)", "-b").label("BASE");
        s.option(String.class, v -> c.backingFormat = v, "format of the backing file (default: probed)", "-F")
                .label("FMT");
        s.repeatable(v -> c.options = v, "cluster_size=, compat=0.10|1.1, refcount_bits=, compression_type=zlib|zstd,"
                + " lazy_refcounts=on, subformat=fixed|dynamic", "-o").label("OPTIONS").split(",");
        s.flag(v -> c.quiet = v, "quiet", "-q");
        s.positional("0", "FILE", v -> c.file = Path.of(v), "");
        s.optionalPositional("1", "SIZE", v -> c.size = v, "");
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws Exception {
        ImageFormat fmt = Args.format(format);
        long bytes = size == null ? -1 : Args.size(size);
        if (bytes < 0 && backing == null) {
            throw new VesselException("disk create: SIZE is required without a backing file (-b)");
        }
        CreateOptions o = CreateOptions.of(fmt, bytes);
        boolean lazy = false;
        for (String opt : options) {
            String[] kv = opt.split("=", 2);
            String v = kv.length > 1 ? kv[1] : "on";
            switch (kv[0]) {
                case "cluster_size" -> o = o.withClusterSize((int) Args.size(v));
                case "compat" -> o = o.withCompatV2(v.equals("0.10") || v.equals("v2"));
                case "refcount_bits" -> o = o.withRefcountBits(Integer.parseInt(v));
                case "compression_type" -> o = o.withCompression(v);
                case "subformat" -> o = o.withVhdSubformat(v);
                case "lazy_refcounts" -> lazy = v.equals("on") || v.equals("true");
                case "backing_file" -> backing = v;
                case "backing_fmt" -> backingFormat = v;
                default -> throw new VesselException("disk create: unknown option '" + kv[0] + "'");
            }
        }
        if (lazy) {
            o = new CreateOptions(o.format(), o.size(), o.backingFile(), o.backingFormat(), o.clusterSize(),
                    o.compatV2(), true, o.refcountBits(), o.compression(), o.vhdSubformat());
        }
        if (backing != null) {
            o = o.withBacking(backing, Args.format(backingFormat));
        }
        Disks.create(file, o);
        if (!quiet) {
            out().println("Formatting '" + file + "', fmt=" + fmt.qemuName()
                    + (bytes >= 0 ? " size=" + bytes : "") + (backing != null ? " backing_file=" + backing : ""));
        }
        return 0;
    }
}
