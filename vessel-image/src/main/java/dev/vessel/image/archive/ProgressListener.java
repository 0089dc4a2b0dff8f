package dev.vessel.image.archive;

/** Told how many bytes a long operation has moved; the CLI shows it on a terminal only. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = bytes -> { };

    void advanced(long bytes);
}
