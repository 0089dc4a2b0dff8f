package dev.vessel.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or identity token) for one registry. */
public record Credentials(String username, String password) {
    /** The value of an {@code Authorization: Basic} header, also the {@code auth} field of config.json. */
    public String basicToken() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ****]";
    }
}
