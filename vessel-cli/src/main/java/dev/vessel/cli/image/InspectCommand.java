package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.format.GoTemplate;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.cli.VesselException;
import dev.vessel.image.Digest;
import dev.vessel.image.Image;
import dev.vessel.image.ImageNotFoundException;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

public final class InspectCommand extends ImageCommandBase {
    List<String> images;

    String format;

    /** A fresh model of `inspect`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        InspectCommand c = new InspectCommand();
        SpecBuilder s = SpecBuilder.command(c, "inspect", "Show images as JSON in Docker's shape.");
        s.oneOrMore("0", "IMAGE", v -> c.images = v, "");
        s.option(String.class, v -> c.format = v, "json (default) or a Go template such as {{.Config.Cmd}}.", "-f", "--format")
                .label("FORMAT");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        ImageStore store = store();
        List<Map<String, Object>> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String text : images) {
            try {
                found.add(inspect(store, store.resolve(text)));
            } catch (ImageNotFoundException e) {
                missing.add(text);
            }
        }
        if (format != null && !format.equals("json")) {
            for (Map<String, Object> image : found) {
                out().println(GoTemplate.render(format, image));
            }
        } else {
            out().println(dockerIndent(found));
        }
        if (!missing.isEmpty()) {
            throw new VesselException(NOT_FOUND, "No such image: " + String.join(", ", missing));
        }
        return 0;
    }

    /** JSON indented as Go's json.MarshalIndent(v, "", "    ") does. */
    static String dockerIndent(Object value) throws java.io.IOException {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators)
                .withObjectIndenter(new DefaultIndenter("    ", "\n"))
                .withArrayIndenter(new DefaultIndenter("    ", "\n"));
        return Json.presentation().writer(printer).writeValueAsString(value);
    }

    /** Docker's image inspect object (plus Podman's History). */
    static Map<String, Object> inspect(ImageStore store, Image image) throws java.io.IOException {
        byte[] configBytes = store.configBytes(image);
        ImageConfig config = Json.read(configBytes, ImageConfig.class, "image config");
        JsonNode raw = Json.mapper().readTree(configBytes);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Id", image.id().toString());
        json.put("RepoTags", image.tags().stream().map(ImageReference::familiarString).toList());
        json.put("RepoDigests", image.tags().stream().map(ImageReference::familiarName).distinct()
                .map(name -> name + "@" + image.manifestDigest()).toList());
        json.put("Parent", "");
        json.put("Comment", raw.path("comment").asText(lastComment(config)));
        json.put("Created", config.created() == null ? "" : config.created());
        json.put("DockerVersion", raw.path("docker_version").asText(""));
        json.put("Author", config.author() == null ? "" : config.author());
        json.put("Config", dockerConfig(config.configOrEmpty()));
        json.put("Architecture", config.architecture() == null ? "" : config.architecture());
        if (config.variant() != null) {
            json.put("Variant", config.variant());
        }
        json.put("Os", config.os() == null ? "" : config.os());
        long size = store.size(image);
        json.put("Size", size);
        json.put("VirtualSize", size);
        json.put("GraphDriver", Map.of("Data", Map.of(), "Name", "overlay"));
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("Type", config.rootfs() == null || config.rootfs().type() == null ? "layers" : config.rootfs().type());
        rootfs.put("Layers", config.diffIds().stream().map(Digest::toString).toList());
        json.put("RootFS", rootfs);
        json.put("Metadata", Map.of("LastTagTime", "0001-01-01T00:00:00Z"));
        json.put("History", config.history() == null ? List.of() : config.history());
        return json;
    }

    private static String lastComment(ImageConfig config) {
        if (config.history() == null || config.history().isEmpty()) {
            return "";
        }
        String comment = config.history().getLast().comment();
        return comment == null ? "" : comment;
    }

    private static Map<String, Object> dockerConfig(ImageConfig.Config c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Hostname", "");
        json.put("Domainname", "");
        json.put("User", c.user() == null ? "" : c.user());
        json.put("AttachStdin", false);
        json.put("AttachStdout", false);
        json.put("AttachStderr", false);
        if (c.exposedPorts() != null) {
            json.put("ExposedPorts", c.exposedPorts());
        }
        json.put("Tty", false);
        json.put("OpenStdin", false);
        json.put("StdinOnce", false);
        json.put("Env", c.env());
        json.put("Cmd", c.cmd());
        if (c.argsEscaped() != null) {
            json.put("ArgsEscaped", c.argsEscaped());
        }
        json.put("Image", "");
        json.put("Volumes", c.volumes());
        json.put("WorkingDir", c.workingDir() == null ? "" : c.workingDir());
        json.put("Entrypoint", c.entrypoint());
        json.put("OnBuild", null);
        json.put("Labels", c.labels());
        if (c.stopSignal() != null) {
            json.put("StopSignal", c.stopSignal());
        }
        return json;
    }
}
