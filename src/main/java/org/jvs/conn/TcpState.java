package org.jvs.conn;

/**
 * The states IPVS tracks a TCP connection through (IP_VS_TCP_S_*), numbered and named as the kernel numbers and
 * prints them, and its transition table (tcp_states in ip_vs_proto_tcp.c, the normal - not secure_tcp - variant).
 * IPVS sees only part of the conversation, so these are the director's guesses, not the endpoints' real states.
 */
public final class TcpState {
    public static final int NONE = 0;
    public static final int ESTABLISHED = 1;
    public static final int SYN_SENT = 2;
    public static final int SYN_RECV = 3;
    public static final int FIN_WAIT = 4;
    public static final int TIME_WAIT = 5;
    public static final int CLOSE = 6;
    public static final int CLOSE_WAIT = 7;
    public static final int LAST_ACK = 8;
    public static final int LISTEN = 9;
    public static final int SYNACK = 10;
    /** Number of TCP states (IP_VS_TCP_S_LAST). */
    public static final int COUNT = 11;
    /** Not a TCP state: the one state of a UDP entry, which ipvsadm -L -c lists as "UDP". */
    public static final int UDP = COUNT;

    /** Packet directions, valued as the row offsets of the kernel table (TCP_DIR_*). */
    public static final int INPUT = 0;
    public static final int OUTPUT = 4;
    /** Client packets of a connection whose replies bypass the director (DR, TUN): IP_VS_CONN_F_NOOUTPUT. */
    public static final int INPUT_ONLY = 8;

    /** TCP header flag bits as they sit in byte 13 of the header. */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;

    private static final String[] NAMES = {
        "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
        "LISTEN", "SYNACK", "UDP"};

    private static final int NO = NONE;
    private static final int ES = ESTABLISHED;
    private static final int SS = SYN_SENT;
    private static final int SR = SYN_RECV;
    private static final int FW = FIN_WAIT;
    private static final int TW = TIME_WAIT;
    private static final int CL = CLOSE;
    private static final int CW = CLOSE_WAIT;
    private static final int LA = LAST_ACK;
    private static final int LI = LISTEN;
    private static final int SA = SYNACK;

    /** Row = direction + flag index (syn, fin, ack, rst); column = current state. Laid out as the kernel's. */
    private static final int[][] NEXT = {
        // INPUT     NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        /* syn */ {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
        /* fin */ {CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW},
        /* ack */ {ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        /* rst */ {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR},
        // OUTPUT    NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        /* syn */ {SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR},
        /* fin */ {TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW},
        /* ack */ {ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES},
        /* rst */ {CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL},
        // INPUT_ONLY NO ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        /* syn */ {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
        /* fin */ {CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW},
        /* ack */ {ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        /* rst */ {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
    };

    private TcpState() {
    }

    /** The name ipvsadm prints for a state ("ESTABLISHED", ..., "UDP"). */
    public static String name(int state) {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "ERR!";
    }

    /**
     * The state after a packet with these TCP flags travelled in this direction (set_tcp_state). RST outranks
     * SYN, SYN outranks FIN, FIN outranks ACK; a segment with none of them sends the entry to CLOSE, as IPVS does.
     */
    public static int next(int state, int direction, int tcpFlags) {
        int row;
        if ((tcpFlags & RST) != 0) {
            row = 3;
        } else if ((tcpFlags & SYN) != 0) {
            row = 0;
        } else if ((tcpFlags & FIN) != 0) {
            row = 1;
        } else if ((tcpFlags & ACK) != 0) {
            row = 2;
        } else {
            return CLOSE;
        }
        return NEXT[direction + row][state];
    }

    /**
     * Whether a connection in this state counts in the real server's active connections (activeconns).
     * As the kernel's tcp_state_active_table since 4.10: a connection being set up (SYN_SENT, SYN_RECV, SYNACK)
     * already loads its server, so lc/wlc do not pile a burst of new connections onto one server.
     */
    public static boolean active(int state) {
        return state == ESTABLISHED || state == SYN_SENT || state == SYN_RECV || state == SYNACK;
    }
}
