package dev.vessel.runtime;

import dev.vessel.os.json.PlainJson;
import dev.vessel.runtime.cgroup.Cgroup;
import dev.vessel.runtime.cgroup.Hierarchy;
import dev.vessel.runtime.plan.Capabilities;
import dev.vessel.runtime.plan.PlanBuilder;
import dev.vessel.runtime.seccomp.SeccompCompiler;
import dev.vessel.runtime.spec.SpecBinder;
import dev.vessel.runtime.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The class initialisation that starting a container needs, done on another thread while the
 * command line is still being parsed: the JSON parser, the system logger a process start asks
 * for, the runtime's tables. A short-lived JVM runs its static initialisers interpreted, and on a
 * second core they cost the command's own thread nothing. Everything here is idempotent; a class
 * the command reaches first is simply initialised there (the JVM serialises class initialisation).
 */
public final class ClassPreload implements Runnable {
    private ClassPreload() {
    }

    /**
     * What creating and starting a container initialises. (An object, not a method reference: a
     * lambda's call site costs a JVM that did not link it while training its AOT cache ~20 ms.)
     */
    public static Runnable forContainers() {
        return new ClassPreload();
    }

    @Override
    public void run() {
        try {
            // The helper's socket: the JDK's first unix socket seeds a SecureRandom, which registers
            // the security providers (~20 ms of CPU), and the helper's launch would wait for it
            java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX).close();
        } catch (IOException | RuntimeException e) {
            // the launch meets it again and reports it
        }
        try {
            PlainJson.parse("{\"preload\":[1]}".getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // nothing: the command reports its own errors
        }
        // ProcessBuilder.start asks for its System.Logger on first use, which boots java.util.logging
        System.getLogger("java.lang.ProcessBuilder");
        try {
            Hierarchy.detect(); // kept for the command's cgroup work
        } catch (IOException | RuntimeException e) {
            // the command meets it again and reports it
        }
        initialize(SpecBinder.class, PlanBuilder.class, Capabilities.class, SeccompCompiler.class,
                Cgroup.class, StateStore.class, Helper.class);
    }

    private static void initialize(Class<?>... classes) {
        for (Class<?> type : classes) {
            try {
                Class.forName(type.getName(), true, type.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // the command will meet the same error where it can report it
            }
        }
    }
}
