package org.jvs.vrrp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class VrrpAdvertPropertyTest {
    record Advert(int version, int virtualRouterId, int priority, int intervalCentis, int[] addresses, int authType,
                  byte[] password, int source, int destination) {
        int write(MemorySegment segment, long offset) {
            return VrrpAdvert.write(segment, offset, version, virtualRouterId, priority, intervalCentis, addresses,
                    authType, password, source, destination);
        }

        /** Every getter's value, to compare an advert before and after a change. */
        long[] fields(VrrpAdvert advert) {
            long[] fields = new long[9 + advert.addressCount()];
            fields[0] = advert.version();
            fields[1] = advert.type();
            fields[2] = advert.virtualRouterId();
            fields[3] = advert.priority();
            fields[4] = advert.addressCount();
            fields[5] = advert.advertIntervalCentis();
            fields[6] = advert.checksum();
            fields[7] = version == 2 ? advert.authType() : 0;
            fields[8] = version == 2 ? advert.authPassword() : 0;
            for (int i = 0; i < advert.addressCount(); i++) {
                fields[9 + i] = advert.address(i);
            }
            return fields;
        }
    }

    @Provide
    Arbitrary<Advert> adverts() {
        Arbitrary<Integer> versions = Arbitraries.of(2, 3);
        Arbitrary<Integer> octets = Arbitraries.integers().between(0, 255);
        Arbitrary<int[]> addresses = Arbitraries.integers().array(int[].class).ofMaxSize(20);
        Arbitrary<byte[]> passwords = Arbitraries.bytes().array(byte[].class).ofMaxSize(12).injectNull(0.1);
        return versions.flatMap(version -> Combinators.combine(
                octets, octets,
                version == 2 ? Arbitraries.integers().between(1, 255).map(seconds -> seconds * 100)
                        : Arbitraries.integers().between(0, VrrpAdvert.MAX_V3_INTERVAL_CENTIS),
                addresses, Arbitraries.of(VrrpAdvert.AUTH_NONE, VrrpAdvert.AUTH_PASS), passwords,
                Arbitraries.integers(), Arbitraries.integers())
                .as((vrid, priority, interval, ips, auth, password, source, destination) ->
                        new Advert(version, vrid, priority, interval, ips, auth, password, source, destination)));
    }

    @Property(tries = 500)
    void shouldValidateAndReadBackWhateverItWrites(@ForAll("adverts") Advert advert,
                                                   @ForAll @IntRange(max = 7) int offset) {
        MemorySegment segment = Arena.ofAuto().allocate(VrrpAdvert.length(advert.version(), 255) + 8);

        int length = advert.write(segment, offset);

        assertEquals(VrrpAdvert.length(advert.version(), advert.addresses().length), length);
        VrrpAdvert read = new VrrpAdvert().wrap(segment, offset);
        assertEquals(VrrpAdvert.OK, read.validate(length, advert.source(), advert.destination()));
        assertEquals(advert.version(), read.version());
        assertEquals(VrrpAdvert.TYPE_ADVERTISEMENT, read.type());
        assertEquals(advert.virtualRouterId(), read.virtualRouterId());
        assertEquals(advert.priority(), read.priority());
        assertEquals(advert.intervalCentis(), read.advertIntervalCentis());
        assertEquals(advert.addresses().length, read.addressCount());
        int[] addresses = new int[read.addressCount()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = read.address(i);
        }
        assertArrayEquals(advert.addresses(), addresses);
        if (advert.version() == 2) {
            assertEquals(advert.authType(), read.authType());
            long expectedPassword = advert.authType() == VrrpAdvert.AUTH_PASS ? VrrpAdvert.passwordBits(advert.password()) : 0;
            assertEquals(expectedPassword, read.authPassword());
        }
    }

    @Property(tries = 500)
    void shouldNoticeAnySingleByteChanged(@ForAll("adverts") Advert advert, @ForAll @IntRange(max = 10_000) int where,
                                          @ForAll @IntRange(min = 1, max = 255) int flip) {
        MemorySegment segment = Arena.ofAuto().allocate(VrrpAdvert.length(advert.version(), 255));
        int length = advert.write(segment, 0);
        VrrpAdvert read = new VrrpAdvert().wrap(segment, 0);
        long[] before = advert.fields(read);
        int at = where % length;

        segment.set(ValueLayout.JAVA_BYTE, at, (byte) (segment.get(ValueLayout.JAVA_BYTE, at) ^ flip));

        boolean rejected = read.validate(length, advert.source(), advert.destination()) != VrrpAdvert.OK;
        assertTrue(rejected || !java.util.Arrays.equals(before, advert.fields(read)),
                "byte " + at + " ^ " + flip + " went unnoticed");
        // The checksum covers every byte, and no single-byte change is a multiple of 0xFFFF: always rejected.
        assertTrue(rejected);
    }

    @Property(tries = 1000)
    void shouldNeverThrowOnGarbage(@ForAll @Size(max = 64) byte[] bytes, @ForAll @IntRange(min = -4, max = 80) int length,
                                   @ForAll int source, @ForAll int destination) {
        MemorySegment segment = Arena.ofAuto().allocate(Math.max(1, bytes.length));
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, 0, bytes.length);
        VrrpAdvert advert = new VrrpAdvert().wrap(segment.asSlice(0, bytes.length), 0);

        int result = advert.validate(length, source, destination);

        assertTrue(result <= 0 && result >= VrrpAdvert.BAD_CHECKSUM, "result " + result);
        assertNotEquals("unknown", VrrpAdvert.validationName(result));
    }
}
