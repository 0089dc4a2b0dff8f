package dev.vessel.vm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The disk operations VMs need, done by Vessel's own disk engine (vessel-disk); kept behind
 * this interface so the VM code says what it needs and nothing more.
 */
public interface DiskEngine {
    /** A new empty qcow2 of the given virtual size. */
    void createQcow2(Path file, long sizeBytes) throws IOException;

    /** A new qcow2 differencing disk over base (which is left unchanged from then on). */
    void createOverlay(Path file, Path base) throws IOException;

    /** "qcow2", "raw", "vhd", ... as detected from the file's contents. */
    String format(Path file) throws IOException;

    /** The disk this one differs from, or null. */
    Path backingFile(Path file) throws IOException;

    /** A standalone qcow2 copy of everything the guest sees (the whole backing chain flattened). */
    void convertToQcow2(Path source, Path target) throws IOException;

    List<Snapshot> snapshots(Path file) throws IOException;

    void createSnapshot(Path file, String tag) throws IOException;

    void applySnapshot(Path file, String tag) throws IOException;

    void deleteSnapshot(Path file, String tag) throws IOException;

    /** An internal snapshot; vmStateBytes > 0 when it also holds a running machine's state. */
    record Snapshot(String name, long vmStateBytes, long dateSeconds) {
    }
}
