#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tftp_probe: a TFTP client for pxefast's selftests that shows what the
server said, for the cases real clients hide: error codes, OACK contents,
windows, duplicate ACKs, the EDK2 abort-after-OACK dance, write requests.

  tftp_probe.py SERVER FILE [options]

Prints one line: "ok size=N sha256=HEX blocks=N oack=k=v,..." or
"error code=N msg=TEXT", or "timeout".  Exit status 0 for ok, 1 for an
ERROR from the server, 2 for timeout or a protocol violation.
"""

import argparse
import hashlib
import socket
import struct
import sys
import time

RRQ, WRQ, DATA, ACK, ERROR, OACK = 1, 2, 3, 4, 5, 6


def build_req(op, name, mode, opts):
    out = struct.pack("!H", op) + name + b"\0" + mode.encode() + b"\0"
    for k, v in opts:
        out += k.encode() + b"\0" + str(v).encode() + b"\0"
    return out


def parse_oack(payload):
    parts = payload.split(b"\0")
    opts = {}
    for i in range(0, len(parts) - 1, 2):
        opts[parts[i].decode().lower()] = parts[i + 1].decode()
    return opts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("file")
    ap.add_argument("--port", type=int, default=69)
    ap.add_argument("--mode", default="octet")
    ap.add_argument("--blksize", type=int)
    ap.add_argument("--windowsize", type=int)
    ap.add_argument("--tsize", action="store_true")
    ap.add_argument("--timeout-opt", type=int)
    ap.add_argument("--wrq", action="store_true")
    ap.add_argument("--abort-after-oack", action="store_true",
                    help="answer the OACK with ERROR 8 (as EDK2 does)")
    ap.add_argument("--dup-acks", type=int, default=0,
                    help="send every ACK this many extra times")
    ap.add_argument("--drop-every", type=int, default=0,
                    help="ignore every Nth DATA packet (simulated loss)")
    ap.add_argument("--stop-after", type=int, default=0,
                    help="stop acknowledging after N blocks (abandon)")
    ap.add_argument("--ack-delay", type=float, default=0,
                    help="sleep this long before each ACK (a slow client)")
    ap.add_argument("--wait", type=float, default=3.0)
    ap.add_argument("--retries", type=int, default=5,
                    help="timeouts in a row before giving up")
    ap.add_argument("--out", help="write the data here")
    ap.add_argument("--raw-name", help="file name as hex bytes")
    a = ap.parse_args()

    name = bytes.fromhex(a.raw_name) if a.raw_name else a.file.encode()
    opts = []
    if a.blksize:
        opts.append(("blksize", a.blksize))
    if a.tsize:
        opts.append(("tsize", 0))
    if a.timeout_opt:
        opts.append(("timeout", a.timeout_opt))
    if a.windowsize:
        opts.append(("windowsize", a.windowsize))

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(a.wait)
    req = build_req(WRQ if a.wrq else RRQ, name, a.mode, opts)
    s.sendto(req, (a.server, a.port))

    h = hashlib.sha256()
    out = open(a.out, "wb") if a.out else None
    blksize, window = 512, 1
    expect = 1          # next block number expected, absolute
    size = 0
    peer = None
    oack = {}
    seen = 0
    in_window = 0
    retries = 0

    def ack(n):
        if a.ack_delay:
            time.sleep(a.ack_delay)
        for _ in range(1 + a.dup_acks):
            s.sendto(struct.pack("!HH", ACK, n & 0xFFFF), peer)

    while True:
        try:
            pkt, addr = s.recvfrom(70000)
        except socket.timeout:
            retries += 1
            if retries > a.retries:
                print("timeout")
                return 2
            if peer is None:
                # No answer yet: the request (or the answer) was lost.
                s.sendto(req, (a.server, a.port))
                continue
            ack(expect - 1)
            in_window = 0
            continue
        if peer is None:
            peer = addr
        elif addr != peer:
            continue
        retries = 0
        op = struct.unpack("!H", pkt[:2])[0]
        if op == ERROR:
            code = struct.unpack("!H", pkt[2:4])[0]
            print("error code=%d msg=%s" % (code, pkt[4:].split(b"\0")[0].decode(errors="replace")))
            return 1
        if op == OACK:
            oack = parse_oack(pkt[2:])
            if a.abort_after_oack:
                s.sendto(struct.pack("!HH", ERROR, 8) + b"tsize probe\0", peer)
                print("ok size=%s sha256=- blocks=0 oack=%s" %
                      (oack.get("tsize", "-"),
                       ",".join("%s=%s" % kv for kv in sorted(oack.items()))))
                return 0
            blksize = int(oack.get("blksize", 512))
            window = int(oack.get("windowsize", 1))
            ack(0)
            continue
        if op != DATA:
            print("protocol: unexpected opcode %d" % op)
            return 2
        blk = struct.unpack("!H", pkt[2:4])[0]
        seen += 1
        if a.drop_every and seen % a.drop_every == 0:
            continue
        if blk != (expect & 0xFFFF):
            # Out of order or a retransmit: re-ACK what we have.
            ack(expect - 1)
            in_window = 0
            continue
        data = pkt[4:]
        if len(data) > blksize:
            print("protocol: block %d has %d bytes > blksize %d" % (blk, len(data), blksize))
            return 2
        h.update(data)
        if out:
            out.write(data)
        size += len(data)
        expect += 1
        in_window += 1
        last = len(data) < blksize
        if a.stop_after and expect - 1 >= a.stop_after:
            print("abandoned blocks=%d" % (expect - 1))
            return 0
        if last or in_window >= window:
            ack(expect - 1)
            in_window = 0
        if last:
            break
    print("ok size=%d sha256=%s blocks=%d oack=%s" %
          (size, h.hexdigest(), expect - 1,
           ",".join("%s=%s" % kv for kv in sorted(oack.items())) or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
