package dev.vessel.cli.oci;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.runtime.OciRuntime;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `vessel oci`: runc's command set and global flags, over vessel-runtime. Its model is declared in
 * code (see {@link SpecBuilder}), with the lifecycle verbs ({@link OciLifecycle}); the other verbs
 * are added only when named (see {@link OciVerbs#configure}).
 */
public final class OciCommand implements Runnable {
    Path root;
    String log;
    String logFormat;
    boolean systemdCgroup;
    boolean debug;
    String cgroupRoot;
    CommandSpec spec;

    private OciCommand() {
    }

    /** A fresh model of `oci`, with its lifecycle verbs. */
    static CommandSpec spec() {
        OciCommand command = new OciCommand();
        SpecBuilder spec = SpecBuilder.command(command, "oci",
                "OCI runtime (runc-compatible): run bundles in namespaces and cgroups.");
        spec.option(Path.class, v -> command.root = v, "Runtime state directory (default /run/vessel/oci).", "--root")
                .label("DIR");
        spec.option(String.class, v -> command.log = v, "Also write errors here, as runc does (for conmon, containerd).",
                "--log").label("FILE");
        spec.option(String.class, v -> command.logFormat = v, "text (default) or json.", "--log-format").label("FORMAT");
        spec.flag(v -> command.systemdCgroup = v, "Accepted for runc compatibility (cgroupfs is used).",
                "--systemd-cgroup");
        spec.flag(v -> command.debug = v, "Accepted for runc compatibility.", "--debug");
        spec.option(String.class, v -> command.cgroupRoot = v,
                "Absolute cgroupsPaths may go under PATH (default: only under the runtime's own cgroup).", "--cgroup-root")
                .label("PATH");
        spec.standardHelp(new Version());
        command.spec = spec.spec();
        return spec.spec();
    }

    OciRuntime runtime() {
        return new OciRuntime(root != null ? root.toAbsolutePath() : OciRuntime.DEFAULT_ROOT, cgroupRoot);
    }

    /** runc's --version layout (tools read the first line's version and the spec line). */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties properties = new java.util.Properties();
            try (java.io.InputStream in = dev.vessel.cli.Vessel.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"vessel-oci version " + properties.getProperty("version", "unknown"),
                "spec: " + OciRuntime.OCI_VERSION};
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
