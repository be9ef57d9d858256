package org.jvs.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DnsMessageTest {

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource({
        "1234010000010000000000000000060001, SOA, .",
        "123401000001000000000000076578616d706c65036f72670000010001, A, example.org",
        "123401000001000000000000076578616d706c65036f726700001c0001, aaaa, example.org.",
    })
    void shouldBuildRecursiveQueryAsKeepalivedSendsIt(String hex, String type, String name) {
        assertEquals(hex, HexFormat.of().formatHex(DnsMessage.query(0x1234, DnsMessage.typeCode(type), name)));
    }

    @Test
    void shouldCountAnswersOfTheTypeAskedThroughCompressedNames() {
        // response to "A example.org": a CNAME then two A records, owners as pointers to the question name
        String hex = "1234" + "8180" + "0001" + "0003" + "0000" + "0000"
                + "076578616d706c65036f72670000010001"
                + "c00c" + "0005" + "0001" + "0000003c" + "0002" + "c00c"
                + "c00c" + "0001" + "0001" + "0000003c" + "0004" + "c0000201"
                + "c00c" + "0001" + "0001" + "0000003c" + "0004" + "c0000202";
        byte[] response = HexFormat.of().parseHex(hex);
        assertEquals(2, DnsMessage.answersOfType(response, response.length, 1));
        assertEquals(1, DnsMessage.answersOfType(response, response.length, 5));
        assertEquals(-1, DnsMessage.answersOfType(response, response.length - 3, 1), "cut short");
        assertEquals(0, DnsMessage.rcode(response));
        assertEquals(0x1234, DnsMessage.id(response));
    }

    @Test
    void shouldNameTheBadTypeAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DnsMessage.typeCode("PTR"));
        assertEquals("DNS_CHECK type 'PTR' is not one of A, NS, CNAME, SOA, MX, TXT, AAAA", e.getMessage());
    }
}
