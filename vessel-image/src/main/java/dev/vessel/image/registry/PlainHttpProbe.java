package dev.vessel.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Tells whether a registry answers the v2 API in plain HTTP: one {@code GET /v2/} over a raw
 * socket, read up to the end of the headers. A TLS server either closes the connection or
 * answers 400 ("client sent an HTTP request to an HTTPS server"); a registry answers 200 or
 * 401, usually with its {@code Docker-Distribution-API-Version} header.
 */
final class PlainHttpProbe {
    private PlainHttpProbe() {
    }

    static boolean speaksPlainHttp(String hostPort, Duration timeout) {
        String host = hostPort;
        int port = 80;
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && hostPort.indexOf(']') < colon) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v2/ HTTP/1.1\r\nHost: " + hostPort + "\r\nUser-Agent: vessel\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());
            if (!head.startsWith("HTTP/1.")) {
                return false;
            }
            String[] statusLine = head.split("\r\n", 2)[0].split(" ");
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
            return status == 200 || status == 401 || head.toLowerCase(Locale.ROOT).contains("docker-distribution-api-version");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 16384) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
