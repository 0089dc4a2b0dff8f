package dev.vessel.vm;

import dev.vessel.disk.Disks;
import dev.vessel.disk.ImageFormat;
import dev.vessel.disk.ImageInfo;
import dev.vessel.disk.SnapshotInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@link DiskEngine} done by vessel-disk (no qemu-img). */
public final class VesselDisks implements DiskEngine {
    @Override
    public void createQcow2(Path file, long sizeBytes) throws IOException {
        Disks.createQcow2(file, sizeBytes);
    }

    @Override
    public void createOverlay(Path file, Path base) throws IOException {
        // Absolute backing names: the overlay lives in another directory than its base.
        Disks.createDifferencing(file, base.toAbsolutePath().toString(), Disks.probe(base));
    }

    @Override
    public String format(Path file) throws IOException {
        ImageFormat format = Disks.probe(file);
        return format.qemuName();
    }

    @Override
    public Path backingFile(Path file) throws IOException {
        ImageInfo info = Disks.info(file);
        return info.fullBackingFile() == null ? null : Path.of(info.fullBackingFile());
    }

    @Override
    public void convertToQcow2(Path source, Path target) throws IOException {
        Disks.convert(source, null, target, ImageFormat.QCOW2, false);
    }

    @Override
    public List<Snapshot> snapshots(Path file) throws IOException {
        return Disks.snapshotList(file).stream()
                .map((SnapshotInfo s) -> new Snapshot(s.name(), s.vmStateSize(), s.dateSec())).toList();
    }

    @Override
    public void createSnapshot(Path file, String tag) throws IOException {
        Disks.snapshotCreate(file, tag);
    }

    @Override
    public void applySnapshot(Path file, String tag) throws IOException {
        Disks.snapshotApply(file, tag);
    }

    @Override
    public void deleteSnapshot(Path file, String tag) throws IOException {
        Disks.snapshotDelete(file, tag);
    }
}
