package dev.vessel.disk;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs qemu-img and qemu-io, the oracles of these tests; tests skip when they are not installed. */
final class Qemu {
    record Result(int status, String out) {
    }

    private Qemu() {
    }

    static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static void require() {
        assumeTrue(available("qemu-img") && available("qemu-io"),
                "qemu-img and qemu-io are not installed (apt-get install qemu-utils); skipping qemu interop tests");
    }

    static Result run(String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    /** Runs a command that must succeed; returns its output. */
    static String ok(String... cmd) throws IOException, InterruptedException {
        Result r = run(cmd);
        if (r.status != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed with " + r.status + ":\n" + r.out);
        }
        return r.out;
    }

    static String img(String... args) throws IOException, InterruptedException {
        String[] c = new String[args.length + 1];
        c[0] = "qemu-img";
        System.arraycopy(args, 0, c, 1, args.length);
        return ok(c);
    }

    /** qemu-img check; asserts it reports a clean image. */
    static void checkClean(Path image) throws IOException, InterruptedException {
        Result r = run("qemu-img", "check", image.toString());
        if (r.status != 0 || !r.out.contains("No errors were found")) {
            throw new AssertionError("qemu-img check " + image + " is not clean (" + r.status + "):\n" + r.out);
        }
    }

    /** qemu-io commands on an image; asserts none failed (qemu-io prints Pattern verification failed). */
    static void io(Path image, String... commands) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("qemu-io"));
        for (String cmd : commands) {
            c.add("-c");
            c.add(cmd);
        }
        c.add(image.toString());
        Result r = run(c.toArray(String[]::new));
        if (r.status != 0 || r.out.contains("failed") || r.out.contains("error") || r.out.contains("Error")) {
            throw new AssertionError("qemu-io on " + image + " " + String.join("; ", commands) + ":\n" + r.out);
        }
    }

    /** The whole guest contents of an image as qemu-img sees them. */
    static byte[] contents(Path image, Path scratch) throws IOException, InterruptedException {
        return contents(image, null, scratch);
    }

    static byte[] contents(Path image, String format, Path scratch) throws IOException, InterruptedException {
        Path raw = scratch.resolve("qemu-view-" + System.nanoTime() + ".raw");
        if (format == null) {
            img("convert", "-O", "raw", image.toString(), raw.toString());
        } else {
            img("convert", "-f", format, "-O", "raw", image.toString(), raw.toString());
        }
        byte[] b = Files.readAllBytes(raw);
        Files.delete(raw);
        return b;
    }
}
