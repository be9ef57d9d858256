package org.jvs.linux;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Ipv6InIpDecapsulatorTest {
    private static final int HEADROOM = VnetHeader.LENGTH;

    @Test
    void shouldFindInnerIpv6BehindOuterIpv4() {
        byte[] inner = ipv6(12);
        MemorySegment packet = MemorySegment.ofArray(ipv4(41, inner, 0));
        Ipv6InIpDecapsulator decapsulator = Ipv6InIpDecapsulator.inIpv4();
        assertEquals(52, decapsulator.decapsulate(packet, (int) packet.byteSize()));
        assertEquals(20, decapsulator.innerOffset());
    }

    @Test
    void shouldTakeAnIpv6RawSocketsDatagramAsTheInnerPacket() {
        byte[] slot = new byte[HEADROOM + 52 + 8];
        System.arraycopy(ipv6(12), 0, slot, HEADROOM, 52);
        Ipv6InIpDecapsulator decapsulator = Ipv6InIpDecapsulator.inIpv6(HEADROOM);
        assertEquals(52, decapsulator.decapsulate(MemorySegment.ofArray(slot), 52 + 8), "trailing bytes are not the packet's");
        assertEquals(HEADROOM, decapsulator.innerOffset());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "outer protocol IPIP,           4, 6, 12, 0, -3",
            "inner IPv4,                   41, 4, 12, 0, -9",
            "inner payload beyond outer,   41, 6, 12, 4, -6",
            "jumbogram payload length 0,   41, 6, 0, 0, -8",
    })
    void shouldRefuseMalformedIpv6InIpv4(String why, int protocol, int innerVersion, int payloadLength, int cut,
                                        int reason) {
        byte[] inner = ipv6(payloadLength);
        inner[0] = (byte) (innerVersion << 4);
        byte[] packet = ipv4(protocol, inner, cut);
        assertEquals(reason, Ipv6InIpDecapsulator.inIpv4().decapsulate(MemorySegment.ofArray(packet), packet.length), why);
    }

    @Test
    void shouldRefuseDatagramShorterThanAnIpv6Header() {
        byte[] slot = new byte[HEADROOM + 39];
        slot[HEADROOM] = 0x60;
        assertEquals(TunnelDecapsulator.TRUNCATED, Ipv6InIpDecapsulator.inIpv6(HEADROOM).decapsulate(MemorySegment.ofArray(slot), 39));
    }

    /** An IPv6 header carrying payloadLength bytes of UDP (zeros). */
    private static byte[] ipv6(int payloadLength) {
        return ByteBuffer.allocate(40 + Math.max(payloadLength, 12)).putInt(0x6000_0000).putShort((short) payloadLength)
                .put((byte) 17).put((byte) 64).array();
    }

    /** An outer IPv4 header of protocol, the inner packet less its last cut bytes. */
    private static byte[] ipv4(int protocol, byte[] inner, int cut) {
        int carried = inner.length - cut;
        return ByteBuffer.allocate(20 + carried).put((byte) 0x45).put((byte) 0).putShort((short) (20 + carried))
                .putInt(0).put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(0xC6336402).putInt(0xC6336401)
                .put(inner, 0, carried).array();
    }
}
