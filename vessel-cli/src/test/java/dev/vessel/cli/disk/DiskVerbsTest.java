package dev.vessel.cli.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.cli.CliRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vessel disk ...` end to end, checked against qemu-img where it is installed. */
class DiskVerbsTest {
    @TempDir
    Path dir;

    private static boolean qemu() {
        return Files.isExecutable(Path.of("/usr/bin/qemu-img")) && Files.isExecutable(Path.of("/usr/bin/qemu-io"));
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private String f(String name) {
        return dir.resolve(name).toString();
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.status()).as("vessel %s: %s%s", String.join(" ", args), r.out(), r.err()).isZero();
        return r;
    }

    @Test
    void createWriteReadAndInfoLikeQemuImg() throws Exception {
        ok("disk", "create", "-q", f("a.qcow2"), "64M");
        ok("disk", "write", "-P", "0xab", f("a.qcow2"), "1000", "100k");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DiskRead.sink = bytes;
        try {
            ok("disk", "read", f("a.qcow2"), "999", "3");
        } finally {
            DiskRead.sink = System.out;
        }
        assertThat(bytes.toByteArray()).containsExactly(0, 0xab, 0xab);
        String info = ok("disk", "info", f("a.qcow2")).out();
        assertThat(info).contains("file format: qcow2").contains("virtual size: 64 MiB (67108864 bytes)")
                .contains("cluster_size: 65536").contains("compat: 1.1");
        String json = ok("disk", "info", "--output", "json", f("a.qcow2")).out();
        assertThat(json).contains("\"virtual-size\": 67108864").contains("\"format\": \"qcow2\"")
                .contains("\"refcount-bits\": 16");
        if (qemu()) {
            assertThat(info.replaceAll("disk size: .*\n", ""))
                    .isEqualTo(run("qemu-img", "info", f("a.qcow2")).replaceAll("disk size: .*\n", ""));
            assertThat(json.replaceAll(".*actual-size.*\n", "")).isEqualTo(
                    run("qemu-img", "info", "--output", "json", f("a.qcow2")).replaceAll(".*actual-size.*\n", ""));
            assertThat(run("qemu-io", "-c", "read -P 0xab 1000 100k", f("a.qcow2"))).doesNotContain("failed");
        }
    }

    @Test
    void writeFromStandardInput() throws Exception {
        ok("disk", "create", "-q", "-f", "raw", f("r.img"), "1M");
        DiskWrite.source = new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII));
        try {
            ok("disk", "write", f("r.img"), "4K", "5");
        } finally {
            DiskWrite.source = System.in;
        }
        byte[] raw = Files.readAllBytes(dir.resolve("r.img"));
        assertThat(new String(raw, 4096, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void cloneSnapshotCommitConvertCompare() throws Exception {
        ok("disk", "create", "-q", f("base.qcow2"), "8M");
        ok("disk", "write", "-P", "17", f("base.qcow2"), "0", "1M");
        ok("disk", "clone", f("base.qcow2"), f("clone.qcow2"));
        String chain = ok("disk", "info", "--backing-chain", f("clone.qcow2")).out();
        assertThat(chain).contains("backing file: base.qcow2").contains("image: " + f("clone.qcow2"));
        ok("disk", "write", "-P", "0x22", f("clone.qcow2"), "512K", "4K");
        assertThat(CliRun.of("disk", "compare", f("base.qcow2"), f("clone.qcow2")).status()).isEqualTo(1);
        ok("disk", "snapshot", "create", f("clone.qcow2"), "before");
        ok("disk", "write", "-P", "0x33", f("clone.qcow2"), "512K", "4K");
        String list = ok("disk", "snapshot", "list", f("clone.qcow2")).out();
        assertThat(list).contains("before");
        if (qemu()) {
            assertThat(list).isEqualTo(run("qemu-img", "snapshot", "-l", f("clone.qcow2")));
        }
        ok("disk", "snapshot", "apply", f("clone.qcow2"), "before");
        ok("disk", "snapshot", "delete", f("clone.qcow2"), "before");
        ok("disk", "commit", f("clone.qcow2"));
        assertThat(ok("disk", "compare", f("base.qcow2"), f("clone.qcow2")).out()).contains("Images are identical.");
        ok("disk", "convert", "-O", "vpc", f("base.qcow2"), f("base.vhd"));
        ok("disk", "convert", "-c", "-O", "qcow2", f("base.vhd"), f("packed.qcow2"));
        ok("disk", "compare", f("base.qcow2"), f("packed.qcow2"));
        ok("disk", "clone", "--full", f("clone.qcow2"), f("full.qcow2"));
        assertThat(ok("disk", "info", f("full.qcow2")).out()).doesNotContain("backing file");
        CliRun check = ok("disk", "check", f("packed.qcow2"));
        assertThat(check.out()).contains("No errors were found on the image.");
        if (qemu()) {
            for (String img : new String[] {"base.qcow2", "clone.qcow2", "packed.qcow2", "full.qcow2"}) {
                assertThat(run("qemu-img", "check", f(img))).contains("No errors were found");
            }
            assertThat(run("qemu-io", "-c", "read -P 0x22 512K 4K", f("base.qcow2"))).doesNotContain("failed");
        }
    }

    @Test
    void externalSnapshotRebaseResizeMap() throws Exception {
        ok("disk", "create", "-q", f("d.qcow2"), "4M");
        ok("disk", "write", "-P", "1", f("d.qcow2"), "0", "64K");
        ok("disk", "snapshot", "create", "--external", f("d.qcow2"), "d-frozen.qcow2");
        assertThat(ok("disk", "info", f("d.qcow2")).out()).contains("backing file: d-frozen.qcow2");
        ok("disk", "write", "-P", "2", f("d.qcow2"), "64K", "64K");
        ok("disk", "create", "-q", f("other.qcow2"), "4M");
        ok("disk", "rebase", "-b", "other.qcow2", f("d.qcow2"));
        assertThat(ok("disk", "info", f("d.qcow2")).out()).contains("backing file: other.qcow2");
        ok("disk", "io", "-c", "read -P 1 0 64K", "-c", "read -P 2 64K 64K", f("d.qcow2"));
        ok("disk", "resize", f("d.qcow2"), "+1G");
        assertThat(ok("disk", "info", f("d.qcow2")).out()).contains("(1077936128 bytes)");
        String map = ok("disk", "map", f("d.qcow2")).out();
        assertThat(map).startsWith("Offset          Length          Mapped to       File");
        if (qemu()) {
            assertThat(map).isEqualTo(run("qemu-img", "map", f("d.qcow2")));
            assertThat(run("qemu-img", "check", f("d.qcow2"))).contains("No errors were found");
        }
    }

    /** A raw file's holes show as qemu-img map shows them (SEEK_DATA), in both outputs. */
    @Test
    void mapOfASparseRawFile() throws Exception {
        ok("disk", "create", "-q", "-f", "raw", f("s.raw"), "8M");
        ok("disk", "write", "-P", "7", f("s.raw"), "1M", "1M");
        ok("disk", "write", "-P", "8", f("s.raw"), "5M", "64K");
        String map = ok("disk", "map", f("s.raw")).out();
        assertThat(map).contains("0x100000        0x100000        0x100000        ");
        String json = ok("disk", "map", "--output=json", f("s.raw")).out();
        assertThat(json).contains("\"start\": 0, \"length\": 1048576, \"depth\": 0, \"present\": true, \"zero\": true, \"data\": false");
        if (qemu()) {
            assertThat(map).isEqualTo(run("qemu-img", "map", f("s.raw")));
            assertThat(json).isEqualTo(run("qemu-img", "map", "--output=json", f("s.raw")));
        }
    }

    /** Times and rates vary from run to run; everything else must be as qemu-io prints it. */
    private static String withoutTimings(String ioOutput) {
        return ioOutput.replaceAll("\\d+\\.\\d\\d sec \\([0-9.]+ (bytes|KiB|MiB|GiB|TiB)/sec and [0-9.]+ ops/sec\\)", "T")
                .replaceAll("(?m)^(\\d+),(\\d+),\\d+:\\d\\d:\\d\\d\\.\\d\\d,[0-9.]+,[0-9.]+$", "$1,$2,T");
    }

    @Test
    void ioReportsEachCommandAsQemuIoDoes() throws Exception {
        ok("disk", "create", "-q", f("v.qcow2"), "16M");
        String[] cmds = {"-c", "write -P 0x5a 0 3M", "-c", "read -P 0x5a 1000 100", "-c", "read -C 0 64k",
            "-c", "write -z 64k 4k", "-c", "read -q 0 1k", "-c", "discard 1M 64k", "-c", "flush"};
        String vessel = ok(concat(new String[] {"disk", "io"}, cmds, new String[] {f("v.qcow2")})).out();
        assertThat(vessel).contains("wrote 3145728/3145728 bytes at offset 0\n3 MiB, 1 ops; ")
                .contains("read 100/100 bytes at offset 1000\n100 bytes, 1 ops; ")
                .containsPattern("(?m)^65536,1,0:00:\\d\\d\\.\\d\\d,[0-9.]+,[0-9.]+$");
        CliRun bad = CliRun.of("disk", "io", "-c", "read -P 0x11 0 4k", f("v.qcow2"));
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.out()).startsWith("Pattern verification failed at offset 0, 4096 bytes");
        if (qemu()) {
            run("qemu-img", "create", "-q", "-f", "qcow2", f("q.qcow2"), "16M");
            String qemu = run(concat(new String[] {"qemu-io"}, cmds, new String[] {f("q.qcow2")}));
            assertThat(withoutTimings(vessel)).isEqualTo(withoutTimings(qemu));
        }
    }

    @Test
    void commitAndConvertReportTheirInProcessTime() throws Exception {
        ok("disk", "create", "-q", f("base.qcow2"), "4M");
        ok("disk", "clone", f("base.qcow2"), f("top.qcow2"));
        ok("disk", "write", "-P", "7", f("top.qcow2"), "0", "1M");
        assertThat(ok("disk", "commit", "--timing", f("top.qcow2")).out())
                .containsPattern("(?m)^time: \\d+\\.\\d{6} sec$");
        assertThat(ok("disk", "convert", "--timing", "-O", "raw", f("base.qcow2"), f("b.raw")).out())
                .matches("time: \\d+\\.\\d{6} sec\\R");
        assertThat(ok("disk", "convert", "-O", "raw", f("base.qcow2"), f("c.raw")).out()).isEmpty();
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @Test
    void badInputGivesOneLineErrors() throws Exception {
        CliRun missing = CliRun.of("disk", "info", f("nope.qcow2"));
        assertThat(missing.status()).isEqualTo(125);
        assertThat(missing.err()).startsWith("vessel: ").contains("nope.qcow2").doesNotContain("\tat ");
        assertThat(missing.err().strip().lines().count()).isEqualTo(1);

        Files.write(dir.resolve("junk.qcow2"), new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3, 9, 9, 9});
        CliRun junk = CliRun.of("disk", "info", f("junk.qcow2"));
        assertThat(junk.status()).isEqualTo(125);
        assertThat(junk.err().strip().lines().count()).isEqualTo(1);

        ok("disk", "create", "-q", f("small.qcow2"), "1M");
        CliRun past = CliRun.of("disk", "write", "-P", "1", f("small.qcow2"), "1M", "1");
        assertThat(past.status()).isEqualTo(125);
        assertThat(past.err()).contains("past the end");
        assertThat(CliRun.of("disk", "create", f("x.qcow2"), "12Q").err()).contains("bad size");
        assertThat(CliRun.of("disk", "create", "-f", "vmdk", f("x.img"), "1M").err()).contains("unknown image format");
        assertThat(CliRun.of("disk", "write", "-P", "300", f("small.qcow2"), "0", "1").err()).contains("pattern");
        assumeTrue(true);
    }
}
