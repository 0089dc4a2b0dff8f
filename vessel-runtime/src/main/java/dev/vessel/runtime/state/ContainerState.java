package dev.vessel.runtime.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What the runtime records about a container (state.json under --root/ID). The public part is
 * runc's `state` output; startTime (the kernel's start time of the pid, to tell a reused pid
 * apart), cgroups and namespaces are the runtime's own.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerState(String ociVersion, String id, int pid, String status, String bundle, String rootfs,
                             String created, String owner, Map<String, String> annotations, long startTime,
                             List<String> cgroups, List<String> namespaces) {

    public ContainerState withStatus(String newStatus) {
        return new ContainerState(ociVersion, id, pid, newStatus, bundle, rootfs, created, owner, annotations, startTime,
                cgroups, namespaces);
    }
}
