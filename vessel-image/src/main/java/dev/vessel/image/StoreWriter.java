package dev.vessel.image;

import dev.vessel.image.layer.LayerStore;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.os.AtomicFiles;
import dev.vessel.os.StoreLock;
import dev.vessel.image.store.StoreState;
import dev.vessel.os.Timestamps;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A write transaction on the {@link ImageStore}. Holds the writers' lock from creation to
 * {@link #close()}. Blobs are staged (hashed while copied, fsynced, verified) under
 * {@code ROOT/tmp/image-*}; {@link #commit()} moves the staged blobs that committed images use
 * into {@code blobs/} and then replaces the metadata file in one rename. Closing without
 * committing discards everything; a crash leaves only the staging directory, which the next
 * writer deletes. {@link #putBlob} may be called from several threads at once (parallel
 * downloads); the other methods are for one thread.
 */
public final class StoreWriter implements AutoCloseable {
    private static final int BUFFER = 1 << 20;

    private final ImageStore store;
    private final StoreLock lock;
    private final Path staging;
    private final AtomicLong counter = new AtomicLong();
    private final Set<Digest> removedBlobCandidates = new LinkedHashSet<>();
    private final java.util.Queue<Future<Void>> pendingSyncs = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private ExecutorService syncer;
    private StoreState state;
    private boolean committed;

    StoreWriter(ImageStore store) throws IOException {
        this.store = store;
        this.lock = StoreLock.acquire(store.lockFile());
        try {
            if (lock.outermost()) {
                cleanStaleStaging(store.tmpDir());
            }
            this.staging = store.tmpDir().resolve("image-" + UUID.randomUUID());
            this.state = store.state();
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Only one writer runs at a time, so every image-* staging directory left is a crashed writer's. */
    private static void cleanStaleStaging(Path tmp) throws IOException {
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, "image-*")) {
            for (Path entry : entries) {
                AtomicFiles.deleteTree(entry);
            }
        }
    }

    public ImageStore store() {
        return store;
    }

    /** A fresh path inside this transaction's staging directory (for callers' scratch files). */
    public Path newTempPath(String prefix) throws IOException {
        Files.createDirectories(staging);
        return staging.resolve(prefix + "-" + counter.incrementAndGet());
    }

    private Path stagedBlob(Digest digest) {
        return staging.resolve("blobs").resolve(digest.hex());
    }

    // ---- blobs ----

    /**
     * Copies a blob from a stream, hashing while copying. When {@code expected} is given, the
     * content must have that digest (and {@code expectedSize}, when not -1) or nothing is kept
     * and an {@link ImageException} names the mismatch. Returns the blob's descriptor.
     */
    public Descriptor putBlob(InputStream in, String mediaType, Digest expected, long expectedSize) throws IOException {
        Path partial = newTempPath("partial");
        MessageDigest sha256 = Digest.newSha256();
        long size = 0;
        try {
            try (FileOutputStream out = new FileOutputStream(partial.toFile())) {
                EarlyFlush early = new EarlyFlush(out.getChannel());
                try {
                    byte[] buffer = new byte[BUFFER];
                    int n;
                    while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                        sha256.update(buffer, 0, n);
                        out.write(buffer, 0, n);
                        size += n;
                        if (expectedSize >= 0 && size > expectedSize) {
                            throw new ImageException("blob " + expected + " is larger than its declared size " + expectedSize);
                        }
                        early.written(size);
                    }
                } finally {
                    early.await();
                }
            }
            Digest actual = Digest.fromBytes(sha256.digest());
            if (expected != null && !actual.equals(expected)) {
                throw new ImageException("blob digest mismatch: expected " + expected + ", content has " + actual);
            }
            if (expectedSize >= 0 && size != expectedSize) {
                throw new ImageException("blob " + actual + " is truncated: " + size + " of " + expectedSize + " bytes");
            }
            if (store.hasBlob(actual) || Files.exists(stagedBlob(actual))) {
                Files.delete(partial);
            } else {
                Files.createDirectories(stagedBlob(actual).getParent());
                Files.move(partial, stagedBlob(actual), StandardCopyOption.ATOMIC_MOVE);
                syncLater(stagedBlob(actual));
            }
            return new Descriptor(mediaType, actual, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    /**
     * Flushes a staged blob to disk in the background, so that the disk writes one blob while
     * the next is being copied; {@link #commit()} waits for every flush before renaming. Each
     * flush has a thread of its own: parallel downloads finish together, and their flushes,
     * one after another, made the pull wait for all of them at the end (as skopeo, which syncs
     * each blob in its own goroutine, does not); the file system batches concurrent syncs into
     * one journal commit.
     */
    private void syncLater(Path staged) {
        pendingSyncs.add(syncer().submit(() -> {
            try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.READ)) {
                channel.force(false); // fdatasync: the data and the size; the rename is synced with its directory
            }
            return null;
        }));
    }

    /**
     * Starts flushing a large blob while it is still being written: with the default dirty-page
     * limits (10% of memory) the kernel would otherwise keep a whole pull in the page cache
     * and write it all in the final syncs, after the network is done. One flush at a time per
     * blob, each for what was written so far; the final sync in {@link #syncLater} is the one
     * that counts, so a failed early flush is ignored.
     */
    private final class EarlyFlush {
        private static final long EVERY = 32 << 20;
        private final FileChannel channel;
        private long flushedAt;
        private Future<Void> running;

        EarlyFlush(FileChannel channel) {
            this.channel = channel;
        }

        void written(long size) {
            if (size - flushedAt >= EVERY && (running == null || running.isDone())) {
                flushedAt = size;
                running = syncer().submit(() -> {
                    channel.force(false);
                    return null;
                });
            }
        }

        /** Waits for the flush in progress (the file is about to be closed). */
        void await() {
            if (running != null) {
                try {
                    running.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // only an early flush: the final one reports real failures
                }
            }
        }
    }

    private synchronized ExecutorService syncer() {
        if (syncer == null) {
            syncer = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vessel-fsync").factory());
        }
        return syncer;
    }

    private void awaitSyncs() throws IOException {
        try {
            Future<Void> sync;
            while ((sync = pendingSyncs.poll()) != null) {
                sync.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while flushing blobs to disk");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Stores a small blob (a manifest or a config). */
    public Descriptor putBlob(byte[] content, String mediaType) throws IOException {
        return putBlob(new java.io.ByteArrayInputStream(content), mediaType, null, content.length);
    }

    /** True when the blob is in the store or staged in this transaction. */
    public boolean hasBlob(Digest digest) {
        return store.hasBlob(digest) || Files.isRegularFile(stagedBlob(digest));
    }

    /** Opens a stored or staged blob (verified at end of stream). */
    public InputStream openBlob(Digest digest) throws IOException {
        Path staged = stagedBlob(digest);
        if (Files.isRegularFile(staged)) {
            return new dev.vessel.image.store.VerifyingInputStream(Files.newInputStream(staged), digest,
                    Files.size(staged), "blob");
        }
        return store.openBlob(digest);
    }

    public byte[] readBlob(Digest digest) throws IOException {
        try (InputStream in = openBlob(digest)) {
            return in.readAllBytes();
        }
    }

    /**
     * The file holding a stored or staged blob, for readers that must seek (it was verified
     * when written); null when absent.
     */
    public Path blobFile(Digest digest) {
        Path staged = stagedBlob(digest);
        if (Files.isRegularFile(staged)) {
            return staged;
        }
        Path stored = store.blobs().path(digest);
        return Files.isRegularFile(stored) ? stored : null;
    }

    public long blobSize(Digest digest) throws IOException {
        Path staged = stagedBlob(digest);
        return Files.isRegularFile(staged) ? Files.size(staged) : store.blobSize(digest);
    }

    // ---- images and references ----

    /** The metadata as this transaction will commit it. */
    public StoreState state() {
        return state;
    }

    public List<Image> images() {
        return ImageStore.images(state);
    }

    public Image resolve(String text) throws IOException {
        return ImageStore.resolve(state, text);
    }

    /**
     * Records an image: stores the manifest bytes as a blob after checking that its config and
     * every layer blob are present (stored or staged). Returns the image (not yet committed).
     */
    public Image putImage(byte[] manifestJson) throws IOException {
        Manifest manifest = Json.read(manifestJson, Manifest.class, "image manifest");
        if (manifest.config() == null || manifest.config().digest() == null) {
            throw new ImageException("invalid image manifest: it names no config");
        }
        String mediaType = manifest.mediaType() == null ? MediaTypes.OCI_MANIFEST : manifest.mediaType();
        if (!MediaTypes.isImageManifest(mediaType)) {
            throw new ImageException("unsupported manifest media type " + mediaType);
        }
        requireBlob(manifest.config(), "config");
        for (Descriptor layer : manifest.layers()) {
            requireBlob(layer, "layer");
        }
        // The config must parse: inspect, run and save all need it.
        Json.read(readBlob(manifest.config().digest()), dev.vessel.image.oci.ImageConfig.class,
                "image config " + manifest.config().digest());
        Descriptor stored = putBlob(manifestJson, mediaType);
        StoreState.ImageRecord existing = state.images().get(stored.digest().toString());
        if (existing == null) {
            state.images().put(stored.digest().toString(),
                    new StoreState.ImageRecord(manifest.config().digest(), mediaType, Timestamps.now()));
        }
        removedBlobCandidates.remove(stored.digest());
        return ImageStore.image(state, stored.digest(), state.images().get(stored.digest().toString()));
    }

    private void requireBlob(Descriptor descriptor, String what) throws IOException {
        if (descriptor.digest() == null || !hasBlob(descriptor.digest())) {
            throw new ImageException("manifest names a missing " + what + " blob " + descriptor.digest());
        }
        long size = blobSize(descriptor.digest());
        if (size != descriptor.size()) {
            throw new ImageException("manifest gives " + what + " blob " + descriptor.digest() + " size "
                    + descriptor.size() + " but it has " + size + " bytes");
        }
    }

    /** Points a {@code name:tag} reference at an image (moving it from any other image). */
    public void tag(ImageReference reference, Digest manifestDigest) throws ImageException {
        if (!reference.isTagged()) {
            throw new ImageException("cannot tag with " + reference + ": a tag reference (name:tag) is needed");
        }
        if (!state.images().containsKey(manifestDigest.toString())) {
            throw new ImageNotFoundException(manifestDigest.toString());
        }
        state.references().put(reference.toString(), manifestDigest);
    }

    /** Removes a reference; true when it existed. */
    public boolean untag(ImageReference reference) {
        return state.references().remove(reference.toString()) != null;
    }

    /** Removes an image and its references; its blobs go at commit unless another image uses them. */
    public void removeImage(Digest manifestDigest) throws IOException {
        StoreState.ImageRecord record = state.images().remove(manifestDigest.toString());
        if (record == null) {
            throw new ImageNotFoundException(manifestDigest.toString());
        }
        state.references().values().removeIf(manifestDigest::equals);
        removedBlobCandidates.add(manifestDigest);
        removedBlobCandidates.add(record.config());
        if (hasBlob(manifestDigest)) {
            Manifest manifest = Json.read(readBlob(manifestDigest), Manifest.class, "manifest " + manifestDigest);
            for (Descriptor layer : manifest.layers()) {
                removedBlobCandidates.add(layer.digest());
            }
        }
    }

    /** Keeps a blob no image uses, for the build cache: it stays until the cache is cleared. */
    public void keepForBuildCache(Digest digest) {
        state.buildCache().add(digest);
    }

    /** Forgets the build cache: its blobs go at commit unless an image uses them. */
    public void clearBuildCache() {
        removedBlobCandidates.addAll(state.buildCache());
        state.buildCache().clear();
    }

    /** Every blob the committed state's images and the build cache use. */
    private Set<Digest> liveBlobs() throws IOException {
        Set<Digest> live = new HashSet<>(state.buildCache());
        for (var entry : state.images().entrySet()) {
            Digest manifestDigest = Digest.parse(entry.getKey());
            live.add(manifestDigest);
            live.add(entry.getValue().config());
            Manifest manifest = Json.read(readBlob(manifestDigest), Manifest.class, "manifest " + manifestDigest);
            for (Descriptor layer : manifest.layers()) {
                live.add(layer.digest());
            }
        }
        return live;
    }

    /**
     * Makes the transaction visible: staged blobs that committed images use move into
     * {@code blobs/}, the metadata file is replaced in one rename, then blobs and unpacked
     * layers no image needs any more are deleted.
     */
    public void commit() throws IOException {
        awaitSyncs();
        Set<Digest> live = liveBlobs();
        Path stagedBlobs = staging.resolve("blobs");
        boolean moved = false;
        if (Files.isDirectory(stagedBlobs)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(stagedBlobs)) {
                for (Path staged : entries) {
                    Digest digest = Digest.ofHex(staged.getFileName().toString());
                    if (live.contains(digest) && !store.hasBlob(digest)) {
                        Path target = store.blobs().path(digest);
                        Files.createDirectories(target.getParent());
                        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                        moved = true;
                    }
                }
            }
        }
        if (moved) {
            AtomicFiles.syncDirectory(store.blobs().path(Digest.ofHex("0".repeat(64))).getParent());
        }
        AtomicFiles.write(store.stateFile(), Json.bytes(state));
        committed = true;
        for (Digest candidate : removedBlobCandidates) {
            if (!live.contains(candidate)) {
                Files.deleteIfExists(store.blobs().path(candidate));
            }
        }
        if (!removedBlobCandidates.isEmpty()) {
            new LayerStore(store).removeUnused(this);
        }
        removedBlobCandidates.clear();
    }

    /**
     * Deletes blobs in {@code blobs/} that no image uses (left by a crash between moving blobs
     * and writing metadata, or by an interrupted removal). Returns the bytes freed.
     */
    public long collectGarbage() throws IOException {
        Set<Digest> live = liveBlobs();
        long freed = 0;
        Path dir = store.blobs().dir().resolve("sha256");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path blob : entries) {
                    String name = blob.getFileName().toString();
                    if (name.length() == 64 && !live.contains(Digest.ofHex(name))) {
                        freed += Files.size(blob);
                        Files.delete(blob);
                    }
                }
            }
        }
        new LayerStore(store).removeUnused(this);
        return freed;
    }

    public boolean committed() {
        return committed;
    }

    /** Discards whatever was not committed and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            if (syncer != null) {
                syncer.shutdownNow();
                syncer.awaitTermination(1, TimeUnit.MINUTES);
            }
            AtomicFiles.deleteTree(staging);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NoSuchFileException e) {
            // nothing staged
        } finally {
            lock.close();
        }
    }
}
