package dev.vessel.cli.vm;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.vm.VmManager;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class VmLogs extends VmVerb {
    boolean follow;

    String name;

    /** A fresh model of `vm logs`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        VmLogs c = new VmLogs();
        SpecBuilder s = SpecBuilder.command(c, "logs", "Print what the VM's serial console printed since it started.");
        s.flag(v -> c.follow = v, "Keep printing new output until the VM stops.", "-f", "--follow");
        s.positional("0", "NAME", v -> c.name = v, "");
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    protected int run() throws IOException {
        VmManager manager = manager();
        manager.store().config(name);
        Path log = manager.files(name).consoleLog();
        long offset = 0;
        while (true) {
            if (Files.exists(log)) {
                try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                    if (file.length() < offset) {
                        offset = 0; // a new run started a new log
                    }
                    file.seek(offset);
                    byte[] buf = new byte[(int) (file.length() - offset)];
                    file.readFully(buf);
                    offset += buf.length;
                    out().print(new String(buf, StandardCharsets.UTF_8));
                    out().flush();
                }
            }
            if (!follow || !manager.state(name).active()) {
                return 0;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }
}
