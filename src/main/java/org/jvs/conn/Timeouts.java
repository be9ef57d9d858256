package org.jvs.conn;

import org.jvs.api.TimeoutsSpec;

/**
 * How long an idle connection entry lives in each state: IPVS's tcp_timeouts table and the UDP timeout, with
 * their kernel defaults. {@code ipvsadm --set tcp tcpfin udp} edits the ESTABLISHED, FIN_WAIT and UDP entries
 * (ip_vs_set_timeout), {@code --timeout} reads them back. Read and written on the data-plane thread only.
 */
public final class Timeouts {
    private static final long NS_PER_S = 1_000_000_000L;
    /** The kernel keeps timeouts in jiffies and refuses seconds beyond INT_MAX / HZ; with HZ=1000 that is this. */
    public static final int MAX_S = Integer.MAX_VALUE / 1000;

    private static final int[] DEFAULT_TCP_S = new int[TcpState.COUNT];
    private static final int DEFAULT_UDP_S = 5 * 60;

    static {
        DEFAULT_TCP_S[TcpState.NONE] = 2;
        DEFAULT_TCP_S[TcpState.ESTABLISHED] = 15 * 60;
        DEFAULT_TCP_S[TcpState.SYN_SENT] = 2 * 60;
        DEFAULT_TCP_S[TcpState.SYN_RECV] = 60;
        DEFAULT_TCP_S[TcpState.FIN_WAIT] = 2 * 60;
        DEFAULT_TCP_S[TcpState.TIME_WAIT] = 2 * 60;
        DEFAULT_TCP_S[TcpState.CLOSE] = 10;
        DEFAULT_TCP_S[TcpState.CLOSE_WAIT] = 60;
        DEFAULT_TCP_S[TcpState.LAST_ACK] = 30;
        DEFAULT_TCP_S[TcpState.LISTEN] = 2 * 60;
        DEFAULT_TCP_S[TcpState.SYNACK] = 120;
    }

    private final int[] tcpS = DEFAULT_TCP_S.clone();
    private final long[] tcpNs = new long[TcpState.COUNT];
    private int udpS = DEFAULT_UDP_S;
    private long udpNs = DEFAULT_UDP_S * NS_PER_S;

    public Timeouts() {
        for (int state = 0; state < TcpState.COUNT; state++) {
            tcpNs[state] = tcpS[state] * NS_PER_S;
        }
    }

    /** Timeout of a TCP entry in {@code state}, for re-arming on the hot path. */
    public long tcpTimeoutNs(int state) {
        return tcpNs[state];
    }

    public int tcpTimeoutS(int state) {
        return tcpS[state];
    }

    public long udpTimeoutNs() {
        return udpNs;
    }

    /** {@code --timeout}'s first figure: the ESTABLISHED timeout. */
    public int tcpS() {
        return tcpS[TcpState.ESTABLISHED];
    }

    /** {@code --timeout}'s second figure: the FIN_WAIT timeout. */
    public int tcpFinS() {
        return tcpS[TcpState.FIN_WAIT];
    }

    public int udpS() {
        return udpS;
    }

    /**
     * {@code ipvsadm --set tcp tcpfin udp}: 0 leaves a value unchanged. Checks all three before changing any.
     * New values apply to an entry at its next packet, as in IPVS.
     */
    public void set(int tcpS, int tcpFinS, int udpS) {
        check("tcp", tcpS);
        check("tcpfin", tcpFinS);
        check("udp", udpS);
        if (tcpS > 0) {
            tcpState(TcpState.ESTABLISHED, tcpS);
        }
        if (tcpFinS > 0) {
            tcpState(TcpState.FIN_WAIT, tcpFinS);
        }
        if (udpS > 0) {
            this.udpS = udpS;
            this.udpNs = udpS * NS_PER_S;
        }
    }

    public void set(TimeoutsSpec spec) {
        set(spec.tcpS(), spec.tcpFinS(), spec.udpS());
    }

    public TimeoutsSpec spec() {
        return new TimeoutsSpec(tcpS(), tcpFinS(), udpS());
    }

    private void tcpState(int state, int seconds) {
        tcpS[state] = seconds;
        tcpNs[state] = seconds * NS_PER_S;
    }

    private static void check(String name, int seconds) {
        if (seconds < 0 || seconds > MAX_S) {
            throw new IllegalArgumentException(
                    name + " timeout " + seconds + " is out of range (expected 0.." + MAX_S + " seconds, 0 = unchanged)");
        }
    }
}
