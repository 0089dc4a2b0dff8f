package dev.vessel.cli.oci;

import dev.vessel.runtime.OciRuntime;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `vessel oci`: runc's command set and global flags, over vessel-runtime. */
@Command(name = "oci", description = "OCI runtime (runc-compatible): run bundles in namespaces and cgroups.",
        mixinStandardHelpOptions = true, versionProvider = OciCommand.Version.class,
        subcommands = {
            OciSubcommands.SpecCmd.class, OciSubcommands.Create.class, OciSubcommands.Start.class,
            OciSubcommands.State.class, OciSubcommands.Kill.class, OciSubcommands.Delete.class,
            OciSubcommands.Run.class, OciSubcommands.ListCmd.class, OciSubcommands.Ps.class,
            OciSubcommands.Pause.class, OciSubcommands.Resume.class, OciSubcommands.Update.class,
            OciSubcommands.Exec.class, OciSubcommands.Train.class,
        })
public final class OciCommand implements Runnable {
    @Option(names = "--root", paramLabel = "DIR", description = "Runtime state directory (default /run/vessel/oci).")
    Path root;

    @Option(names = "--log", paramLabel = "FILE", description = "Also write errors here, as runc does (for conmon, containerd).")
    String log;

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text (default) or json.")
    String logFormat;

    @Option(names = "--systemd-cgroup", description = "Accepted for runc compatibility (cgroupfs is used).")
    boolean systemdCgroup;

    @Option(names = "--debug", description = "Accepted for runc compatibility.")
    boolean debug;

    @Option(names = "--cgroup-root", paramLabel = "PATH",
            description = "Absolute cgroupsPaths may go under PATH (default: only under the runtime's own cgroup).")
    String cgroupRoot;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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
