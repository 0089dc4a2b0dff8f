package dev.vessel.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seccomp profiles for containers, as OCI {@code linux.seccomp} objects: Vessel's default
 * (Docker's intent: the system calls a container has no business making fail with EPERM unless
 * the capability that guards them was added) and Docker-format profile files
 * ({@code --security-opt seccomp=FILE}).
 */
public final class SeccompProfiles {
    /** clone's namespace flags (CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET), refused without CAP_SYS_ADMIN. */
    private static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;

    /** The denied system calls, each with the capability that allows it again (null: none does). */
    private static final Map<String, String> DENIED = denied();

    private SeccompProfiles() {
    }

    private static Map<String, String> denied() {
        Map<String, String> denied = new LinkedHashMap<>();
        for (String name : List.of("add_key", "keyctl", "request_key", "bpf", "userfaultfd", "kexec_file_load",
                "kexec_load", "lookup_dcookie", "mbind", "get_mempolicy", "set_mempolicy", "move_pages",
                "nfsservctl", "open_by_handle_at", "perf_event_open", "uselib", "ustat", "sysfs", "_sysctl",
                "create_module", "get_kernel_syms", "query_module", "vm86", "vm86old", "name_to_handle_at",
                "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree")) {
            denied.put(name, null);
        }
        for (String name : List.of("mount", "umount2", "umount", "pivot_root", "setns", "unshare", "quotactl",
                "swapon", "swapoff", "setdomainname", "sethostname", "mount_setattr")) {
            denied.put(name, "CAP_SYS_ADMIN");
        }
        for (String name : List.of("ptrace", "process_vm_readv", "process_vm_writev", "kcmp")) {
            denied.put(name, "CAP_SYS_PTRACE");
        }
        for (String name : List.of("init_module", "finit_module", "delete_module")) {
            denied.put(name, "CAP_SYS_MODULE");
        }
        for (String name : List.of("settimeofday", "stime", "clock_settime", "clock_adjtime", "adjtimex")) {
            denied.put(name, "CAP_SYS_TIME");
        }
        denied.put("reboot", "CAP_SYS_BOOT");
        denied.put("acct", "CAP_SYS_PACCT");
        denied.put("iopl", "CAP_SYS_RAWIO");
        denied.put("ioperm", "CAP_SYS_RAWIO");
        return denied;
    }

    /** Vessel's default profile for a container with these capabilities. */
    public static ObjectNode dockerDefault(List<String> capabilities) {
        ObjectNode seccomp = JsonNodeFactory.instance.objectNode();
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
        ArrayNode syscalls = seccomp.putArray("syscalls");
        ArrayNode names = JsonNodeFactory.instance.arrayNode();
        DENIED.forEach((name, capability) -> {
            if (capability == null || !capabilities.contains(capability)) {
                names.add(name);
            }
        });
        ObjectNode deny = syscalls.addObject();
        deny.set("names", names);
        deny.put("action", "SCMP_ACT_ERRNO");
        deny.put("errnoRet", 1);
        // clone3 passes its flags in memory, where a filter cannot look: ENOSYS makes libc fall back to clone.
        ObjectNode clone3 = syscalls.addObject();
        clone3.putArray("names").add("clone3");
        clone3.put("action", "SCMP_ACT_ERRNO");
        clone3.put("errnoRet", 38);
        if (!capabilities.contains("CAP_SYS_ADMIN")) {
            // New namespaces through clone, as unshare is refused above: one rule per flag bit.
            for (long bit = 1; bit != 0 && bit <= CLONE_NAMESPACE_FLAGS; bit <<= 1) {
                if ((CLONE_NAMESPACE_FLAGS & bit) == 0) {
                    continue;
                }
                ObjectNode clone = syscalls.addObject();
                clone.putArray("names").add("clone");
                clone.put("action", "SCMP_ACT_ERRNO");
                clone.put("errnoRet", 1);
                clone.putArray("args").addObject().put("index", 0).put("value", bit).put("valueTwo", bit)
                        .put("op", "SCMP_CMP_MASKED_EQ");
            }
        }
        return seccomp;
    }

    /**
     * A Docker-format profile file (defaultAction, architectures or archMap, syscalls with names,
     * action, args, errnoRet, includes/excludes by capability) as an OCI seccomp object.
     */
    public static ObjectNode fromDockerFile(Path file, List<String> capabilities) throws IOException {
        JsonNode profile;
        try {
            profile = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the seccomp profile " + file + ": " + e.getMessage());
        }
        if (profile == null || !profile.has("defaultAction")) {
            throw new IllegalArgumentException("the seccomp profile " + file + " has no defaultAction");
        }
        ObjectNode seccomp = JsonNodeFactory.instance.objectNode();
        seccomp.set("defaultAction", profile.get("defaultAction"));
        if (profile.has("defaultErrnoRet")) {
            seccomp.set("defaultErrnoRet", profile.get("defaultErrnoRet"));
        }
        ArrayNode architectures = seccomp.putArray("architectures");
        if (profile.has("architectures")) {
            profile.get("architectures").forEach(architectures::add);
        }
        for (JsonNode map : profile.path("archMap")) {
            architectures.add(map.path("architecture"));
            map.path("subArchitectures").forEach(architectures::add);
        }
        ArrayNode syscalls = seccomp.putArray("syscalls");
        for (JsonNode rule : profile.path("syscalls")) {
            if (!capabilitiesMatch(rule, capabilities)) {
                continue;
            }
            ObjectNode copy = syscalls.addObject();
            JsonNode names = rule.has("names") ? rule.get("names") : JsonNodeFactory.instance.arrayNode().add(rule.path("name"));
            copy.set("names", names);
            copy.set("action", rule.get("action"));
            for (String field : List.of("args", "errnoRet")) {
                if (rule.has(field) && !rule.get(field).isNull()) {
                    copy.set(field, rule.get(field));
                }
            }
        }
        return seccomp;
    }

    private static boolean capabilitiesMatch(JsonNode rule, List<String> capabilities) {
        for (JsonNode capability : rule.path("includes").path("caps")) {
            if (!capabilities.contains(capability.asText())) {
                return false;
            }
        }
        for (JsonNode capability : rule.path("excludes").path("caps")) {
            if (capabilities.contains(capability.asText())) {
                return false;
            }
        }
        return true;
    }
}
