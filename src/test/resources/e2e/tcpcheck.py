#!/usr/bin/env python3
"""Byte-exact TCP transfer check for the JVS end-to-end tests (runs inside the lab's network namespaces).

serve PORT NAME [BIND]
    Listening on BIND (0.0.0.0 unless given; an IPv6 address such as :: for IPv6), for every connection: send "NAME\n", echo every byte received until the peer's EOF, then send
    "sha256 <hex of what was received> <count>\n" and close.
send HOST PORT BYTES [BYTES_PER_SECOND]
    Connect, read the server's name, send BYTES random bytes (optionally paced), read the echo and the server's
    summary and compare both directions. Prints "server NAME" as soon as it is known, then one result line:
    "ok NAME BYTES" (exit 0) or "FAIL NAME <what differs>" (exit 1). Every wait is bounded by socket timeouts.
"""
import hashlib
import os
import socket
import sys
import threading
import time

CHUNK = 65536
IDLE_TIMEOUT_S = 20


def serve(port, name, bind="0.0.0.0"):
    listener = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((bind, port))
    listener.listen(64)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=echo, args=(conn, name), daemon=True).start()


def echo(conn, name):
    digest = hashlib.sha256()
    count = 0
    try:
        conn.settimeout(IDLE_TIMEOUT_S)
        conn.sendall((name + "\n").encode())
        while True:
            data = conn.recv(CHUNK)
            if not data:
                break
            digest.update(data)
            count += len(data)
            conn.sendall(data)
        conn.sendall(("sha256 %s %d\n" % (digest.hexdigest(), count)).encode())
    except OSError:
        pass
    finally:
        conn.close()


def send(host, port, total, rate):
    conn = socket.create_connection((host, port), timeout=IDLE_TIMEOUT_S)
    reader = conn.makefile("rb")
    name = reader.readline().decode().strip()
    print("server " + name, flush=True)
    sent = hashlib.sha256()
    problem = []

    def writer():
        left = total
        started = time.monotonic()
        try:
            while left > 0:
                data = os.urandom(min(CHUNK, left))
                sent.update(data)
                conn.sendall(data)
                left -= len(data)
                if rate:
                    ahead = (total - left) / rate - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)
            conn.shutdown(socket.SHUT_WR)
        except OSError as e:
            problem.append("send failed after %d bytes: %s" % (total - left, e))

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    echoed = hashlib.sha256()
    received = 0
    try:
        while received < total:
            data = reader.read1(min(CHUNK, total - received))
            if not data:
                break
            echoed.update(data)
            received += len(data)
        summary = reader.readline().decode().split()
    except OSError as e:
        summary = []
        problem.append("receive failed after %d bytes: %s" % (received, e))
    thread.join(IDLE_TIMEOUT_S)
    conn.close()
    if not problem:
        if len(summary) != 3 or summary[0] != "sha256":
            problem.append("no summary from server after %d echoed bytes" % received)
        else:
            if int(summary[2]) != total or summary[1] != sent.hexdigest():
                problem.append("client->server corrupt (server got %s bytes)" % summary[2])
            if received != total or echoed.hexdigest() != sent.hexdigest():
                problem.append("server->client corrupt (%d of %d bytes echoed)" % (received, total))
    if problem:
        print("FAIL %s %s" % (name, "; ".join(problem)), flush=True)
        return 1
    print("ok %s %d" % (name, total), flush=True)
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "serve":
        serve(int(argv[1]), argv[2], *argv[3:4])
        return 0
    if len(argv) in (4, 5) and argv[0] == "send":
        rate = int(argv[4]) if len(argv) == 5 else 0
        return send(argv[1], int(argv[2]), int(argv[3]), rate)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
