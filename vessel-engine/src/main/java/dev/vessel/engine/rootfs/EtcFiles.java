package dev.vessel.engine.rootfs;

import dev.vessel.engine.spec.OciConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Writes a container's /etc/hostname, /etc/hosts and /etc/resolv.conf, as Docker does per container. */
public final class EtcFiles {
    private EtcFiles() {
    }

    public static OciConfigBuilder.EtcFiles write(Path containerDir, String hostname, boolean hostNetwork)
            throws IOException {
        Path hostnameFile = containerDir.resolve("hostname");
        Path hostsFile = containerDir.resolve("hosts");
        Path resolvFile = containerDir.resolve("resolv.conf");
        Files.writeString(hostnameFile, hostname + "\n");
        if (hostNetwork && Files.isReadable(Path.of("/etc/hosts"))) {
            Files.copy(Path.of("/etc/hosts"), hostsFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(hostsFile, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                    + "127.0.0.1\t" + hostname + "\n");
        }
        Files.writeString(resolvFile, resolvConf(hostNetwork));
        return new OciConfigBuilder.EtcFiles(hostnameFile.toString(), hostsFile.toString(), resolvFile.toString());
    }

    /**
     * The host's resolv.conf; in a private network namespace without loopback name servers,
     * which would point at the container itself.
     */
    static String resolvConf(boolean hostNetwork) throws IOException {
        Path host = Path.of("/etc/resolv.conf");
        if (!Files.isReadable(host)) {
            return "";
        }
        String text = Files.readString(host);
        if (hostNetwork) {
            return text;
        }
        return text.lines()
                .filter(line -> !line.matches("\\s*nameserver\\s+(127\\.|::1).*"))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
