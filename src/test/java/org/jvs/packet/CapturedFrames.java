package org.jvs.packet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Frames from a test resource holding {@code tcpdump -xx} output: one frame per summary line, hex lines below it. */
public final class CapturedFrames {
    private CapturedFrames() {
    }

    public static List<byte[]> load(String resource) {
        String text;
        try (InputStream in = CapturedFrames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> frames = new ArrayList<>();
        StringBuilder hex = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (!line.startsWith("\t0x")) {
                if (hex != null) {
                    frames.add(HexFormat.of().parseHex(hex));
                }
                hex = new StringBuilder();
                continue;
            }
            hex.append(line.substring(line.indexOf(':') + 1).replace(" ", "").trim());
        }
        if (hex != null) {
            frames.add(HexFormat.of().parseHex(hex));
        }
        return frames;
    }
}
