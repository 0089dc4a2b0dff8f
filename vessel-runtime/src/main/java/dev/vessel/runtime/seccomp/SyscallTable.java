package dev.vessel.runtime.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** System call names to numbers for x86_64, from a table generated off the kernel headers. */
final class SyscallTable {
    private static Map<String, Integer> x86_64;

    private SyscallTable() {
    }

    static synchronized Map<String, Integer> x86_64() {
        if (x86_64 == null) {
            Map<String, Integer> table = new HashMap<>();
            try (InputStream in = SyscallTable.class.getResourceAsStream("x86_64.syscalls");
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    int space = line.indexOf(' ');
                    table.put(line.substring(0, space), Integer.parseInt(line.substring(space + 1).trim()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            x86_64 = table;
        }
        return x86_64;
    }
}
