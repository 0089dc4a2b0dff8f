package dev.vessel.cli.image;

import dev.vessel.cli.SpecBuilder;
import dev.vessel.cli.format.GoTemplate;
import dev.vessel.cli.format.Table;
import dev.vessel.cli.format.Units;
import dev.vessel.image.Image;
import dev.vessel.image.ImageStore;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.Json;
import dev.vessel.image.oci.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

public final class HistoryCommand extends ImageCommandBase {
    String imageName;

    boolean noTrunc;

    boolean quiet;

    boolean human;

    String format;

    /** A fresh model of `history`, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        HistoryCommand c = new HistoryCommand();
        SpecBuilder s = SpecBuilder.command(c, "history", "Show the history of an image, newest first.");
        s.positional("0", "IMAGE", v -> c.imageName = v, "");
        s.flag(v -> c.noTrunc = v, "Do not truncate output.", "--no-trunc");
        s.flag(v -> c.quiet = v, "Only show image IDs.", "-q", "--quiet");
        s.negatableFlag(v -> c.human = v, "Print sizes and dates in human readable format (default true).", "-H", "--human");
        s.option(String.class, v -> c.format = v, "table (default), json or a Go template.", "--format").label("FORMAT");
        s.standardHelp();
        c.spec = s.spec();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        ImageStore store = store();
        Image image = resolve(store, imageName);
        ImageConfig config = store.config(image);
        Manifest manifest = store.manifest(image);
        List<ImageConfig.History> history = config.history() == null ? List.of() : config.history();
        // Non-empty history entries take the layers in order.
        List<Long> sizes = new ArrayList<>();
        int layer = 0;
        for (ImageConfig.History h : history) {
            if (h.isEmptyLayer() || layer >= manifest.layers().size()) {
                sizes.add(0L);
            } else {
                Descriptor d = manifest.layers().get(layer++);
                sizes.add(d.size());
            }
        }
        Instant now = Instant.now();
        Table table = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
        for (int i = history.size() - 1; i >= 0; i--) {
            ImageConfig.History h = history.get(i);
            String id = i == history.size() - 1
                    ? (noTrunc ? image.id().toString() : image.id().shortHex())
                    : "<missing>";
            if (quiet) {
                out().println(id);
                continue;
            }
            Instant created = Units.parseTime(h.created());
            String createdText = created == null ? "N/A" : human ? Units.ago(created, now) : h.created();
            String createdBy = h.createdBy() == null ? "" : h.createdBy().replace('\t', ' ').replace('\n', ' ');
            if (!noTrunc && createdBy.length() > 45) {
                createdBy = createdBy.substring(0, 44) + "…";
            }
            String size = human ? Units.humanSize(sizes.get(i)) : Long.toString(sizes.get(i));
            String comment = h.comment() == null ? "" : h.comment();
            if (format != null && !format.equals("table")) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("Comment", comment);
                json.put("CreatedAt", h.created() == null ? "" : h.created());
                json.put("CreatedBy", createdBy);
                json.put("CreatedSince", createdText);
                json.put("ID", id);
                json.put("Size", size);
                out().println(format.equals("json") ? Json.presentation().writeValueAsString(json) : GoTemplate.render(format, json));
            } else {
                table.add(id, createdText, createdBy, size, comment);
            }
        }
        if (!quiet && (format == null || format.equals("table"))) {
            table.print(out());
        }
        return 0;
    }
}
