#!/usr/bin/env python3
"""Steady UDP load with exact counts, for tests and benchmarks run inside network namespaces.

  udppace.py send HOST PORT RATE COUNT [FLOWS [spin|sleep]]
      COUNT datagrams to HOST:PORT at RATE per second, paced against the clock (never more than BURST ahead of
      schedule, so the offered load is steady, not line-rate bursts), spread over FLOWS source ports. Between
      datagrams it spins (precise), or with "sleep" sleeps (a little burstier, but the sender's CPU time is then only
      its sending, which a CPU-per-packet measurement needs).
      RATE 0 sends as fast as the sender can: one burst at its line rate.
      Prints: sent=N seconds=S rate=R
  udppace.py ping HOST PORT RATE COUNT [FLOWS]
      COUNT requests at RATE per second, each answered by an echo server; waits up to 2 s for stragglers.
      Prints: sent=N answered=N missing=N p50_us=X p99_us=Y max_us=Z
  udppace.py big HOST PORT BYTES
      One datagram of BYTES (the sender's kernel fragments it) to an echo server; waits up to 3 s for it to come back.
      Prints: sent=BYTES echoed=N intact=true|false
  udppace.py sink PORT ADDRESS...
      Receives and discards on PORT at each ADDRESS (an unbound socket would not see DR/TUN datagrams to the VIP
      as its own), so the real server's UDP counters count every arrival and no ICMP port unreachable goes back.
  udppace.py echo PORT ADDRESS...
      Answers every datagram with its own bytes, from the address it was sent to.
"""
import selectors
import socket
import struct
import sys
import time

BURST = 8
STRAGGLER_WAIT_S = 2.0


def family(address):
    return socket.AF_INET6 if ':' in address else socket.AF_INET


def flows(count, host):
    sockets = []
    for _ in range(count):
        s = socket.socket(family(host), socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        s.bind(('::' if ':' in host else '0.0.0.0', 0))
        s.setblocking(False)
        sockets.append(s)
    return sockets


def send(host, port, rate, count, flow_count=16, idle='spin'):
    sockets = flows(flow_count, host)
    interval_ns = 1_000_000_000 // rate if rate > 0 else 0
    start = time.perf_counter_ns()
    sent = 0
    while sent < count:
        due = (time.perf_counter_ns() - start) // interval_ns + 1 if interval_ns else count
        if due <= sent:
            if idle == 'sleep':
                time.sleep(interval_ns / 1e9)
            continue
        for _ in range(min(due - sent, BURST if interval_ns else count, count - sent)):
            payload = struct.pack('!Q', sent) + b'\0' * 24
            while True:
                try:
                    sockets[sent % flow_count].sendto(payload, (host, port))
                    break
                except BlockingIOError:
                    pass
            sent += 1
    seconds = (time.perf_counter_ns() - start) / 1e9
    print(f'sent={sent} seconds={seconds:.3f} rate={sent / seconds:.0f}', flush=True)


def ping(host, port, rate, count, flow_count=16):
    sockets = flows(flow_count, host)
    selector = selectors.DefaultSelector()
    for s in sockets:
        selector.register(s, selectors.EVENT_READ)
    interval_ns = 1_000_000_000 // rate
    sent_at = [0] * count
    rtts = []
    answered = set()

    def drain(timeout):
        for key, _ in selector.select(timeout):
            while True:
                try:
                    data = key.fileobj.recv(2048)
                except BlockingIOError:
                    break
                if len(data) >= 8:
                    seq = struct.unpack('!Q', data[:8])[0]
                    if seq < count and seq not in answered:
                        answered.add(seq)
                        rtts.append(time.perf_counter_ns() - sent_at[seq])

    start = time.perf_counter_ns()
    sent = 0
    while sent < count:
        now = time.perf_counter_ns()
        due = (now - start) // interval_ns + 1
        if due > sent:
            payload = struct.pack('!Q', sent) + b'\0' * 24
            sent_at[sent] = time.perf_counter_ns()
            sockets[sent % flow_count].sendto(payload, (host, port))
            sent += 1
        drain(0)
    deadline = time.monotonic() + STRAGGLER_WAIT_S
    while len(answered) < count and time.monotonic() < deadline:
        drain(0.05)
    rtts.sort()

    def percentile(p):
        return rtts[min(len(rtts) - 1, int(len(rtts) * p))] / 1000 if rtts else 0

    print(f'sent={sent} answered={len(answered)} missing={sent - len(answered)} p50_us={percentile(0.5):.0f} '
          f'p99_us={percentile(0.99):.0f} max_us={percentile(1.0):.0f}', flush=True)


def big(host, port, size):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    payload = bytes((i * 7 + 3) & 0xFF for i in range(size))
    s.settimeout(3)
    s.sendto(payload, (host, port))
    try:
        echoed = s.recv(65535)
    except socket.timeout:
        echoed = b''
    print(f'sent={size} echoed={len(echoed)} intact={str(echoed == payload).lower()}', flush=True)


def serve(port, addresses, answer):
    selector = selectors.DefaultSelector()
    for address in addresses:
        s = socket.socket(family(address), socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 24)
        s.bind((address, port))
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            s = key.fileobj
            while True:
                try:
                    data, peer = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if answer:
                    s.sendto(data, peer)


def main(args):
    mode = args[0]
    if mode in ('send', 'ping'):
        host, port, rate, count = args[1], int(args[2]), int(args[3]), int(args[4])
        flow_count = int(args[5]) if len(args) > 5 else 16
        if mode == 'send':
            send(host, port, rate, count, flow_count, args[6] if len(args) > 6 else 'spin')
        else:
            ping(host, port, rate, count, flow_count)
    elif mode == 'big':
        big(args[1], int(args[2]), int(args[3]))
    elif mode in ('sink', 'echo'):
        serve(int(args[1]), args[2:], mode == 'echo')
    else:
        sys.exit('usage: udppace.py send|ping HOST PORT RATE COUNT [FLOWS] | big HOST PORT BYTES'
                 ' | sink|echo PORT ADDRESS...')


if __name__ == '__main__':
    main(sys.argv[1:])
