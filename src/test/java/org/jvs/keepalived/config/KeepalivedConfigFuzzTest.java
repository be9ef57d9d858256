package org.jvs.keepalived.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Damaged samples give a configuration or a located ConfigException, never any other exception. */
class KeepalivedConfigFuzzTest {

    record Damage(Path sample, int kind, int position, int value) {
    }

    @Provide
    Arbitrary<Damage> damage() throws IOException {
        List<Path> samples = KeepalivedSamplesTest.samples();
        return Combinators.combine(Arbitraries.of(samples), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(0, 255))
                .as(Damage::new);
    }

    @Property(tries = 400)
    void shouldParseOrFailWithALocationInsideTheFile(@ForAll("damage") Damage damage) throws Exception {
        byte[] original = Files.readAllBytes(damage.sample());
        byte[] damaged = apply(damage, original);
        Path file = Files.createTempFile("jvs-fuzz", ".conf");
        try {
            Files.write(file, damaged);
            try {
                KeepalivedConfigParser.parse(file);
            } catch (ConfigException e) {
                assertEquals(file, e.where().file(), e.getMessage());
                long lines = new String(damaged, java.nio.charset.StandardCharsets.UTF_8).lines().count();
                assertTrue(e.where().line() >= 1 && e.where().line() <= lines + 1, e.getMessage());
                assertTrue(!e.getMessage().contains("\n"), e.getMessage());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** 0 truncate, 1 replace a byte, 2 delete a brace, 3 insert a byte. */
    static byte[] apply(Damage d, byte[] in) {
        int at = in.length == 0 ? 0 : d.position() % in.length;
        return switch (d.kind()) {
            case 0 -> java.util.Arrays.copyOf(in, at);
            case 1 -> {
                byte[] out = in.clone();
                out[at] = (byte) d.value();
                yield out;
            }
            case 2 -> {
                String text = new String(in, java.nio.charset.StandardCharsets.ISO_8859_1);
                int braces = (int) text.chars().filter(c -> c == '{' || c == '}').count();
                if (braces == 0) {
                    yield in;
                }
                int target = d.value() % braces;
                int seen = -1;
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if ((c == '{' || c == '}') && ++seen == target) {
                        yield (text.substring(0, i) + text.substring(i + 1))
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    }
                }
                yield in;
            }
            default -> {
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = (byte) d.value();
                System.arraycopy(in, at, out, at + 1, in.length - at);
                yield out;
            }
        };
    }
}
