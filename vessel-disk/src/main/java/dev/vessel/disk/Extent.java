package dev.vessel.disk;

/**
 * How a range of guest bytes is stored, as qemu-img map reports it.
 *
 * @param present some layer of the chain allocates the range (as data or as explicit zeros)
 * @param data a layer holds bytes for it (false: it reads as zeros)
 * @param zero it reads as zeros
 * @param depth the chain layer that decides (0 = the top image); for absent ranges the chain length
 * @param hostOffset where the bytes are in {@code file}, or -1
 * @param file the file holding the bytes, or null
 */
public record Extent(long offset, long length, boolean present, boolean data, boolean zero, int depth,
        long hostOffset, String file) {
    public long end() {
        return offset + length;
    }

    /** The same status over another range (host offset moved along). */
    public Extent slice(long newOffset, long newLength) {
        long host = hostOffset < 0 ? -1 : hostOffset + (newOffset - offset);
        return new Extent(newOffset, newLength, present, data, zero, depth, host, file);
    }

    /** This status one layer deeper (seen through an image that does not allocate the range). */
    public Extent deeper() {
        return new Extent(offset, length, present, data, zero, depth + 1, hostOffset, file);
    }
}
