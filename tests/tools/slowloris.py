#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""slowloris.py - a slow client for tests/integration/enroll.sh.

    slowloris.py HOST PORT SECONDS

Opens one connection, sends a request line, then one header byte a second,
never finishing the headers, for at most SECONDS. Prints "closed after N s"
when the server closes the connection (and exits 0), or "still open after
N s" (exit 1). Bounded in time and in bytes: loopback only.
"""
import socket
import sys
import time


def main():
    host, port, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    if not host.startswith("127.") and host != "::1":
        sys.exit("slowloris.py: loopback addresses only")
    s = socket.create_connection((host, port), timeout=5)
    start = time.monotonic()
    s.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: enroll.test\r\nX-Slow: ")
    s.settimeout(1.0)
    while time.monotonic() - start < limit:
        try:
            s.sendall(b"a")
        except OSError:
            break
        try:
            data = s.recv(4096)
            if not data:
                break
            # An answer before the headers are done would be odd, but is not a hang.
        except socket.timeout:
            continue
        except OSError:
            break
    else:
        print("still open after %.0f s" % (time.monotonic() - start))
        sys.exit(1)
    print("closed after %.1f s" % (time.monotonic() - start))
    s.close()


main()
