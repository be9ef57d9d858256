package org.jvs.ctl;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The control socket's framing, one request and one reply per connection. Every string is a 4-byte
 * big-endian length followed by UTF-8 bytes; a length of -1 is an absent string.
 * <pre>
 * request: MAGIC, argc, argv[0..argc), stdin (absent unless -R)
 * reply:   MAGIC, exit code, stdout, stderr
 * </pre>
 */
final class ControlProtocol {
    /** "JVS1": refuses peers speaking something else instead of misreading them. */
    static final int MAGIC = 0x4A565331;
    private static final int MAX_ARGUMENTS = 4096;
    private static final int MAX_STRING_BYTES = 64 << 20;

    record Request(List<String> args, String stdin) {
    }

    private ControlProtocol() {
    }

    static void writeRequest(DataOutputStream out, Request request) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(request.args().size());
        for (String arg : request.args()) {
            writeString(out, arg);
        }
        writeString(out, request.stdin());
        out.flush();
    }

    static Request readRequest(DataInputStream in) throws IOException {
        checkMagic(in);
        int count = in.readInt();
        if (count < 0 || count > MAX_ARGUMENTS) {
            throw new IOException("bad argument count " + count);
        }
        List<String> args = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String arg = readString(in);
            if (arg == null) {
                throw new IOException("absent argument " + i);
            }
            args.add(arg);
        }
        return new Request(List.copyOf(args), readString(in));
    }

    static void writeReply(DataOutputStream out, Reply reply) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(reply.exitCode());
        writeString(out, reply.stdout());
        writeString(out, reply.stderr());
        out.flush();
    }

    static Reply readReply(DataInputStream in) throws IOException {
        checkMagic(in);
        int exitCode = in.readInt();
        String stdout = readString(in);
        String stderr = readString(in);
        return new Reply(exitCode, stdout == null ? "" : stdout, stderr == null ? "" : stderr);
    }

    private static void checkMagic(DataInputStream in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a JVS control message (magic " + Integer.toHexString(magic) + ")");
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new IOException("bad string length " + length);
        }
        byte[] bytes = new byte[length];
        try {
            in.readFully(bytes);
        } catch (EOFException e) {
            throw new IOException("message cut short", e);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
