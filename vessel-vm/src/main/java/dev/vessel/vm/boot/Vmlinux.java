package dev.vessel.vm.boot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * Unpacks the uncompressed ELF kernel (vmlinux) from an x86 bzImage. QEMU boots that ELF
 * through its PVH entry point (a Xen ELF note the kernel carries), which skips the real-mode
 * setup and the in-guest decompressor: seconds saved per boot under TCG.
 */
public final class Vmlinux {
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};
    private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

    private Vmlinux() {
    }

    /** Writes the vmlinux inside bzImage to target (through a temporary file, then a rename). */
    public static void extract(Path bzImage, Path target) throws IOException {
        byte[] image = Files.readAllBytes(bzImage);
        ByteBuffer header = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < 0x250 || header.getInt(0x202) != 0x53726448) { // "HdrS"
            throw new IOException(bzImage + " is not an x86 bzImage (no HdrS boot header)");
        }
        int setupSectors = image[0x1f1] == 0 ? 4 : image[0x1f1] & 0xff;
        int payloadOffset = (setupSectors + 1) * 512 + header.getInt(0x248);
        int payloadLength = header.getInt(0x24c);
        if (payloadOffset < 0 || payloadLength <= 0 || payloadOffset + payloadLength > image.length) {
            throw new IOException(bzImage + ": payload outside the file");
        }
        InputStream compressed = new ByteArrayInputStream(image, payloadOffset, payloadLength);
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (InputStream in = decompressor(bzImage, image, payloadOffset, compressed);
                OutputStream out = Files.newOutputStream(temp)) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot unpack the kernel in " + bzImage + ": " + e.getMessage(), e);
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(temp)) {
            in.readNBytes(head, 0, 4);
        }
        if (!java.util.Arrays.equals(head, ELF)) {
            Files.deleteIfExists(temp);
            throw new IOException("the kernel unpacked from " + bzImage + " is not an ELF file");
        }
        Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** True when the ELF kernel carries a PVH entry point QEMU can boot directly. */
    public static boolean hasPvhEntry(Path vmlinux) throws IOException {
        // The note is small; scanning for its 4-byte type after the "Xen" name is enough here.
        byte[] data = Files.readAllBytes(vmlinux);
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 16 <= data.length; i += 4) {
            if (buffer.getInt(i) == 4 && buffer.getInt(i + 8) == XEN_ELFNOTE_PHYS32_ENTRY
                    && data[i + 12] == 'X' && data[i + 13] == 'e' && data[i + 14] == 'n' && data[i + 15] == 0) {
                return true;
            }
        }
        return false;
    }

    private static InputStream decompressor(Path bzImage, byte[] image, int offset, InputStream compressed)
            throws IOException {
        if ((image[offset] & 0xff) == 0xfd && image[offset + 1] == '7' && image[offset + 2] == 'z') {
            // The payload ends with the 4-byte uncompressed size; a single-stream reader stops before it.
            return new SingleXZInputStream(compressed);
        }
        if ((image[offset] & 0xff) == 0x1f && (image[offset + 1] & 0xff) == 0x8b) {
            return new GZIPInputStream(compressed);
        }
        throw new IOException(bzImage + ": kernel payload compression not supported (Vessel reads xz and gzip)");
    }
}
