package dev.vessel.runtime.spec;

import dev.vessel.os.json.JsonObject;
import java.util.function.BiFunction;

/**
 * Binds parsed JSON ({@link JsonObject}) to the {@link Spec} records by hand: strict types, errors
 * naming the field's path (process.args[0] ...), and no reflection at start-up.
 */
public final class SpecBinder {
    private SpecBinder() {
    }

    /** The spec; errors are prefixed with what (the file). */
    public static Spec spec(Object json, String what) {
        try {
            return spec(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static Spec spec(Object json) {
        JsonObject o = JsonObject.of(json, "");
        return new Spec(o.str("ociVersion"), process(o.obj("process")), root(o.obj("root")), o.str("hostname"),
                o.str("domainname"), o.objects("mounts", SpecBinder::mount), hooks(o.obj("hooks")),
                o.stringMap("annotations"), linux(o.obj("linux")));
    }

    public static Spec.Process process(Object json, String what) {
        try {
            return process(JsonObject.of(json, ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    public static Spec.Resources resources(Object json, String what) {
        try {
            return resources(JsonObject.of(json, ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static Spec.Process process(JsonObject o) {
        if (o == null) {
            return null;
        }
        JsonObject u = o.obj("user");
        Spec.User user = u == null ? null
                : new Spec.User(u.lng("uid"), u.lng("gid"), u.integer("umask"), u.longs("additionalGids"));
        JsonObject c = o.obj("capabilities");
        Spec.Capabilities caps = c == null ? null
                : new Spec.Capabilities(c.strings("bounding"), c.strings("effective"), c.strings("inheritable"),
                        c.strings("permitted"), c.strings("ambient"));
        return new Spec.Process(o.bool("terminal"), user, o.strings("args"), o.strings("env"), o.str("cwd"), caps,
                o.objects("rlimits", (r, p) -> new Spec.Rlimit(r.str("type"), r.big("soft"), r.big("hard"))),
                o.bool("noNewPrivileges"), o.integer("oomScoreAdj"), o.str("apparmorProfile"), o.str("selinuxLabel"));
    }

    private static Spec.Root root(JsonObject o) {
        return o == null ? null : new Spec.Root(o.str("path"), o.bool("readonly"));
    }

    private static Spec.Mount mount(JsonObject o, String path) {
        return new Spec.Mount(o.str("destination"), o.str("type"), o.str("source"), o.strings("options"));
    }

    private static Spec.Hooks hooks(JsonObject o) {
        if (o == null) {
            return null;
        }
        BiFunction<JsonObject, String, Spec.Hook> hook =
                (h, p) -> new Spec.Hook(h.str("path"), h.strings("args"), h.strings("env"), h.integer("timeout"));
        return new Spec.Hooks(o.objects("prestart", hook), o.objects("createRuntime", hook),
                o.objects("createContainer", hook), o.objects("startContainer", hook), o.objects("poststart", hook),
                o.objects("poststop", hook));
    }

    private static Spec.Linux linux(JsonObject o) {
        if (o == null) {
            return null;
        }
        BiFunction<JsonObject, String, Spec.IdMapping> mapping =
                (m, p) -> new Spec.IdMapping(m.lng("containerID"), m.lng("hostID"), m.lng("size"));
        JsonObject r = o.obj("resources");
        return new Spec.Linux(o.objects("uidMappings", mapping), o.objects("gidMappings", mapping),
                o.stringMap("sysctl"), r == null ? null : resources(r), o.str("cgroupsPath"),
                o.objects("namespaces", (n, p) -> new Spec.Namespace(n.str("type"), n.str("path"))),
                o.objects("devices", (d, p) -> new Spec.Device(d.str("type"), d.str("path"), d.lng("major"),
                        d.lng("minor"), d.integer("fileMode"), d.lng("uid"), d.lng("gid"))),
                seccomp(o.obj("seccomp")), o.str("rootfsPropagation"), o.strings("maskedPaths"),
                o.strings("readonlyPaths"), o.str("mountLabel"));
    }

    private static Spec.Resources resources(JsonObject o) {
        JsonObject m = o.obj("memory");
        JsonObject c = o.obj("cpu");
        JsonObject p = o.obj("pids");
        JsonObject b = o.obj("blockIO");
        BiFunction<JsonObject, String, Spec.ThrottleDevice> throttle =
                (t, w) -> new Spec.ThrottleDevice(t.lng("major"), t.lng("minor"), t.lng("rate"));
        return new Spec.Resources(
                o.objects("devices", (d, w) -> new Spec.DeviceRule(d.bool("allow"), d.str("type"), d.lng("major"),
                        d.lng("minor"), d.str("access"))),
                m == null ? null : new Spec.Memory(m.lng("limit"), m.lng("reservation"), m.lng("swap"), m.lng("kernel"),
                        m.lng("swappiness"), m.bool("disableOOMKiller")),
                c == null ? null : new Spec.Cpu(c.lng("shares"), c.lng("quota"), c.lng("period"),
                        c.lng("realtimeRuntime"), c.lng("realtimePeriod"), c.str("cpus"), c.str("mems")),
                p == null ? null : new Spec.Pids(p.lng("limit")),
                b == null ? null : new Spec.BlockIO(b.integer("weight"), b.integer("leafWeight"),
                        b.objects("throttleReadBpsDevice", throttle), b.objects("throttleWriteBpsDevice", throttle),
                        b.objects("throttleReadIOPSDevice", throttle), b.objects("throttleWriteIOPSDevice", throttle)),
                o.objects("hugepageLimits", (h, w) -> new Spec.HugepageLimit(h.str("pageSize"), h.lng("limit"))),
                o.stringMap("unified"));
    }

    private static Spec.Seccomp seccomp(JsonObject o) {
        if (o == null) {
            return null;
        }
        return new Spec.Seccomp(o.str("defaultAction"), o.integer("defaultErrnoRet"), o.strings("architectures"),
                o.strings("flags"), o.objects("syscalls", (s, p) -> new Spec.Syscall(s.strings("names"), s.str("action"),
                        s.integer("errnoRet"), s.objects("args", (a, w) -> new Spec.Arg(a.integer("index"), a.lng("value"),
                                a.lng("valueTwo"), a.str("op"))))));
    }
}
