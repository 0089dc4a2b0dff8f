package dev.vessel.image.registry;

import java.io.InterruptedIOException;
import java.time.Duration;

/** How often and how patiently a failing request is retried (exponential backoff, capped). */
public record Retry(int attempts, Duration firstDelay, Duration maxDelay) {
    public static final Retry DEFAULT = new Retry(5, Duration.ofMillis(200), Duration.ofSeconds(10));

    /** The pause before retry number {@code n} (1-based), unless the server asked for another. */
    Duration delay(int n, Duration serverAsked) {
        if (serverAsked != null) {
            return serverAsked.compareTo(maxDelay) > 0 ? maxDelay : serverAsked;
        }
        long millis = firstDelay.toMillis() << Math.min(n - 1, 16);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }

    void sleep(int n, Duration serverAsked) throws InterruptedIOException {
        try {
            Thread.sleep(delay(n, serverAsked));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    static boolean retryableStatus(int status) {
        return status == 429 || status == 408 || (status >= 500 && status != 501 && status != 505);
    }
}
