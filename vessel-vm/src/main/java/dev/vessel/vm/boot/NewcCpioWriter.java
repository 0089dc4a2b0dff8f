package dev.vessel.vm.boot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a cpio archive in the "newc" format the Linux kernel unpacks as an initramfs:
 * a 110-byte ASCII header per entry (magic 070701, thirteen 8-digit hex fields), the
 * NUL-terminated name, the data, each padded to 4 bytes; a TRAILER!!! entry ends it.
 */
public final class NewcCpioWriter implements AutoCloseable {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;

    private final OutputStream out;
    private long written;
    private int nextInode = 1;

    public NewcCpioWriter(OutputStream out) {
        this.out = out;
    }

    public void directory(String name, int mode) throws IOException {
        entry(name, S_IFDIR | (mode & 07777), 2, 0, 0, new byte[0]);
    }

    public void file(String name, int mode, byte[] data) throws IOException {
        entry(name, S_IFREG | (mode & 07777), 1, 0, 0, data);
    }

    public void symlink(String name, String target) throws IOException {
        entry(name, S_IFLNK | 0777, 1, 0, 0, target.getBytes(StandardCharsets.UTF_8));
    }

    public void characterDevice(String name, int mode, int major, int minor) throws IOException {
        entry(name, S_IFCHR | (mode & 07777), 1, major, minor, new byte[0]);
    }

    private void entry(String name, int mode, int links, int rdevMajor, int rdevMinor, byte[] data) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(110).append("070701");
        for (long field : new long[] {
                nextInode++, mode, 0, 0, links, 0, data.length, 0, 0, rdevMajor, rdevMinor, nameBytes.length, 0}) {
            header.append(String.format("%08x", field));
        }
        write(header.toString().getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        pad();
        write(data);
        pad();
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }

    /** Writes the trailer (and pads to 512 bytes like cpio does); does not close the stream. */
    public void finish() throws IOException {
        entry("TRAILER!!!", 0, 1, 0, 0, new byte[0]);
        while (written % 512 != 0) {
            out.write(0);
            written++;
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
