package dev.vessel.runtime.spec;

import java.util.List;
import java.util.Map;

/**
 * The runtime-spec config.json (the fields Vessel reads), bound by {@link SpecBinder}. Unknown fields are
 * ignored, as runc does; wrong types fail with the field's path.
 */
public record Spec(String ociVersion, Process process, Root root, String hostname, String domainname,
                   List<Mount> mounts, Hooks hooks, Map<String, String> annotations, Linux linux) {

    public record Process(Boolean terminal, User user, List<String> args, List<String> env, String cwd,
                          Capabilities capabilities, List<Rlimit> rlimits, Boolean noNewPrivileges,
                          Integer oomScoreAdj, String apparmorProfile, String selinuxLabel) {
    }

    public record User(Long uid, Long gid, Integer umask, List<Long> additionalGids) {
    }

    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                               List<String> permitted, List<String> ambient) {
    }

    public record Rlimit(String type, java.math.BigInteger soft, java.math.BigInteger hard) {
    }

    public record Root(String path, Boolean readonly) {
    }

    public record Mount(String destination, String type, String source, List<String> options) {
    }

    public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
                        List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {
    }

    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    }

    public record Linux(List<IdMapping> uidMappings, List<IdMapping> gidMappings, Map<String, String> sysctl,
                        Resources resources, String cgroupsPath, List<Namespace> namespaces,
                        List<Device> devices, Seccomp seccomp, String rootfsPropagation,
                        List<String> maskedPaths, List<String> readonlyPaths, String mountLabel) {
    }

    public record IdMapping(Long containerID, Long hostID, Long size) {
    }

    public record Namespace(String type, String path) {
    }

    public record Device(String type, String path, Long major, Long minor, Integer fileMode, Long uid, Long gid) {
    }

    public record Resources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids, BlockIO blockIO,
                            List<HugepageLimit> hugepageLimits, Map<String, String> unified) {
    }

    public record DeviceRule(Boolean allow, String type, Long major, Long minor, String access) {
    }

    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long swappiness,
                         Boolean disableOOMKiller) {
    }

    public record Cpu(Long shares, Long quota, Long period, Long realtimeRuntime, Long realtimePeriod,
                      String cpus, String mems) {
    }

    public record Pids(Long limit) {
    }

    public record BlockIO(Integer weight, Integer leafWeight, List<ThrottleDevice> throttleReadBpsDevice,
                          List<ThrottleDevice> throttleWriteBpsDevice, List<ThrottleDevice> throttleReadIOPSDevice,
                          List<ThrottleDevice> throttleWriteIOPSDevice) {
    }

    public record ThrottleDevice(Long major, Long minor, Long rate) {
    }

    public record HugepageLimit(String pageSize, Long limit) {
    }

    public record Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures,
                          List<String> flags, List<Syscall> syscalls) {
    }

    public record Syscall(List<String> names, String action, Integer errnoRet, List<Arg> args) {
    }

    public record Arg(Integer index, Long value, Long valueTwo, String op) {
    }
}
