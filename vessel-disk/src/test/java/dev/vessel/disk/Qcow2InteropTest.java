package dev.vessel.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vessel reads what qemu-img makes, and qemu-img reads (and checks clean) what Vessel makes. */
class Qcow2InteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.require();
    }

    private Path qemuImage(String name, String options, String size) throws Exception {
        Path p = dir.resolve(name);
        Qemu.img("create", "-q", "-f", "qcow2", "-o", options, p.toString(), size);
        return p;
    }

    private void qemuWrites(Path p, int cs) throws Exception {
        Qemu.io(p, "write -P 0x11 0 100k", "write -P 0x22 3M 64k", "write -P 0x33 " + (5 * 1024 * 1024 - 512) + " 1k",
                "write -z 1M 128k", "write -P 0x44 6M " + Math.max(cs, 4096), "discard 6M " + Math.max(cs, 4096));
    }

    private void assertSameAsQemu(Path p) throws Exception {
        assertThat(TestImages.read(p)).isEqualTo(Qemu.contents(p, dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "compat=0.10", "compat=1.1", "cluster_size=4k", "cluster_size=512", "cluster_size=2M",
        "refcount_bits=1", "refcount_bits=2", "refcount_bits=4", "refcount_bits=8", "refcount_bits=32",
        "refcount_bits=64", "lazy_refcounts=on", "extended_l2=on", "extended_l2=on,cluster_size=128k",
        "compression_type=zstd",
    })
    void readsWhatQemuWrites(String options) throws Exception {
        Path p = qemuImage("q.qcow2", options, "8M");
        int cs = options.contains("cluster_size=4k") ? 4096 : options.contains("512") ? 512 : 65536;
        qemuWrites(p, cs);
        assertSameAsQemu(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "compat=0.10", "compat=1.1", "cluster_size=4k", "cluster_size=2M", "refcount_bits=1", "refcount_bits=2",
        "refcount_bits=4", "refcount_bits=8", "refcount_bits=32", "refcount_bits=64", "lazy_refcounts=on",
    })
    void writesIntoQemuImagesKeepingThemClean(String options) throws Exception {
        Path p = qemuImage("q.qcow2", options, "8M");
        qemuWrites(p, 65536);
        byte[] model = Qemu.contents(p, dir);
        Random r = new Random(options.hashCode());
        try (BlockDevice d = Disks.open(p, true)) {
            for (int i = 0; i < 40; i++) {
                int len = 1 + r.nextInt(200_000);
                int off = r.nextInt(model.length - len);
                byte[] data = TestImages.pattern(len, i);
                d.write(off, data, 0, len);
                System.arraycopy(data, 0, model, off, len);
            }
        }
        Qemu.checkClean(p);
        assertThat(Qemu.contents(p, dir)).isEqualTo(model);
        assertThat(TestImages.read(p)).isEqualTo(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zlib", "zstd"})
    void readsCompressedClusters(String type) throws Exception {
        Path src = qemuImage("src.qcow2", "cluster_size=64k", "4M");
        Qemu.io(src, "write -P 0x61 0 1M", "write -P 0x62 2M 300k");
        Path c = dir.resolve("c.qcow2");
        Qemu.img("convert", "-c", "-O", "qcow2", "-o", "compression_type=" + type, src.toString(), c.toString());
        assertSameAsQemu(c);
        // Writing over compressed clusters copies them out.
        TestImages.write(c, 4096, TestImages.pattern(1000, 1));
        Qemu.checkClean(c);
        assertSameAsQemu(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zlib", "zstd"})
    void writesCompressedClustersQemuReads(String type) throws Exception {
        Path raw = dir.resolve("in.raw");
        byte[] data = new byte[3 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251 < 40 ? i : 0);
        }
        Files.write(raw, data);
        Path c = dir.resolve("c.qcow2");
        Disks.convert(raw, ImageFormat.RAW, c, CreateOptions.qcow2(0).withCompression(type), true);
        Qemu.checkClean(c);
        assertThat(Qemu.contents(c, dir)).isEqualTo(data);
        assertThat(Qemu.img("check", c.toString())).doesNotContain(" 0.00% compressed");
    }

    @Test
    void chainsOverQcow2AndRaw() throws Exception {
        Path raw = dir.resolve("base.raw");
        Qemu.img("create", "-q", "-f", "raw", raw.toString(), "6M");
        Qemu.io(raw, "write -P 0x01 0 6M");
        Path mid = dir.resolve("mid.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw", mid.toString());
        Qemu.io(mid, "write -P 0x02 1M 1M", "write -z 2M 64k");
        Path top = dir.resolve("top.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", top.toString(), "8M");
        Qemu.io(top, "write -P 0x03 1536k 1M", "write -P 0x04 7M 4k");
        assertSameAsQemu(top);
        assertThat(Disks.backingChain(top)).extracting(ImageInfo::format)
                .containsExactly(ImageFormat.QCOW2, ImageFormat.QCOW2, ImageFormat.RAW);
        // A Vessel layer on top, three deep over raw.
        Path vessel = dir.resolve("v.qcow2");
        Disks.createDifferencing(vessel, "top.qcow2", ImageFormat.QCOW2);
        TestImages.write(vessel, 100, TestImages.pattern(70_000, 2));
        Qemu.checkClean(vessel);
        assertSameAsQemu(vessel);
        assertThat(Qemu.img("info", "--backing-chain", vessel.toString())).contains("backing file: top.qcow2");
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096, 65536, 1 << 21})
    void qemuReadsWhatVesselWrites(int clusterSize) throws Exception {
        for (boolean v2 : new boolean[] {false, true}) {
            Path p = dir.resolve("v" + clusterSize + v2 + ".qcow2");
            Disks.create(p, CreateOptions.qcow2(20 << 20).withClusterSize(clusterSize).withCompatV2(v2));
            byte[] model = new byte[20 << 20];
            Random r = new Random(clusterSize);
            try (BlockDevice d = Disks.open(p, true)) {
                for (int i = 0; i < 30; i++) {
                    int len = 1 + r.nextInt(1 << 20);
                    int off = r.nextInt(model.length - len);
                    byte[] data = TestImages.pattern(len, i);
                    d.write(off, data, 0, len);
                    System.arraycopy(data, 0, model, off, len);
                }
            }
            Qemu.checkClean(p);
            assertThat(Qemu.contents(p, dir)).isEqualTo(model);
            assertThat(Qemu.img("info", p.toString())).contains("compat: " + (v2 ? "0.10" : "1.1"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 32, 64})
    void vesselWritesEveryRefcountWidth(int bits) throws Exception {
        Path p = dir.resolve("r.qcow2");
        Disks.create(p, CreateOptions.qcow2(4 << 20).withClusterSize(4096).withRefcountBits(bits));
        byte[] data = TestImages.pattern(3 << 20, bits);
        TestImages.write(p, 4096, java.util.Arrays.copyOf(data, (4 << 20) - 4096));
        Qemu.checkClean(p);
        assertSameAsQemu(p);
    }

    @Test
    void growsTheRefcountTable() throws Exception {
        // 512-byte clusters with 64-bit refcounts: each block covers 64 clusters, the table 64 blocks.
        Path p = dir.resolve("g.qcow2");
        Disks.create(p, CreateOptions.qcow2(8 << 20).withClusterSize(512).withRefcountBits(64));
        byte[] data = TestImages.pattern(6 << 20, 9);
        TestImages.write(p, 0, data);
        Qemu.checkClean(p);
        assertThat(java.util.Arrays.copyOf(Qemu.contents(p, dir), 6 << 20)).isEqualTo(data);
    }

    @Test
    void leakedClusterIsReportedAndRepaired() throws Exception {
        Path p = qemuImage("leak.qcow2", "cluster_size=65536", "8M");
        Qemu.io(p, "write -P 0x55 0 64k");
        // Grow the file by a cluster and give that cluster a refcount nothing uses: a leak.
        long clusters = Files.size(p) / 65536;
        try (var raf = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength((clusters + 1) * 65536);
        }
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(72);
            ch.read(h, 0);
            long rt = h.getLong(48);
            java.nio.ByteBuffer e = java.nio.ByteBuffer.allocate(8);
            ch.read(e, rt);
            long block = e.getLong(0);
            ch.write(java.nio.ByteBuffer.allocate(2).putShort(0, (short) 1), block + clusters * 2);
        }
        assertThat(Qemu.run("qemu-img", "check", p.toString()).status()).isEqualTo(3);
        CheckResult c = Disks.check(p, Disks.Repair.NONE);
        assertThat(c.leaks()).isEqualTo(1);
        assertThat(c.exitStatus()).isEqualTo(3);
        CheckResult fixed = Disks.check(p, Disks.Repair.LEAKS);
        assertThat(fixed.leaksFixed()).isEqualTo(1);
        assertThat(fixed.exitStatus()).isZero();
        Qemu.checkClean(p);
        Qemu.io(p, "read -P 0x55 0 64k");
    }

    @Test
    void internalSnapshotsMatchQemu() throws Exception {
        Path p = dir.resolve("s.qcow2");
        Disks.createQcow2(p, 4 << 20);
        TestImages.write(p, 0, filled(200_000, 0x11));
        Disks.snapshotCreate(p, "first");
        TestImages.write(p, 65536, filled(100, 0x22));
        Disks.snapshotCreate(p, "second");
        TestImages.write(p, 1 << 20, filled(70_000, 0x33));
        Qemu.checkClean(p);
        String list = Qemu.img("snapshot", "-l", p.toString());
        assertThat(list).containsPattern("1\\s+first").containsPattern("2\\s+second");
        Qemu.io(p, "read -P 0x22 65536 100", "read -P 0x33 1M 70000");
        Disks.snapshotApply(p, "first");
        Qemu.checkClean(p);
        Qemu.io(p, "read -P 0x11 0 200000", "read -P 0 1M 70000");
        Disks.snapshotDelete(p, "first");
        Qemu.checkClean(p);
        Qemu.img("snapshot", "-a", "second", p.toString());
        Qemu.io(p, "read -P 0x22 65536 100");
        Qemu.img("snapshot", "-c", "third", p.toString());
        assertThat(Disks.snapshotList(p)).extracting(SnapshotInfo::name).containsExactly("second", "third");
        Disks.snapshotDelete(p, "second");
        Qemu.checkClean(p);
        assertSameAsQemu(p);
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void infoMatchesQemuJson() throws Exception {
        Path base = dir.resolve("base.qcow2");
        Disks.createQcow2(base, 1 << 30);
        Path top = dir.resolve("top.qcow2");
        Disks.createDifferencing(top, "base.qcow2", ImageFormat.QCOW2);
        String q = Qemu.img("info", "--output", "json", top.toString());
        ImageInfo i = Disks.info(top);
        assertThat(q).contains("\"virtual-size\": " + i.virtualSize()).contains("\"backing-filename\": \"base.qcow2\"")
                .contains("\"backing-filename-format\": \"qcow2\"").contains("\"cluster-size\": 65536");
        assertThat(i.virtualSize()).isEqualTo(1L << 30);
    }
}
