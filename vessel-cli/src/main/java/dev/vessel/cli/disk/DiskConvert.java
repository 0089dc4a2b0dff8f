package dev.vessel.cli.disk;

import dev.vessel.cli.VesselCommand;
import dev.vessel.disk.CreateOptions;
import dev.vessel.disk.Disks;
import dev.vessel.disk.ImageFormat;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "convert", description = "Copy an image (with its chain) into a new standalone image.")
final class DiskConvert extends VesselCommand {
    @Option(names = "-f", paramLabel = "FMT", description = "source format (default: probed)")
    String srcFormat;
    @Option(names = "-O", paramLabel = "FMT", description = "output format (default qcow2)")
    String dstFormat = "qcow2";
    @Option(names = "-c", description = "compress (qcow2 output)")
    boolean compress;
    @Option(names = "-o", paramLabel = "OPTIONS", split = ",", description = "cluster_size=, compat=, compression_type=, subformat=")
    List<String> options = List.of();
    @Option(names = {"-p", "-q"}, description = "accepted for qemu-img compatibility")
    boolean ignored;
    @Option(names = "--timing", description = "print the in-process time (after start-up) as 'time: S sec'")
    boolean timing;
    @Parameters(index = "0", paramLabel = "SRC")
    Path src;
    @Parameters(index = "1", paramLabel = "DST")
    Path dst;

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
