package dev.vessel.vm.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel modules of one release (/lib/modules/RELEASE), read from modules.dep,
 * modules.softdep and modules.alias, so that a set of wanted modules can be expanded into
 * a load order where every module comes after what it needs (hard dependencies and the
 * "pre:" soft dependencies, such as crc32c before ext4).
 */
public final class KernelModules {
    private final Path directory;
    private final Map<String, String> pathByName = new HashMap<>();
    private final Map<String, List<String>> dependencies = new HashMap<>();
    private final Map<String, List<String>> softPre = new HashMap<>();
    private final Map<String, List<String>> aliases = new HashMap<>();

    private KernelModules(Path directory) {
        this.directory = directory;
    }

    public static KernelModules read(Path directory) throws IOException {
        KernelModules modules = new KernelModules(directory);
        Path dep = directory.resolve("modules.dep");
        if (!Files.isRegularFile(dep)) {
            throw new IOException("no modules.dep in " + directory + " (is the kernel's module package installed?)");
        }
        for (String line : Files.readAllLines(dep)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String path = line.substring(0, colon).strip();
            String name = nameOf(path);
            modules.pathByName.put(name, path);
            List<String> needs = new ArrayList<>();
            for (String d : line.substring(colon + 1).strip().split("\\s+")) {
                if (!d.isEmpty()) {
                    needs.add(nameOf(d));
                }
            }
            modules.dependencies.put(name, needs);
        }
        Path softdep = directory.resolve("modules.softdep");
        if (Files.isRegularFile(softdep)) {
            for (String line : Files.readAllLines(softdep)) {
                String[] words = line.strip().split("\\s+");
                if (words.length < 3 || !words[0].equals("softdep")) {
                    continue;
                }
                List<String> pre = new ArrayList<>();
                boolean inPre = false;
                for (int i = 2; i < words.length; i++) {
                    if (words[i].endsWith(":")) {
                        inPre = words[i].equals("pre:");
                    } else if (inPre) {
                        pre.add(words[i]);
                    }
                }
                modules.softPre.put(normalise(words[1]), pre);
            }
        }
        Path alias = directory.resolve("modules.alias");
        if (Files.isRegularFile(alias)) {
            for (String line : Files.readAllLines(alias)) {
                String[] words = line.strip().split("\\s+");
                if (words.length == 3 && words[0].equals("alias") && !words[1].contains("*")) {
                    modules.aliases.computeIfAbsent(words[1], k -> new ArrayList<>()).add(normalise(words[2]));
                }
            }
        }
        return modules;
    }

    /** Module names in an order that loads each after its dependencies; built-in modules are skipped. */
    public List<String> loadOrder(List<String> wanted) {
        Set<String> order = new LinkedHashSet<>();
        for (String name : wanted) {
            visit(normalise(name), order, new LinkedHashSet<>());
        }
        return List.copyOf(order);
    }

    /** The module's file (absolute), e.g. .../kernel/drivers/block/virtio_blk.ko or .ko.xz. */
    public Path file(String name) {
        String path = pathByName.get(normalise(name));
        if (path == null) {
            throw new IllegalArgumentException("no module " + name + " in " + directory);
        }
        return directory.resolve(path);
    }

    private void visit(String name, Set<String> order, Set<String> visiting) {
        if (order.contains(name) || !visiting.add(name)) {
            return;
        }
        if (!pathByName.containsKey(name)) {
            return; // built into the kernel (or absent): nothing to load
        }
        for (String pre : softPre.getOrDefault(name, List.of())) {
            String resolved = resolve(pre);
            if (resolved != null) {
                visit(resolved, order, visiting);
            }
        }
        for (String dep : dependencies.getOrDefault(name, List.of())) {
            visit(dep, order, visiting);
        }
        order.add(name);
    }

    // A soft dependency may name an alias (crypto-crc32c); prefer a *_generic implementation.
    private String resolve(String nameOrAlias) {
        String name = normalise(nameOrAlias);
        if (pathByName.containsKey(name)) {
            return name;
        }
        List<String> candidates = aliases.getOrDefault(nameOrAlias, List.of());
        return candidates.stream().filter(c -> c.endsWith("_generic")).findFirst()
                .orElse(candidates.stream().filter(pathByName::containsKey).findFirst().orElse(null));
    }

    static String nameOf(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int ko = file.indexOf(".ko");
        return normalise(ko < 0 ? file : file.substring(0, ko));
    }

    private static String normalise(String name) {
        return name.replace('-', '_');
    }
}
