package org.sipbridge.provisioning;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deliberately plain HTTP/1.1 client over a socket (TCP or TLS), so the tests control every byte
 * the "phone" sends (hop-by-hop headers, chunked bodies, Expect: 100-continue) and see every byte of
 * the answer.
 */
final class RawHttp {

    /** A response head; the body is read separately so large ones can be streamed. */
    record Head(int status, List<String[]> headers) {

        String header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? null : String.join(", ", values);
        }

        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    values.add(header[1]);
                }
            }
            return values;
        }
    }

    record Response(Head head, byte[] body) {

        int status() {
            return head.status();
        }

        String header(String name) {
            return head.header(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {}

    static String request(String method, String target, String... headerLines) {
        StringBuilder text =
                new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        text.append("Host: phone-test\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        return text.append("\r\n").toString();
    }

    /** Sends a request head and body and reads the whole response. */
    static Response exchange(Socket socket, String head, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return readResponse(socket.getInputStream(), head.startsWith("HEAD "));
    }

    static Response readResponse(InputStream in, boolean headRequest) throws IOException {
        Head head = readHead(in);
        return new Response(head, readBody(in, head, headRequest));
    }

    static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        List<String[]> headers = new ArrayList<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.add(new String[] {
                line.substring(0, colon).trim(), line.substring(colon + 1).trim()
            });
        }
        return new Head(Integer.parseInt(parts[1]), headers);
    }

    /** Reads a request head (as a server would) and returns its lines, request line first. */
    static List<String> readRequestHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            lines.add(line);
        }
        return lines;
    }

    static byte[] readBody(InputStream in, Head head, boolean headRequest) throws IOException {
        if (headRequest || head.status() == 204 || head.status() == 304 || head.status() < 200) {
            return new byte[0];
        }
        String encoding = head.header("Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
                    size > 0;
                    size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                readLine(in);
            }
            for (String trailer = readLine(in); !trailer.isEmpty(); trailer = readLine(in)) {
                // trailers are not used by these tests
            }
            return body.toByteArray();
        }
        String length = head.header("Content-Length");
        if (length != null) {
            byte[] body = in.readNBytes(Integer.parseInt(length));
            if (body.length != Integer.parseInt(length)) {
                throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
            }
            return body;
        }
        return in.readAllBytes();
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** A body in chunked coding, cut into chunks of {@code chunkSize}. */
    static byte[] chunked(byte[] body, int chunkSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += chunkSize) {
            int n = Math.min(chunkSize, body.length - offset);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
