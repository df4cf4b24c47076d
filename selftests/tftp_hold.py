#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold COUNT TFTP transfers open and silent, for pxefast's selftests.

Each transfer is a socket of its own that sends a read request for FILE,
waits for the first DATA (requests are sent again to those still without
one), then never acknowledges: the server keeps the transfers until its
retries or idle timeout end them.  Prints "held N" once all are running,
then waits until standard input closes.
"""
import argparse
import select
import socket
import struct
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("file")
    ap.add_argument("count", type=int)
    ap.add_argument("--deadline", type=float, default=120.0)
    a = ap.parse_args()

    rrq = struct.pack("!H", 1) + a.file.encode() + b"\0octet\0"
    socks = []
    for _ in range(a.count):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("", 0))
        s.setblocking(False)
        socks.append(s)
    waiting = set(socks)
    end = time.monotonic() + a.deadline
    resend = 0.0
    while waiting and time.monotonic() < end:
        if time.monotonic() >= resend:
            for s in waiting:
                try:
                    s.sendto(rrq, (a.server, 69))
                except BlockingIOError:
                    pass
            resend = time.monotonic() + 2.0
        ready, _, _ = select.select(list(waiting), [], [], 0.5)
        for s in ready:
            try:
                pkt = s.recv(65536)
            except BlockingIOError:
                continue
            if pkt[:2] == b"\0\3":
                waiting.discard(s)
            elif pkt[:2] == b"\0\5":
                print("error %r" % pkt[4:-1])
                return 1
    print("held %d" % (a.count - len(waiting)), flush=True)
    if waiting:
        return 1
    sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main())
