package org.jvs.check;

import java.nio.ByteBuffer;
import java.net.Inet6Address;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

import org.jvs.service.Ipv6;

/**
 * Where a checker connects and from where, as keepalived's connect_ip, connect_port, bindto and bind_port say,
 * and how a failed attempt reads in a status line.
 */
final class Connections {

    private Connections() {
    }

    static InetAddress inet(int address) {
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }

    /** The address as inet_ntop prints it (Java's own IPv6 text keeps every zero group). */
    static String text(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return Ipv6.toString(buffer.getLong(), buffer.getLong());
    }

    /** The address for a Host header or URL authority: an IPv6 one in brackets, as keepalived's "Host: [%s]%s". */
    static String host(InetAddress address) {
        return address instanceof Inet6Address ? "[" + text(address) + "]" : text(address);
    }

    /** connect_ip (IPv4 only so far) when given, else the real server's own address, whichever its family. */
    static InetAddress connectAddress(CheckCommon common, InetAddress address) {
        return common.connectIp() != 0 ? inet(common.connectIp()) : address;
    }

    static int connectPort(CheckCommon common, int port) {
        return common.connectPort() != 0 ? common.connectPort() : port;
    }

    static InetSocketAddress remote(CheckCommon common, InetAddress address, int port) {
        return new InetSocketAddress(connectAddress(common, address), connectPort(common, port));
    }

    /** The local end to bind, or null when neither bindto nor bind_port is set. */
    static InetSocketAddress local(CheckCommon common) {
        if (common.bindTo() == 0 && common.bindPort() == 0) {
            return null;
        }
        return new InetSocketAddress(inet(common.bindTo()), common.bindPort());
    }

    static int timeoutMs(CheckCommon common) {
        return (int) Math.clamp(common.connectTimeout().toMillis(), 1, Integer.MAX_VALUE);
    }

    /** A TCP connection opened within connect_timeout, bound as bindto/bind_port ask. */
    static Socket connectTcp(CheckCommon common, InetAddress address, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(true);
            InetSocketAddress local = local(common);
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote(common, address, port), timeoutMs(common));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A UDP socket bound as bindto/bind_port ask, else to any local address. */
    static DatagramSocket udp(CheckCommon common) throws IOException {
        InetSocketAddress local = local(common);
        return local == null ? new DatagramSocket() : new DatagramSocket(local);
    }

    /** "3 s" or "250 ms". */
    static String text(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** A failed attempt as one short phrase. */
    static String reason(IOException failure, CheckCommon common) {
        return switch (failure) {
            case SocketTimeoutException _ -> "timeout after " + text(common.connectTimeout());
            case ConnectException e when e.getMessage() != null && e.getMessage().contains("refused") ->
                    "connect refused";
            case NoRouteToHostException _ -> "no route to host";
            case PortUnreachableException _ -> "port unreachable";
            default -> failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        };
    }
}
