package dev.vessel.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Everything the engine keeps about one container, stored as {@code containers/ID/container.json}
 * and shaped like Docker's inspect output so that `inspect` can show it as it is.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
        @JsonProperty("Id") String id,
        @JsonProperty("Name") String name,
        @JsonProperty("Created") String created,
        @JsonProperty("Image") String imageId,
        @JsonProperty("ImageName") String imageName,
        @JsonProperty("Config") ContainerConfig config,
        @JsonProperty("HostConfig") HostConfig hostConfig,
        @JsonProperty("State") ContainerState state,
        @JsonProperty("RestartCount") int restartCount,
        @JsonProperty("StopRequested") boolean stopRequested) {

    public ContainerRecord withState(ContainerState newState) {
        return new ContainerRecord(id, name, created, imageId, imageName, config, hostConfig, newState, restartCount, stopRequested);
    }

    public ContainerRecord withName(String newName) {
        return new ContainerRecord(id, newName, created, imageId, imageName, config, hostConfig, state, restartCount, stopRequested);
    }

    /** Set by `stop` so that a restart policy other than always leaves the container stopped. */
    public ContainerRecord withStopRequested(boolean requested) {
        return new ContainerRecord(id, name, created, imageId, imageName, config, hostConfig, state, restartCount,
                requested);
    }

    public ContainerRecord withRestartCount(int count) {
        return new ContainerRecord(id, name, created, imageId, imageName, config, hostConfig, state, count, stopRequested);
    }
}
