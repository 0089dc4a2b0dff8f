package dev.vessel.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.runtime.spec.DefaultSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Test bundles: a busybox rootfs (Debian's static busybox with its applet links) and config.json edits. */
final class Bundles {
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    private Bundles() {
    }

    static void assumeRoot() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (namespaces, cgroups)");
        Assumptions.assumeTrue(Files.isExecutable(BUSYBOX), "needs /bin/busybox (busybox-static)");
    }

    static boolean runcPresent() {
        return Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc"));
    }

    /** A bundle directory with rootfs/ and the default config.json (terminal off). */
    static Path create(Path dir) throws IOException {
        Path rootfs = dir.resolve("rootfs");
        Path bin = rootfs.resolve("bin");
        Files.createDirectories(bin);
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
            }
        }
        for (String d : List.of("proc", "sys", "dev", "etc", "tmp", "root")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnobody:x:65534:\n");
        ObjectNode config = (ObjectNode) MAPPER.readTree(DefaultSpec.json());
        ((ObjectNode) config.get("process")).put("terminal", false);
        write(dir, config);
        return dir;
    }

    static ObjectNode config(Path bundle) throws IOException {
        return (ObjectNode) MAPPER.readTree(bundle.resolve("config.json").toFile());
    }

    static void write(Path bundle, JsonNode config) throws IOException {
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(bundle.resolve("config.json").toFile(), config);
    }

    /** Sets process.args. */
    static void args(Path bundle, String... args) throws IOException {
        ObjectNode config = config(bundle);
        ArrayNode array = ((ObjectNode) config.get("process")).putArray("args");
        for (String a : args) {
            array.add(a);
        }
        write(bundle, config);
    }

    static ObjectNode linux(ObjectNode config) {
        return (ObjectNode) config.get("linux");
    }

    /** Runs the bundle in-process with Vessel, stdout and stderr to a file; status and output. */
    static Result vessel(Path root, Path bundle, String id) throws IOException {
        Path out = Files.createTempFile(bundle, "out", ".txt");
        ProcessBuilder.Redirect file = ProcessBuilder.Redirect.appendTo(out.toFile());
        int status = new OciRuntime(root).run(id, bundle,
                new OciRuntime.CreateOptions(null, null, new ProcessBuilder.Redirect[] {null, file, file}));
        String text = Files.readString(out);
        Files.delete(out);
        return new Result(status, text);
    }

    /** Runs the bundle with runc run (its own state root); status and combined output. */
    static Result runc(Path root, Path bundle, String id) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("runc", "--root", root.toString(), "run", "--bundle",
                bundle.toString(), id));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("runc run did not finish");
        }
        new ProcessBuilder("runc", "--root", root.toString(), "delete", "--force", id).start().waitFor();
        return new Result(p.exitValue(), text);
    }

    record Result(int status, String output) {
    }
}
