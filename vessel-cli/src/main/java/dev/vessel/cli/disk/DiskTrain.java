package dev.vessel.cli.disk;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.Vessel;
import dev.vessel.cli.VesselCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Hidden: runs the common disk verbs on small scratch images so that bin/build's AOT training
 * records the disk engine's classes (qcow2, raw, chains, copies) and not only the help text.
 */
final class DiskTrain extends VesselCommand {
    static CommandSpec spec() {
        DiskTrain c = new DiskTrain();
        SpecBuilder s = SpecBuilder.command(c, "__train", "Train the AOT cache on scratch images.").hidden();
        c.spec = s.spec();
        return s.spec();
    }

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("vessel-disk-train");
        try {
            String base = dir.resolve("base.qcow2").toString();
            String top = dir.resolve("top.qcow2").toString();
            String raw = dir.resolve("copy.raw").toString();
            List<List<String>> lines = List.of(
                    List.of("create", "-q", base, "8M"),
                    List.of("io", "-c", "write -P 0x11 0 2M", "-c", "write -C 4M 4k", "-c", "read -P 0x11 0 1M", base),
                    List.of("clone", base, top),
                    List.of("io", "-c", "write -P 0x22 1M 4k", "-c", "write -z 64k 64k", "-c", "discard 2M 64k",
                            "-c", "read -C 1M 4k", "-c", "read -q 0 4k", "-c", "flush", top),
                    List.of("io", "-r", "-c", "read -C 512k 4k", "-c", "read 0 1M", top),
                    List.of("info", "--backing-chain", top),
                    List.of("map", top),
                    List.of("convert", "--timing", "-O", "raw", top, raw),
                    List.of("map", raw),
                    List.of("convert", "-f", "raw", "-O", "qcow2", raw, dir.resolve("back.qcow2").toString()),
                    List.of("compare", top, raw),
                    List.of("commit", "--timing", top),
                    List.of("check", base));
            for (List<String> line : lines) {
                String[] args = Stream.concat(Stream.of("disk"), line.stream()).toArray(String[]::new);
                Vessel.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return 0;
    }
}
