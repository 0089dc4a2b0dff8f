package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.disk.CreateOptions;
import dev.vessel.disk.Disks;
import dev.vessel.disk.ImageFormat;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a disk image (a differencing image with -b).")
final class DiskCreate extends VesselCommand {
    @Option(names = "-f", paramLabel = "FMT", description = "qcow2 (default), raw or vhd")
    String format = "qcow2";
    @Option(names = "-b", paramLabel = "BASE", description = "backing file (relative to FILE's directory)")
    String backing;
    @Option(names = "-F", paramLabel = "FMT", description = "format of the backing file (default: probed)")
    String backingFormat;
    @Option(names = "-o", paramLabel = "OPTIONS", split = ",",
            description = "cluster_size=, compat=0.10|1.1, refcount_bits=, compression_type=zlib|zstd, lazy_refcounts=on, subformat=fixed|dynamic")
    List<String> options = List.of();
    @Option(names = "-q", description = "quiet")
    boolean quiet;
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;
    @Parameters(index = "1", paramLabel = "SIZE", arity = "0..1")
    String size;

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
