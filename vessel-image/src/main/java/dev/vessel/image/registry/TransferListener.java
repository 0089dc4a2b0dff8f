package dev.vessel.image.registry;

/**
 * Hears about blob transfers as they happen (for progress display). Called from transfer threads,
 * so implementations must be thread-safe. Every method has a no-op default.
 */
public interface TransferListener {
    TransferListener NONE = new TransferListener() { };

    /** A blob transfer starts (or is checked): its digest and size in bytes. */
    default void started(String digest, long size) {
    }

    /** Bytes so far for a blob (cumulative; may go back after a retry restarts it). */
    default void progressed(String digest, long bytes) {
    }

    /** A blob is done; status is a short phrase such as "Pull complete", "Already exists", "Mounted", "Pushed". */
    default void finished(String digest, String status) {
    }

    /** A transfer failed and is being retried. */
    default void retrying(String digest, String reason) {
    }
}
