package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CNumbersTest {

    @ParameterizedTest(name = "inet_aton({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.1      | 3221225985",
        "198.18.1       | 3323068417",
        "198.1          | 3321888769",
        "3221225985     | 3221225985",
        "0xC0.0.2.1     | 3221225985",
        "0300.0.2.01    | 3221225985",
        "192.0.2.256    | -1",
        "192.0.2.       | -1",
        "192..2.1       | -1",
        "1.2.3.4.5      | -1",
        "08.1.1.1       | -1",
        "www            | -1",
        "''             | -1",
    })
    void shouldReadAddressesAsGlibcInetAton(String text, long expected) {
        assertEquals(expected, CNumbers.inetAton(text));
    }

    @ParameterizedTest(name = "string_to_number({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "80     | 80",
        "+80    | 80",
        "' 80'  | 80",
        "65535  | 65535",
        "65536  | -1",
        "-1     | -1",
        "80x    | -1",
        "''     | -1",
    })
    void shouldReadNumbersAsIpvsadmsStringToNumber(String text, long expected) {
        assertEquals(expected, CNumbers.stringToNumber(text, 0, 65535));
    }
}
