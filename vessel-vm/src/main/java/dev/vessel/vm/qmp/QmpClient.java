package dev.vessel.vm.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Vessel's QMP client: one connection to a QEMU monitor socket. Negotiates capabilities on
 * connect, sends commands with ids and matches their answers, and keeps every asynchronous
 * event so callers can wait for one (a reader thread owns the socket's input).
 */
public final class QmpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final SocketChannel channel;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<QmpEvent> events = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Thread reader;
    private volatile IOException failure;
    private JsonNode greeting;

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
        this.reader = Thread.ofPlatform().daemon().name("qmp-reader").unstarted(this::readLoop);
    }

    /** Connects to the monitor socket and leaves capabilities negotiation done. */
    public static QmpClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new QmpException("cannot connect to QEMU monitor " + socket + ": " + e.getMessage());
        }
        QmpClient client = new QmpClient(channel);
        try {
            client.greeting = client.readGreetingWithin(Duration.ofSeconds(10));
            client.reader.start();
            client.execute("qmp_capabilities");
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** QEMU's version as the greeting announced it, e.g. "7.2.22". */
    public String qemuVersion() {
        JsonNode q = greeting.path("QMP").path("version").path("qemu");
        return q.path("major").asInt() + "." + q.path("minor").asInt() + "." + q.path("micro").asInt();
    }

    public JsonNode execute(String command) throws IOException {
        return execute(command, null, DEFAULT_TIMEOUT);
    }

    public JsonNode execute(String command, Map<String, ?> arguments) throws IOException {
        return execute(command, arguments, DEFAULT_TIMEOUT);
    }

    /** Runs one command and returns its "return" value; a QMP error becomes a {@link QmpException}. */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) throws IOException {
        String id = "vessel-" + ids.incrementAndGet();
        ObjectNode request = JSON.createObjectNode();
        request.put("execute", command);
        if (arguments != null && !arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        request.put("id", id);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            write(request);
            JsonNode response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode error = response.get("error");
            if (error != null) {
                throw new QmpException(error.path("class").asText(),
                        command + ": " + error.path("desc").asText());
            }
            return response.get("return");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(command + ": interrupted");
        } catch (TimeoutException e) {
            throw new QmpException(command + ": QEMU did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new QmpException(command + ": " + e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    /** Every event received so far, oldest first. */
    public List<QmpEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * Waits for an event matching the predicate (also one already received) and removes it
     * from the kept events; throws when the timeout passes or the connection ends first.
     */
    public QmpEvent awaitEvent(Predicate<QmpEvent> wanted, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (int i = 0; i < events.size(); i++) {
                    if (wanted.test(events.get(i))) {
                        return events.remove(i);
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new QmpException("no matching QMP event within " + timeout.toSeconds() + " s");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(events, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new QmpException("interrupted while waiting for a QMP event");
                }
            }
        }
    }

    /** True once the connection ended (QEMU quit or closed the monitor). */
    public boolean disconnected() {
        return failure != null;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket we no longer need
        }
    }

    private synchronized void write(JsonNode message) throws IOException {
        if (failure != null) {
            throw failure;
        }
        ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    // QEMU serves one monitor client at a time: a second one connects but gets no greeting.
    private JsonNode readGreetingWithin(Duration timeout) throws IOException {
        CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                greeting.complete(readGreeting());
            } catch (IOException | RuntimeException e) {
                greeting.completeExceptionally(e);
            }
        });
        try {
            return greeting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new QmpException("QEMU monitor sent no greeting within " + timeout.toSeconds()
                    + " s (another client may be connected)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while connecting to the QEMU monitor");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new QmpException(String.valueOf(e.getCause()));
        }
    }

    private JsonNode readGreeting() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new QmpException("QEMU monitor closed before its greeting");
        }
        JsonNode greeting = JSON.readTree(line);
        if (!greeting.has("QMP")) {
            throw new QmpException("not a QMP monitor (greeting was " + line + ")");
        }
        return greeting;
    }

    private void readLoop() {
        
        try {
            String line;
            while ((line = readLine()) != null) {
                dispatch(JSON.readTree(line));
            }
            fail(new QmpException("QEMU closed the monitor connection"));
        } catch (IOException e) {
            fail(e instanceof QmpException q ? q : new QmpException("QEMU monitor connection lost: " + e.getMessage()));
        }
    }

    private void dispatch(JsonNode message) {
        if (message.has("event")) {
            synchronized (events) {
                events.add(new QmpEvent(message.get("event").asText(), message.get("data")));
                events.notifyAll();
            }
            return;
        }
        JsonNode id = message.get("id");
        CompletableFuture<JsonNode> answer = id == null ? null : pending.get(id.asText());
        if (answer != null) {
            answer.complete(message);
        }
    }

    private void fail(IOException e) {
        failure = e;
        pending.values().forEach(f -> f.completeExceptionally(e));
        synchronized (events) {
            events.notifyAll();
        }
    }

    // QMP messages are one JSON object per CRLF-terminated line; the reader is the only consumer.
    private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream();
    private final ByteBuffer chunk = ByteBuffer.allocate(8192).flip();

    private String readLine() throws IOException {
        while (true) {
            while (chunk.hasRemaining()) {
                byte b = chunk.get();
                if (b == '\n') {
                    String line = lineBuffer.toString(StandardCharsets.UTF_8).strip();
                    lineBuffer.reset();
                    if (!line.isEmpty()) {
                        return line;
                    }
                } else {
                    lineBuffer.write(b);
                }
            }
            chunk.clear();
            int n = channel.read(chunk);
            chunk.flip();
            if (n < 0) {
                return null;
            }
        }
    }
}
