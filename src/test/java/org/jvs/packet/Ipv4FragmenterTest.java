package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Ipv4FragmenterTest {
    private static final int ETHERNET = EthernetHeader.LENGTH;

    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final List<byte[]> fragments = new ArrayList<>();
    private final Ipv4Fragmenter.Output collect = (frame, offset, length) -> {
        fragments.add(frame.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        return true;
    };

    private static byte[] datagram(int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        new Random(4).nextBytes(payload);
        return new FrameBuilder().source(0xC6336402).destination(0xCB00710A).ports(40000, 53).udp()
                .dontFragment(false).identification(0x1234).payload(payload).bytes();
    }

    private static int u16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 8 | bytes[offset + 1] & 0xFF;
    }

    @Test
    void shouldSplitA4000ByteDatagramIntoMtuSizedFragmentsOnEightByteBoundaries() {
        byte[] whole = datagram(4000 - 8);

        assertEquals(3, fragmenter.fragment(FrameBuilder.copyToNative(whole), 0, whole.length, 1500, collect));

        int[] expectedLengths = {1500, 1500, 20 + 4000 - 2 * 1480};
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] fragment = fragments.get(i);
            assertEquals(ETHERNET + expectedLengths[i], fragment.length, "fragment " + i);
            assertEquals(expectedLengths[i], u16(fragment, ETHERNET + 2), "total length of fragment " + i);
            assertEquals(0x1234, u16(fragment, ETHERNET + 4), "every fragment keeps the identification");
            int flagsAndOffset = u16(fragment, ETHERNET + 6);
            assertEquals(i < 2 ? 0x2000 : 0, flagsAndOffset & 0x2000, "MF of fragment " + i);
            assertEquals(i * 1480 / 8, flagsAndOffset & 0x1FFF, "offset of fragment " + i);
            assertEquals(0xFFFF, Checksum.sum(MemorySegment.ofArray(fragment), ETHERNET, 20),
                    "header checksum of fragment " + i);
            payload.writeBytes(Arrays.copyOfRange(fragment, ETHERNET + 20, fragment.length));
        }
        assertArrayEquals(Arrays.copyOfRange(whole, ETHERNET + 20, whole.length), payload.toByteArray());
    }

    @Test
    void shouldRefuseADatagramThatForbidsFragmentation() {
        byte[] whole = new FrameBuilder().udp().dontFragment(true).payloadLength(3000).bytes();

        assertEquals(-1, fragmenter.fragment(FrameBuilder.copyToNative(whole), 0, whole.length, 1500, collect));
        assertEquals(List.of(), fragments);
    }
}
