package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import picocli.CommandLine.Model.CommandSpec;

import dev.vessel.cli.format.DockerTime;
import dev.vessel.cli.format.GoTemplate;
import dev.vessel.cli.format.Table;
import dev.vessel.cli.format.Units;
import dev.vessel.cli.VesselException;
import dev.vessel.image.Image;
import dev.vessel.image.ImageReference;
import dev.vessel.image.ImageStore;
import dev.vessel.image.oci.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** `vessel images`, and `vessel image ls` (its model declared in code, see {@link SpecBuilder}). */
public final class ImagesCommand extends ImageCommandBase {
    String filter;
    boolean quiet;
    boolean all;
    boolean noTrunc;
    boolean digests;
    String format;

    /** A fresh model under name (images, or image's ls) and its aliases. */
    static CommandSpec spec(String name, String... aliases) {
        ImagesCommand c = new ImagesCommand();
        SpecBuilder s = SpecBuilder.command(c, name, "List images (REPOSITORY TAG IMAGE ID CREATED SIZE).");
        s.spec().aliases(aliases);
        s.optionalPositional("0", "REPOSITORY[:TAG]", v -> c.filter = v, "Only images of this repository (and tag).");
        s.flag(v -> c.quiet = v, "Only show image IDs.", "-q", "--quiet");
        s.flag(v -> c.all = v, "Show all images (accepted for compatibility).", "-a", "--all");
        s.flag(v -> c.noTrunc = v, "Do not truncate image IDs.", "--no-trunc");
        s.flag(v -> c.digests = v, "Show digests.", "--digests");
        s.option(String.class, v -> c.format = v, "table (default), json (one object per line) or a Go template.",
                "--format").label("FORMAT");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    /** One row of the listing: an image under one of its names (or <none>). */
    record Row(Image image, ImageReference name, Instant created, long size) {
    }

    @Override
    public Integer call() throws Exception {
        ImageStore store = store();
        Instant now = Instant.now();
        List<Row> rows = new ArrayList<>();
        for (Image image : store.images()) {
            Instant created = Units.parseTime(store.config(image).created());
            long size = store.size(image);
            if (image.dangling()) {
                if (filter == null) {
                    rows.add(new Row(image, null, created, size));
                }
            }
            for (ImageReference name : image.tags()) {
                if (matches(name)) {
                    rows.add(new Row(image, name, created, size));
                }
            }
        }
        rows.sort((a, b) -> {
            Instant ca = a.created() == null ? Instant.EPOCH : a.created();
            Instant cb = b.created() == null ? Instant.EPOCH : b.created();
            int c = cb.compareTo(ca);
            return c != 0 ? c : repository(a).compareTo(repository(b));
        });
        if (quiet) {
            Set<String> ids = new LinkedHashSet<>();
            for (Row row : rows) {
                ids.add(id(row.image()));
            }
            ids.forEach(out()::println);
            return 0;
        }
        if (format != null && !format.equals("table")) {
            for (Row row : rows) {
                Map<String, Object> json = json(row, now);
                out().println(format.equals("json") ? Json.presentation().writeValueAsString(json) : GoTemplate.render(format, json));
            }
            return 0;
        }
        Table table = digests
                ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
                : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        for (Row row : rows) {
            String created = row.created() == null ? "N/A" : Units.ago(row.created(), now);
            String size = Units.humanSize(row.size());
            if (digests) {
                table.add(repository(row), tag(row), row.image().manifestDigest().toString(), id(row.image()), created, size);
            } else {
                table.add(repository(row), tag(row), id(row.image()), created, size);
            }
        }
        table.print(out());
        return 0;
    }

    private boolean matches(ImageReference name) {
        if (filter == null) {
            return true;
        }
        ImageReference wanted;
        try {
            wanted = ImageReference.parse(filter);
        } catch (IllegalArgumentException e) {
            throw new VesselException(e.getMessage());
        }
        if (!wanted.name().equals(name.name())) {
            return false;
        }
        return !filter.contains(":") || filter.lastIndexOf(':') < filter.lastIndexOf('/') || wanted.tag().equals(name.tag());
    }

    private String id(Image image) {
        return noTrunc ? image.id().toString() : image.id().shortHex();
    }

    private static String repository(Row row) {
        return row.name() == null ? "<none>" : row.name().familiarName();
    }

    private static String tag(Row row) {
        return row.name() == null ? "<none>" : row.name().tag();
    }

    /** Docker's `images --format json` object: every value a string. */
    private Map<String, Object> json(Row row, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Containers", "N/A");
        json.put("CreatedAt", row.created() == null ? "" : DockerTime.format(row.created()));
        json.put("CreatedSince", row.created() == null ? "N/A" : Units.ago(row.created(), now));
        json.put("Digest", row.image().manifestDigest().toString());
        json.put("ID", id(row.image()));
        json.put("Repository", repository(row));
        json.put("SharedSize", "N/A");
        json.put("Size", Units.humanSize(row.size()));
        json.put("Tag", tag(row));
        json.put("UniqueSize", "N/A");
        json.put("VirtualSize", Units.humanSize(row.size()));
        return json;
    }
}
