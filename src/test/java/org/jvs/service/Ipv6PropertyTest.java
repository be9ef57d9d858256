package org.jvs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** The text forms against glibc's inet_ntop and inet_pton, on addresses and strings built to reach their corners. */
class Ipv6PropertyTest {
    /** Groups that are mostly zero, so that runs of every length and position come up. */
    @Provide
    Arbitrary<Ipv6> addresses() {
        Arbitrary<Long> group = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0xFFFFL)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(1L)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 0xFFFF)));
        return group.list().ofSize(8).map(groups -> {
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 4; i++) {
                hi = hi << 16 | groups.get(i);
                lo = lo << 16 | groups.get(i + 4);
            }
            return new Ipv6(hi, lo);
        });
    }

    /** Strings from the characters addresses are made of, in shapes close to valid ones. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> hexGroup = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMinLength(0)
                .ofMaxLength(5);
        Arbitrary<String> octet = Arbitraries.oneOf(Arbitraries.integers().between(0, 300).map(String::valueOf),
                Arbitraries.of("01", "00", ""));
        Arbitrary<String> dotted = octet.list().ofMinSize(1).ofMaxSize(5).map(octets -> String.join(".", octets));
        Arbitrary<String> separator = Arbitraries.of(":", ":", ":", "::", ":::", ".");
        Arbitrary<String> hexPart = Combinators.combine(hexGroup.list().ofMinSize(1).ofMaxSize(10),
                separator.list().ofMinSize(9).ofMaxSize(9)).as((groups, separators) -> {
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < groups.size(); i++) {
                        text.append(groups.get(i));
                        if (i < groups.size() - 1) {
                            text.append(separators.get(i));
                        }
                    }
                    return text.toString();
                });
        // printed addresses (compressed, written out in full, upper case) with at most one character changed
        Arbitrary<String> written = Combinators.combine(addresses(), Arbitraries.integers().between(0, 2))
                .as((address, form) -> switch (form) {
                    case 0 -> address.toString();
                    case 1 -> full(address);
                    default -> address.toString().toUpperCase();
                });
        Arbitrary<String> nearlyWritten = Combinators.combine(written, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 44), Arbitraries.of(':', '.', '0', 'f', 'g'))
                .as((text, change, at, c) -> {
                    int position = at % (text.length() + 1);
                    return switch (change) {
                        case 0 -> text;
                        case 1 -> text.substring(0, position) + c + text.substring(position);
                        case 2 -> position < text.length()
                                ? text.substring(0, position) + text.substring(position + 1) : text;
                        default -> position < text.length()
                                ? text.substring(0, position) + c + text.substring(position + 1) : text;
                    };
                });
        return Arbitraries.oneOf(nearlyWritten, nearlyWritten, hexPart, Combinators.combine(hexPart, dotted).as((a, b) -> a + ":" + b),
                Combinators.combine(Arbitraries.of("", ":", "::"), hexPart, Arbitraries.of("", ":", "::"))
                        .as((a, b, c) -> a + b + c),
                Arbitraries.strings().withChars("0123456789abcdef:.%g ").ofMaxLength(45));
    }

    private static String full(Ipv6 address) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            long half = i < 4 ? address.hi() : address.lo();
            text.append(i == 0 ? "" : ":").append(String.format("%04x", half >>> (48 - 16 * (i % 4)) & 0xFFFF));
        }
        return text.toString();
    }

    @Property(tries = 2000)
    void shouldPrintWhatGlibcPrintsAndReadItBack(@ForAll("addresses") Ipv6 address) {
        String text = address.toString();
        assertEquals(Glibc.inetNtop(address.hi(), address.lo()), text);
        assertEquals(address, Ipv6.parse(text));
    }

    @Property(tries = 5000)
    void shouldAcceptExactlyWhatGlibcAccepts(@ForAll("texts") String text) {
        Ipv6 expected = Glibc.inetPton(text);
        Ipv6 parsed;
        try {
            parsed = Ipv6.parse(text);
        } catch (IllegalArgumentException refused) {
            parsed = null;
        }
        assertEquals(expected, parsed, text);
        Statistics.collect(expected == null ? "refused" : "accepted");
        // both answers must come up often, or the comparison proves little
        Statistics.coverage(coverage -> {
            coverage.check("accepted").percentage(percent -> percent > 10);
            coverage.check("refused").percentage(percent -> percent > 10);
        });
    }

    @Property(tries = 500)
    void shouldRoundTripEndpoints(@ForAll("addresses") Ipv6 address,
                                  @ForAll @net.jqwik.api.constraints.IntRange(max = 0xFFFF) int port) {
        Ipv6.Endpoint endpoint = new Ipv6.Endpoint(address, port, true);
        assertEquals(endpoint, Ipv6.Endpoint.parse(endpoint.toString()));
    }
}
