package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderFlyweightsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static MemorySegment hex(String text) {
        return FrameBuilder.copyToNative(HEX.parseHex(text));
    }

    private static String hex(MemorySegment segment, long offset, int length) {
        return HEX.formatHex(FrameBuilder.toBytes(segment, offset, length));
    }

    @Test
    void shouldReadAndWriteEthernetMacsAsBigEndian48BitValues() {
        MemorySegment frame = hex("ffffffffffff" + "0200c0ffee01" + "0806" + "00");
        EthernetHeader ethernet = new EthernetHeader().wrap(frame, 0);
        assertEquals(EthernetHeader.BROADCAST, ethernet.destination());
        assertEquals(0x0200C0FFEE01L, ethernet.source());
        assertEquals(EthernetHeader.TYPE_ARP, ethernet.etherType());
        ethernet.destination(0x0A0B0C0D0E0FL).source(0x010203040506L).etherType(EthernetHeader.TYPE_IPV4);
        assertEquals("0a0b0c0d0e0f0102030405060800", hex(frame, 0, 14));
        assertEquals(14, ethernet.payloadOffset());
    }

    @Test
    void shouldDecodeAnArpRequest() {
        // who-has 192.0.2.1 tell 192.0.2.2 (02:00:00:00:00:02), after a 2-byte offset
        MemorySegment packet = hex("aaaa" + "0001080006040001" + "020000000002" + "c0000202" + "000000000000" + "c0000201");
        ArpPacket arp = new ArpPacket().wrap(packet, 2);
        assertTrue(arp.isEthernetIpv4(28));
        assertFalse(arp.isEthernetIpv4(27));
        assertEquals(ArpPacket.OP_REQUEST, arp.op());
        assertEquals(0x020000000002L, arp.senderMac());
        assertEquals(Reference.ip(192, 0, 2, 2), arp.senderIp());
        assertEquals(0L, arp.targetMac());
        assertEquals(Reference.ip(192, 0, 2, 1), arp.targetIp());
    }

    @Test
    void shouldBuildAnArpReply() {
        MemorySegment packet = FrameBuilder.copyToNative(new byte[28]);
        new ArpPacket().wrap(packet, 0).ethernetIpv4().op(ArpPacket.OP_REPLY)
                .senderMac(0x020000000001L).senderIp(Reference.ip(192, 0, 2, 1))
                .targetMac(0x020000000002L).targetIp(Reference.ip(192, 0, 2, 2));
        assertEquals("0001080006040002" + "020000000001c0000201" + "020000000002c0000202", hex(packet, 0, 28));
    }

    @Test
    void shouldRejectArpForOtherHardware() {
        MemorySegment packet = hex("0006080006040001" + "0".repeat(40));
        assertFalse(new ArpPacket().wrap(packet, 0).isEthernetIpv4(28));
    }

    @Test
    void shouldReadEveryTcpField() {
        // 40000 -> 80, seq 0x11223344, ack 0x55667788, offset 6 (one option word), SYN|ACK|ECE, window 0x7210
        MemorySegment segment = hex("9c400050" + "11223344" + "55667788" + "6052" + "7210" + "abcd" + "0001"
                + "020405b4");
        TcpHeader tcp = new TcpHeader().wrap(segment, 0);
        assertEquals(40000, tcp.sourcePort());
        assertEquals(80, tcp.destinationPort());
        assertEquals(0x11223344, tcp.sequence());
        assertEquals(0x55667788, tcp.acknowledgment());
        assertEquals(6, tcp.dataOffset());
        assertEquals(24, tcp.headerLength());
        assertEquals(TcpHeader.SYN | TcpHeader.ACK | TcpHeader.ECE, tcp.flags());
        assertTrue(tcp.hasFlags(TcpHeader.SYN | TcpHeader.ACK));
        assertFalse(tcp.hasFlags(TcpHeader.FIN));
        assertEquals(0x7210, tcp.window());
        assertEquals(0xABCD, tcp.checksum());
        assertEquals(1, tcp.urgentPointer());
    }

    @ParameterizedTest
    @CsvSource({"1, FIN", "2, SYN", "4, RST", "8, PSH", "16, ACK", "32, URG", "64, ECE", "128, CWR"})
    void shouldPlaceEachTcpFlagAtItsRfcBit(int bit, String name) {
        int flag = switch (name) {
            case "FIN" -> TcpHeader.FIN;
            case "SYN" -> TcpHeader.SYN;
            case "RST" -> TcpHeader.RST;
            case "PSH" -> TcpHeader.PSH;
            case "ACK" -> TcpHeader.ACK;
            case "URG" -> TcpHeader.URG;
            case "ECE" -> TcpHeader.ECE;
            default -> TcpHeader.CWR;
        };
        assertEquals(bit, flag);
    }

    @Test
    void shouldWriteTcpFieldsBigEndian() {
        MemorySegment segment = FrameBuilder.copyToNative(new byte[20]);
        new TcpHeader().wrap(segment, 0).sourcePort(0xFFEE).destinationPort(443).sequence(0xDEADBEEF)
                .acknowledgment(1).headerLength(20).flags(TcpHeader.FIN | TcpHeader.ACK).window(512)
                .checksum(0x1234).urgentPointer(7);
        assertEquals("ffee01bb" + "deadbeef" + "00000001" + "5011" + "0200" + "1234" + "0007", hex(segment, 0, 20));
    }

    @Test
    void shouldReadAndWriteUdpFields() {
        MemorySegment segment = hex("0035d431001c0000");
        UdpHeader udp = new UdpHeader().wrap(segment, 0);
        assertEquals(53, udp.sourcePort());
        assertEquals(54321, udp.destinationPort());
        assertEquals(28, udp.length());
        assertEquals(Checksum.UDP_NONE, udp.checksum());
        udp.sourcePort(1).destinationPort(2).length(8).checksum(0xFFFF);
        assertEquals("000100020008ffff", hex(segment, 0, 8));
    }

    @Test
    void shouldReadAFragmentationNeededMessage() {
        MemorySegment segment = hex("0304" + "0000" + "0000" + "05c8");
        IcmpHeader icmp = new IcmpHeader().wrap(segment, 0);
        assertEquals(IcmpHeader.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(IcmpHeader.CODE_FRAGMENTATION_NEEDED, icmp.code());
        assertEquals(1480, icmp.nextHopMtu());
        assertEquals(1480, icmp.restOfHeader());
        icmp.updateChecksum(8);
        assertEquals(0xFFFF, Checksum.sum(segment, 0, 8));
    }

    @Test
    void shouldChecksumAnEchoRequestLikePing() {
        // echo request id 0x0001 seq 0x0001, payload "abcd"; checksum computed by hand: ~(0800+0001+0001+6162+6364)
        MemorySegment segment = hex("0800" + "0000" + "00010001" + "61626364");
        IcmpHeader icmp = new IcmpHeader().wrap(segment, 0);
        assertEquals(~(0x0800 + 0x0001 + 0x0001 + 0x6162 + 0x6364) & 0xFFFF, icmp.computeChecksum(12));
        assertEquals(0x00010001, icmp.restOfHeader());
    }

    @ParameterizedTest
    @CsvSource({"0, false", "3, true", "4, true", "5, true", "8, false", "11, true", "12, true", "13, false"})
    void shouldKnowWhichIcmpTypesAreErrors(int type, boolean error) {
        assertEquals(error, IcmpHeader.isError(type));
    }
}
