package dev.vessel.runtime.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Binds parsed JSON ({@link Json}) to the {@link Spec} records by hand: strict types, errors
 * naming the field's path (process.args[0] ...), and no reflection at start-up.
 */
public final class SpecBinder {
    private SpecBinder() {
    }

    /** A JSON object and where it is in the document. */
    private record Obj(Map<String, Object> map, String path) {
        String at(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        Object raw(String field) {
            return map.get(field);
        }

        String str(String field) {
            Object v = map.get(field);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            throw wrong(at(field), "a string", v);
        }

        Boolean bool(String field) {
            Object v = map.get(field);
            if (v == null || v instanceof Boolean) {
                return (Boolean) v;
            }
            throw wrong(at(field), "true or false", v);
        }

        Long lng(String field) {
            Object v = map.get(field);
            if (v == null || v instanceof Long) {
                return (Long) v;
            }
            throw wrong(at(field), "an integer", v);
        }

        Integer integer(String field) {
            Long v = lng(field);
            if (v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
                throw new IllegalArgumentException(at(field) + ": " + v + " is out of range");
            }
            return v == null ? null : v.intValue();
        }

        BigInteger big(String field) {
            Object v = map.get(field);
            if (v == null) {
                return null;
            }
            if (v instanceof Long l) {
                return BigInteger.valueOf(l);
            }
            if (v instanceof BigInteger b) {
                return b;
            }
            throw wrong(at(field), "an integer", v);
        }

        Obj obj(String field) {
            Object v = map.get(field);
            if (v == null) {
                return null;
            }
            return asObj(v, at(field));
        }

        List<Object> list(String field) {
            Object v = map.get(field);
            if (v == null) {
                return null;
            }
            if (v instanceof List<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) l;
                return list;
            }
            throw wrong(at(field), "an array", v);
        }

        List<String> strings(String field) {
            List<Object> l = list(field);
            if (l == null) {
                return null;
            }
            List<String> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof String s)) {
                    throw wrong(at(field) + "[" + i + "]", "a string", l.get(i));
                }
                out.add(s);
            }
            return out;
        }

        List<Long> longs(String field) {
            List<Object> l = list(field);
            if (l == null) {
                return null;
            }
            List<Long> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof Long n)) {
                    throw wrong(at(field) + "[" + i + "]", "an integer", l.get(i));
                }
                out.add(n);
            }
            return out;
        }

        Map<String, String> stringMap(String field) {
            Obj o = obj(field);
            if (o == null) {
                return null;
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String key : o.map.keySet()) {
                out.put(key, o.str(key));
            }
            return out;
        }

        <T> List<T> objects(String field, BiFunction<Obj, String, T> bind) {
            List<Object> l = list(field);
            if (l == null) {
                return null;
            }
            List<T> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                String where = at(field) + "[" + i + "]";
                out.add(bind.apply(asObj(l.get(i), where), where));
            }
            return out;
        }
    }

    private static Obj asObj(Object v, String path) {
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return new Obj(map, path);
        }
        throw wrong(path.isEmpty() ? "(document)" : path, "an object", v);
    }

    private static IllegalArgumentException wrong(String path, String expected, Object got) {
        String kind = switch (got) {
            case null -> "null";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> "a number";
        };
        return new IllegalArgumentException("field " + path + ": expected " + expected + ", got " + kind);
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
        Obj o = asObj(json, "");
        return new Spec(o.str("ociVersion"), process(o.obj("process")), root(o.obj("root")), o.str("hostname"),
                o.str("domainname"), o.objects("mounts", SpecBinder::mount), hooks(o.obj("hooks")),
                o.stringMap("annotations"), linux(o.obj("linux")));
    }

    public static Spec.Process process(Object json, String what) {
        try {
            return process(asObj(json, ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    public static Spec.Resources resources(Object json, String what) {
        try {
            return resources(asObj(json, ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static Spec.Process process(Obj o) {
        if (o == null) {
            return null;
        }
        Obj u = o.obj("user");
        Spec.User user = u == null ? null
                : new Spec.User(u.lng("uid"), u.lng("gid"), u.integer("umask"), u.longs("additionalGids"));
        Obj c = o.obj("capabilities");
        Spec.Capabilities caps = c == null ? null
                : new Spec.Capabilities(c.strings("bounding"), c.strings("effective"), c.strings("inheritable"),
                        c.strings("permitted"), c.strings("ambient"));
        return new Spec.Process(o.bool("terminal"), user, o.strings("args"), o.strings("env"), o.str("cwd"), caps,
                o.objects("rlimits", (r, p) -> new Spec.Rlimit(r.str("type"), r.big("soft"), r.big("hard"))),
                o.bool("noNewPrivileges"), o.integer("oomScoreAdj"), o.str("apparmorProfile"), o.str("selinuxLabel"));
    }

    private static Spec.Root root(Obj o) {
        return o == null ? null : new Spec.Root(o.str("path"), o.bool("readonly"));
    }

    private static Spec.Mount mount(Obj o, String path) {
        return new Spec.Mount(o.str("destination"), o.str("type"), o.str("source"), o.strings("options"));
    }

    private static Spec.Hooks hooks(Obj o) {
        if (o == null) {
            return null;
        }
        BiFunction<Obj, String, Spec.Hook> hook =
                (h, p) -> new Spec.Hook(h.str("path"), h.strings("args"), h.strings("env"), h.integer("timeout"));
        return new Spec.Hooks(o.objects("prestart", hook), o.objects("createRuntime", hook),
                o.objects("createContainer", hook), o.objects("startContainer", hook), o.objects("poststart", hook),
                o.objects("poststop", hook));
    }

    private static Spec.Linux linux(Obj o) {
        if (o == null) {
            return null;
        }
        BiFunction<Obj, String, Spec.IdMapping> mapping =
                (m, p) -> new Spec.IdMapping(m.lng("containerID"), m.lng("hostID"), m.lng("size"));
        Obj r = o.obj("resources");
        return new Spec.Linux(o.objects("uidMappings", mapping), o.objects("gidMappings", mapping),
                o.stringMap("sysctl"), r == null ? null : resources(r), o.str("cgroupsPath"),
                o.objects("namespaces", (n, p) -> new Spec.Namespace(n.str("type"), n.str("path"))),
                o.objects("devices", (d, p) -> new Spec.Device(d.str("type"), d.str("path"), d.lng("major"),
                        d.lng("minor"), d.integer("fileMode"), d.lng("uid"), d.lng("gid"))),
                seccomp(o.obj("seccomp")), o.str("rootfsPropagation"), o.strings("maskedPaths"),
                o.strings("readonlyPaths"), o.str("mountLabel"));
    }

    private static Spec.Resources resources(Obj o) {
        Obj m = o.obj("memory");
        Obj c = o.obj("cpu");
        Obj p = o.obj("pids");
        Obj b = o.obj("blockIO");
        BiFunction<Obj, String, Spec.ThrottleDevice> throttle =
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

    private static Spec.Seccomp seccomp(Obj o) {
        if (o == null) {
            return null;
        }
        return new Spec.Seccomp(o.str("defaultAction"), o.integer("defaultErrnoRet"), o.strings("architectures"),
                o.strings("flags"), o.objects("syscalls", (s, p) -> new Spec.Syscall(s.strings("names"), s.str("action"),
                        s.integer("errnoRet"), s.objects("args", (a, w) -> new Spec.Arg(a.integer("index"), a.lng("value"),
                                a.lng("valueTwo"), a.str("op"))))));
    }
}
