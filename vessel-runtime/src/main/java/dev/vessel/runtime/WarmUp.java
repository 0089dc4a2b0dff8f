package dev.vessel.runtime;

import dev.vessel.os.Processes;
import dev.vessel.os.json.PlainJson;
import dev.vessel.runtime.cgroup.Cgroup;
import dev.vessel.runtime.plan.PlanBuilder;
import dev.vessel.runtime.seccomp.SeccompCompiler;
import dev.vessel.runtime.spec.DefaultSpec;
import dev.vessel.runtime.spec.Spec;
import dev.vessel.runtime.spec.SpecReader;
import dev.vessel.runtime.state.ContainerState;
import dev.vessel.runtime.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Walks the start path of `oci run` without starting anything (no cgroup, no process): reads a
 * config.json, builds the plan with a seccomp program, writes and reads state, opens the FFM
 * calls. bin/build's AOT training runs it so that those classes come from the AOT cache.
 */
public final class WarmUp {
    private WarmUp() {
    }

    public static void run(Path scratch) throws IOException {
        Path bundle = scratch.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.write(bundle.resolve("config.json"), DefaultSpec.json());
        Spec spec = SpecReader.read(bundle.resolve("config.json"));
        PlanBuilder.validate(spec);
        PlanBuilder.rootfs(spec, bundle);
        Cgroup cgroup = Cgroup.resolve(null, "warm-up");
        // the default spec asks for a terminal: a console socket path (nothing connects to it here)
        PlanBuilder.container(spec, bundle, cgroup, scratch.resolve("exec.fifo"), scratch.resolve("console.sock").toString())
                .encode();
        Spec.Seccomp seccomp = new Spec.Seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"), null,
                List.of(new Spec.Syscall(List.of("mkdir"), "SCMP_ACT_ERRNO", null,
                        List.of(new Spec.Arg(1, 0700L, 0700L, "SCMP_CMP_MASKED_EQ")))));
        SeccompCompiler.toHex(SeccompCompiler.compile(seccomp));
        StateStore store = new StateStore(scratch.resolve("state"));
        store.claim("warm-up");
        ContainerState state = new ContainerState(OciRuntime.OCI_VERSION, "warm-up", 1, "created", bundle.toString(),
                bundle.resolve("rootfs").toString(), "", "", Map.of(), 0, List.of(), List.of("pid"));
        store.write(state);
        store.read("warm-up");
        PlainJson.write(OciRuntime.publicState(state), true);
        store.remove("warm-up");
        // The helper's transport: a unix socket and a child process (here /bin/true).
        Path socket = scratch.resolve("warm.sock");
        try (java.nio.channels.ServerSocketChannel server =
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
            server.accept();
        }
        Files.deleteIfExists(socket);
        if (Files.isExecutable(Path.of("/bin/true"))) {
            ProcessBuilder pb = new ProcessBuilder("/bin/true");
            pb.environment().clear();
            pb.redirectInput(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            try {
                pb.start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int[] pipe = Processes.pipe();
        Processes.close(pipe[0]);
        Processes.close(pipe[1]);
        Processes.close(Processes.sealedMemfd("warm-up", new byte[] {1}));
        ProcStat.startTime((int) ProcessHandle.current().pid());
        Helper.class.getName();
    }
}
