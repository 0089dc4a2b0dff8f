package dev.vessel.disk.raw;

import dev.vessel.disk.BackgroundFlush;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.DiskException;
import dev.vessel.disk.Extent;
import dev.vessel.disk.FileCopy;
import dev.vessel.disk.ImageFormat;
import dev.vessel.os.ErrnoException;
import dev.vessel.os.FileHoles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A raw image: guest byte N is file byte N. Holes read as zeros; discard punches nothing (writes zeros). */
public final class RawImage implements BlockDevice {
    private final Path path;
    private final FileChannel ch;
    private final boolean writable;
    private volatile long size;
    private final BackgroundFlush flusher;
    private final HoleLookup holes;

    private RawImage(Path path, FileChannel ch, boolean writable, Object fileKey) throws IOException {
        this.path = path;
        this.ch = ch;
        this.writable = writable;
        this.size = ch.size();
        this.flusher = new BackgroundFlush(ch, path);
        this.holes = new HoleLookup(path, fileKey);
    }

    public static RawImage open(Path path, boolean writable) throws IOException {
        // The file's identity before and after the open: the hole map, which opens the path again
        // later, must describe the file this channel reads (a file renamed over it must not).
        Object before = HoleLookup.fileKey(path);
        FileChannel ch = writable ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        Object after = HoleLookup.fileKey(path);
        return new RawImage(path, ch, writable, before != null && before.equals(after) ? before : null);
    }

    /** Creates a sparse raw file of the given size (atomically: temp file then rename). */
    public static void create(Path path, long size) throws IOException {
        create(path, size, true);
    }

    /** As above; without sync the new file is not fsynced (for a scratch copy that is never synced either). */
    public static void create(Path path, long size, boolean sync) throws IOException {
        if (size < 0) {
            throw new DiskException("bad image size " + size);
        }
        Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (RandomAccessFile f = new RandomAccessFile(tmp.toFile(), "rw")) {
            f.setLength(0);
            f.setLength(size); // a hole throughout, as qemu-img makes it (writing the last byte would allocate a block)
            if (sync) {
                f.getChannel().force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.RAW;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public boolean writable() {
        return writable;
    }

    private void check(long offset, long len) throws DiskException {
        if (offset < 0 || len < 0 || offset > size || len > size - offset) {
            throw new DiskException(path + ": access at " + offset + "+" + len + " is past the end of the disk ("
                    + size + " bytes)");
        }
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        check(offset, dst.remaining());
        while (dst.hasRemaining()) {
            int n = ch.read(dst, offset);
            if (n < 0) {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            offset += n;
        }
    }

    @Override
    public MemorySegment mapHost(long start, long maxLength, Arena arena) throws IOException {
        return FileCopy.map(ch, start, maxLength, arena);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        if (!writable) {
            throw new DiskException(path + ": image is open read-only");
        }
        check(offset, src.remaining());
        while (src.hasRemaining()) {
            offset += ch.write(src, offset);
        }
    }

    @Override
    public void writeFrom(FileChannel src, long srcPos, long offset, long length) throws IOException {
        if (!writable) {
            throw new DiskException(path + ": image is open read-only");
        }
        check(offset, length);
        FileCopy.copy(src, srcPos, ch, offset, length);
    }

    @Override
    public void startFlush() {
        if (writable) {
            flusher.start();
        }
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        check(offset, length);
        ByteBuffer z = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        while (length > 0) {
            z.clear().limit((int) Math.min(length, z.capacity()));
            write(offset, z);
            offset += z.limit();
            length -= z.limit();
        }
    }

    @Override
    public void flush() throws IOException {
        if (writable) {
            ch.force(true);
            flusher.finish();
        }
    }

    /** Data and holes as the file system keeps them (a hole reads as zeros), as qemu-img map shows. */
    @Override
    public Extent status(long offset, long maxLength) {
        return status(offset, maxLength, holes.get(true));
    }

    /**
     * As {@link #status}, but without waiting for the hole lookup: until {@link #prepareStatus} has
     * made it ready, every range answers as data, which is never wrong, only slower to copy.
     */
    @Override
    public Extent statusNow(long offset, long maxLength) {
        return status(offset, maxLength, holes.get(false));
    }

    @Override
    public void prepareStatus() {
        holes.start();
    }

    private Extent status(long offset, long maxLength, FileHoles map) {
        long end = offset + Math.max(0, Math.min(maxLength, size - offset));
        boolean data = true;
        if (map != null && offset < end) {
            try {
                long next = map.nextData(offset);
                if (next != offset) {
                    data = false;
                    end = next < 0 ? end : Math.min(end, next);
                } else {
                    end = Math.min(end, Math.max(offset + 1, map.nextHole(offset)));
                }
            } catch (ErrnoException e) {
                data = true; // a file system that cannot tell: all data, as without a map
            }
        }
        return new Extent(offset, end - offset, true, data, !data, 0, offset, path.toString());
    }

    @Override
    public BlockDevice backing() {
        return null;
    }

    /** Sets the file's length (grow or shrink). */
    public synchronized void resize(long newSize) throws IOException {
        if (!writable) {
            throw new DiskException(path + ": image is open read-only");
        }
        if (newSize < ch.size()) {
            ch.truncate(newSize);
        } else if (newSize > ch.size()) {
            ch.write(ByteBuffer.allocate(1), newSize - 1);
        }
        size = newSize;
    }

    @Override
    public void close() throws IOException {
        try {
            flusher.finish();
        } finally {
            holes.close();
            ch.close();
        }
    }
}
