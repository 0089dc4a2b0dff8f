package dev.vessel.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A device that forwards everything to another one (tests override what they need). */
class ForwardingDevice implements BlockDevice {
    private final BlockDevice d;

    ForwardingDevice(BlockDevice d) {
        this.d = d;
    }

    public long size() {
        return d.size();
    }

    public ImageFormat format() {
        return d.format();
    }

    public Path path() {
        return d.path();
    }

    public boolean writable() {
        return d.writable();
    }

    public void read(long offset, ByteBuffer dst) throws IOException {
        d.read(offset, dst);
    }

    public void write(long offset, ByteBuffer src) throws IOException {
        d.write(offset, src);
    }

    public void discard(long offset, long length) throws IOException {
        d.discard(offset, length);
    }

    public void flush() throws IOException {
        d.flush();
    }

    public Extent status(long offset, long maxLength) throws IOException {
        return d.status(offset, maxLength);
    }

    public BlockDevice backing() {
        return d.backing();
    }

    public void close() {
    }
}
