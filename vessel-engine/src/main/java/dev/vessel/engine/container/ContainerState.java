package dev.vessel.engine.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A container's state in the shape of Docker's {@code State}. */
public record ContainerState(
        @JsonProperty("Status") String status,
        @JsonProperty("Running") boolean running,
        @JsonProperty("Paused") boolean paused,
        @JsonProperty("Restarting") boolean restarting,
        @JsonProperty("OOMKilled") boolean oomKilled,
        @JsonProperty("Dead") boolean dead,
        @JsonProperty("Pid") int pid,
        @JsonProperty("ExitCode") int exitCode,
        @JsonProperty("Error") String error,
        @JsonProperty("StartedAt") String startedAt,
        @JsonProperty("FinishedAt") String finishedAt) {

    public static final String NEVER = "0001-01-01T00:00:00Z";

    public static ContainerState created() {
        return new ContainerState("created", false, false, false, false, false, 0, 0, "", NEVER, NEVER);
    }

    public ContainerState running(int pid, String startedAt) {
        return new ContainerState("running", true, false, false, false, false, pid, 0, "", startedAt, finishedAt);
    }

    public ContainerState exited(int exitCode, boolean oomKilled, String finishedAt) {
        return new ContainerState("exited", false, false, false, oomKilled, false, 0, exitCode, "", startedAt, finishedAt);
    }

    public ContainerState paused(boolean isPaused) {
        return new ContainerState(isPaused ? "paused" : "running", running, isPaused, false, oomKilled, false, pid,
                exitCode, error, startedAt, finishedAt);
    }

    public ContainerState failed(String message, int exitCode) {
        return new ContainerState("exited", false, false, false, false, false, 0, exitCode, message, startedAt,
                dev.vessel.os.Timestamps.now());
    }
}
