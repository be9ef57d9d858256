#!/usr/bin/env python3
"""Holds TCP connections open for the JVS full-NAT end-to-end tests (runs in the lab's client namespace).

hold.py HOST PORT COUNT RELEASE_FILE MAX_S
    Opens COUNT connections one after another; each must connect and read the server's greeting line within
    CONNECT_TIMEOUT_S. Prints "open I CLIENT_PORT GREETING" for each, or "refused I REASON" for the first that fails and
    opens no more. After "held COUNT" (all open) waits until RELEASE_FILE exists ("-": at once) or MAX_S pass,
    then aborts every connection with a RST (SO_LINGER 0), so neither end keeps the tuple in TIME_WAIT, and
    prints "closed". Exit status 0 when all COUNT opened, 1 otherwise.
"""
import os
import socket
import struct
import sys
import time

CONNECT_TIMEOUT_S = 3
POLL_S = 0.05


def open_one(host, port):
    conn = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S)
    greeting = conn.makefile("rb").readline().decode().strip()
    if not greeting:
        conn.close()
        raise OSError("closed before its greeting")
    return conn, greeting


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    host, port, count, release, max_s = argv[0], int(argv[1]), int(argv[2]), argv[3], float(argv[4])
    held = []
    for i in range(1, count + 1):
        try:
            conn, greeting = open_one(host, port)
        except OSError as e:
            print("refused %d %s" % (i, e), flush=True)
            break
        held.append(conn)
        print("open %d %d %s" % (i, conn.getsockname()[1], greeting), flush=True)
    if len(held) == count:
        print("held %d" % count, flush=True)
        deadline = time.monotonic() + max_s
        while release != "-" and not os.path.exists(release) and time.monotonic() < deadline:
            time.sleep(POLL_S)
    for conn in held:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()
    print("closed", flush=True)
    return 0 if len(held) == count else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
