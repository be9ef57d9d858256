package org.jvs.check;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Reads from a socket so that the whole exchange, not each read, ends by connect_timeout: a server that drips
 * one byte at a time cannot hold a checker longer than that.
 */
final class Deadline {
    private final Socket socket;
    private final InputStream in;
    private final long endNs;

    Deadline(Socket socket, int timeoutMs) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.endNs = System.nanoTime() + timeoutMs * 1_000_000L;
    }

    /** Like {@link InputStream#read(byte[], int, int)}; throws SocketTimeoutException past the deadline. */
    int read(byte[] buffer, int offset, int length) throws IOException {
        long remainingMs = (endNs - System.nanoTime()) / 1_000_000L;
        if (remainingMs <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(remainingMs, Integer.MAX_VALUE));
        return in.read(buffer, offset, length);
    }

    /** One line without its CR LF, or null at end of stream; lines longer than {@code maxLength} are cut. */
    String readLine(int maxLength) throws IOException {
        StringBuilder line = new StringBuilder();
        byte[] one = new byte[1];
        while (true) {
            int n = read(one, 0, 1);
            if (n < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            if (one[0] == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() < maxLength) {
                line.append((char) (one[0] & 0xFF));
            }
        }
    }
}
