package dev.vessel.disk.raw;

import dev.vessel.disk.BackgroundFlush;
import dev.vessel.disk.BlockDevice;
import dev.vessel.disk.DiskException;
import dev.vessel.disk.Extent;
import dev.vessel.disk.FileCopy;
import dev.vessel.disk.ImageFormat;
import java.io.IOException;
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

    private RawImage(Path path, FileChannel ch, boolean writable) throws IOException {
        this.path = path;
        this.ch = ch;
        this.writable = writable;
        this.size = ch.size();
        this.flusher = new BackgroundFlush(ch, path);
    }

    public static RawImage open(Path path, boolean writable) throws IOException {
        FileChannel ch = writable ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        return new RawImage(path, ch, writable);
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
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            if (size > 0) {
                ch.write(ByteBuffer.allocate(1), size - 1);
            }
            if (sync) {
                ch.force(true);
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

    @Override
    public Extent status(long offset, long maxLength) {
        long len = Math.max(0, Math.min(maxLength, size - offset));
        return new Extent(offset, len, true, true, false, 0, offset, path.toString());
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
            ch.close();
        }
    }
}
