package dev.vessel.runtime.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runtime records about a container (state.json under --root/ID). The public part is
 * runc's `state` output; startTime (the kernel's start time of the pid, to tell a reused pid
 * apart), cgroups and namespaces are the runtime's own.
 */
public record ContainerState(String ociVersion, String id, int pid, String status, String bundle, String rootfs,
                             String created, String owner, Map<String, String> annotations, long startTime,
                             List<String> cgroups, List<String> namespaces) {

    public ContainerState withStatus(String newStatus) {
        return new ContainerState(ociVersion, id, pid, newStatus, bundle, rootfs, created, owner, annotations, startTime,
                cgroups, namespaces);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ociVersion", ociVersion);
        json.put("id", id);
        json.put("pid", pid);
        json.put("status", status);
        json.put("bundle", bundle);
        json.put("rootfs", rootfs);
        json.put("created", created);
        json.put("owner", owner);
        json.put("annotations", annotations);
        json.put("startTime", startTime);
        json.put("cgroups", cgroups);
        json.put("namespaces", namespaces);
        return json;
    }

    @SuppressWarnings("unchecked")
    public static ContainerState fromJson(Object json) {
        Map<String, Object> m = (Map<String, Object>) json;
        Map<String, String> annotations = m.get("annotations") == null ? null
                : new LinkedHashMap<>((Map<String, String>) m.get("annotations"));
        return new ContainerState((String) m.get("ociVersion"), (String) m.get("id"), ((Long) m.get("pid")).intValue(),
                (String) m.get("status"), (String) m.get("bundle"), (String) m.get("rootfs"), (String) m.get("created"),
                (String) m.get("owner"), annotations, (Long) m.get("startTime"),
                new ArrayList<>((List<String>) m.get("cgroups")), new ArrayList<>((List<String>) m.get("namespaces")));
    }
}
