package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.ReturnPath;
import org.jvs.e2e.LvsLab.VipPlacement;

/**
 * The lab itself, proven with plain kernel forwarding on the director (no JVS): if these fail, an end-to-end failure
 * says nothing about the director.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabSelfTest {
    private LvsLab lvs;
    private Client client;

    @BeforeAll
    void buildLab() {
        lvs = LvsLab.build("self", AddressFamily.IPV4, VipPlacement.DIRECTOR_LO, ReturnPath.VIA_DIRECTOR);
        lvs.startServers();
        client = new Client(lvs);
    }

    @AfterAll
    void tearDown() {
        if (lvs != null) {
            lvs.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReturnPath.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void shouldReachEveryRealServerOverHttpThroughTheKernelRoutedDirector(ReturnPath returnPath) {
        lvs.routeReplies(returnPath);
        for (int i = 0; i < LvsLab.RIPS.size(); i++) {
            Map<String, Integer> counts = client.httpCounts(LvsLab.RIPS.get(i), LvsLab.HTTP_PORT, 2);
            assertEquals(Map.of(LvsLab.NAMES.get(i), 2), counts, "HTTP to " + LvsLab.RIPS.get(i));
        }
        assertEquals(Map.of("rs2:8080", 1), client.httpCounts(LvsLab.RIPS.get(1), LvsLab.MAPPED_HTTP_PORT, 1));
    }

    @ParameterizedTest
    @EnumSource(value = ReturnPath.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void shouldMoveTenMebibytesIntactBothWaysThroughTheKernelRoutedDirector(ReturnPath returnPath) {
        lvs.routeReplies(returnPath);
        CommandResult transfer = client.transfer(LvsLab.RIPS.get(2), LvsLab.ECHO_PORT, 10L << 20);
        assertTrue(transfer.ok(), transfer.describe());
        assertTrue(transfer.stdout().contains("ok rs3 10485760"), transfer.stdout());
    }

    @ParameterizedTest
    @EnumSource(value = ReturnPath.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void shouldAnswerUdpRequestsFromTheAddressAsked(ReturnPath returnPath) {
        lvs.routeReplies(returnPath);
        List<String> answers = client.udpRequests(LvsLab.RIPS.getFirst(), LvsLab.UDP_PORT, 2);
        assertEquals(List.of("rs1 req-1", "rs1 req-2"), answers);
    }

    @Test
    void shouldLeaveNoNamespaceNorProcessBehindWhenClosed() {
        try (LvsLab scratch = LvsLab.build("selfgone", AddressFamily.IPV4, VipPlacement.ARP_ONLY, ReturnPath.DIRECT)) {
            Background sleeper = scratch.lab.spawn(scratch.client, "sleeper", "sleep", "300");
            scratch.close();
            assertFalse(sleeper.alive(), "background process survived close");
            for (String role : List.of("cli", "dir", "sw", "rs1", "rs2", "rs3")) {
                assertFalse(Files.exists(Path.of("/run/netns/jvst-selfgone-" + role)), role + " namespace survived");
            }
            assertFalse(Files.exists(scratch.lab.workDir()), "work directory survived");
        }
    }

    @Test
    void shouldRefuseAddressesOutsideTheLabRanges() {
        Lab.requireLabAddress("198.19.255.254");
        Lab.requireLabAddress("203.0.113.10");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Lab.requireLabAddress("10.0.0.1"));
        assertTrue(refused.getMessage().contains("10.0.0.1"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lab.requireLabAddress("198.20.0.1"));
    }
}
