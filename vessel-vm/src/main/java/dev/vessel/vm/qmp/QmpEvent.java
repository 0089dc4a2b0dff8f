package dev.vessel.vm.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/** An asynchronous QMP event (SHUTDOWN, STOP, RESUME, JOB_STATUS_CHANGE, ...) with its data. */
public record QmpEvent(String name, JsonNode data) {
    /** A text field of the event's data, or null. */
    public String text(String field) {
        JsonNode value = data == null ? null : data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
