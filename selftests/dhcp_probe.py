#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dhcp_probe: send one hand-made DHCP request as a raw Ethernet frame and
print what comes back, for the cases pxe_client cannot make: options of
any content, relayed requests (giaddr, option 82), IP padding after the
UDP payload, a UDP length past the data; and it watches for ICMP port
unreachable messages meanwhile.

  dhcp_probe.py -i IFACE --dst-mac MAC [options]

Prints, per reply (BOOTREPLY with our xid), a block of key=value lines:
  from=IP:PORT to=IP:PORT flags=HHHH yiaddr= siaddr= giaddr= file=
  ms=  (since the request was sent)  at= (absolute, seconds)
  optN=HEX for each option, opt43.N=HEX for option 43's sub-options,
  last-opt=N (the last option before END), pad-between=0|1 (a PAD code
  between options before END)
then "icmp-unreach=N" (ICMP port unreachable messages seen) and
"replies=N".  Exit status 0 when it got --count replies (or none with
--expect-none), 1 otherwise.
"""

import argparse
import os
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mac_bytes(s):
    return bytes(int(x, 16) for x in s.replace("-", ":").split(":"))


def ip_bytes(s):
    return socket.inet_aton(s)


def build_bootp(a, xid):
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, a.hops, xid, 0,
                      a.flags, ip_bytes(a.ciaddr), b"\0" * 4, b"\0" * 4,
                      ip_bytes(a.giaddr), mac_bytes(a.mac).ljust(16, b"\0"),
                      b"", b"")
    opts = b""
    for o in a.opt:
        code, _, hexval = o.partition(":")
        val = bytes.fromhex(hexval.replace(" ", ""))
        opts += bytes([int(code), len(val)]) + val
    for r in a.raw:
        opts += bytes.fromhex(r.replace(" ", ""))
    if not a.no_end:
        opts += b"\xff"
    return hdr + struct.pack("!I", 0x63825363) + opts


def build_frame(a, payload, src_mac):
    ulen = 8 + len(payload) + a.udp_len_delta
    trailer = b"\0" * a.trailer
    ip_len = 20 + 8 + len(payload) + a.trailer
    saddr, daddr = ip_bytes(a.src), ip_bytes(a.dst)
    pseudo = saddr + daddr + struct.pack("!BBH", 0, 17, ulen)
    udp = struct.pack("!HHHH", a.sport, a.dport, ulen, 0) + payload
    # The checksum covers the UDP length's worth of bytes (RFC 768).
    data = (udp + trailer)[:ulen] if ulen <= len(udp + trailer) else udp
    c = csum(pseudo + data) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ip_len, 0, 0x4000, 64, 17, 0,
                      saddr, daddr)
    iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
    eth = mac_bytes(a.dst_mac) + src_mac + struct.pack("!H", ETH_P_IP)
    return eth + iph + udp + trailer


def walk_options(b, start, end):
    """(code, value) pairs up to END, and whether a PAD came between."""
    out, pad, i = [], False, start
    while i < end:
        code = b[i]
        if code == 255:
            break
        if code == 0:
            pad = True
            i += 1
            continue
        if i + 1 >= end or i + 2 + b[i + 1] > end:
            out.append((code, None))
            break
        out.append((code, b[i + 2:i + 2 + b[i + 1]]))
        i += 2 + b[i + 1]
    return out, pad


def show_reply(ip, udp_src, udp_dst, b, ms, at):
    src = socket.inet_ntoa(ip[12:16])
    dst = socket.inet_ntoa(ip[16:20])
    print("from=%s:%d" % (src, udp_src))
    print("to=%s:%d" % (dst, udp_dst))
    print("len=%d" % len(b))
    print("flags=%04x" % struct.unpack("!H", b[10:12])[0])
    print("ciaddr=%s" % socket.inet_ntoa(b[12:16]))
    print("yiaddr=%s" % socket.inet_ntoa(b[16:20]))
    print("siaddr=%s" % socket.inet_ntoa(b[20:24]))
    print("giaddr=%s" % socket.inet_ntoa(b[24:28]))
    print("file=%s" % b[108:236].split(b"\0")[0].decode("latin-1"))
    opts, pad = walk_options(b, 240, len(b))
    for code, val in opts:
        if val is None:
            print("badopt=%d" % code)
            continue
        print("opt%d=%s" % (code, val.hex()))
        if code == 43:
            sub, _ = walk_options(val, 0, len(val))
            for scode, sval in sub:
                print("opt43.%d=%s" % (scode, sval.hex() if sval is not None else "BAD"))
    print("last-opt=%d" % (opts[-1][0] if opts else -1))
    print("pad-between=%d" % pad)
    print("ms=%d" % ms)
    print("at=%.3f" % at)
    print()
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-i", "--iface", required=True)
    ap.add_argument("--dst-mac", required=True)
    ap.add_argument("--src", default="0.0.0.0")
    ap.add_argument("--dst", default="255.255.255.255")
    ap.add_argument("--sport", type=int, default=68)
    ap.add_argument("--dport", type=int, default=67)
    ap.add_argument("--mac", default="52:54:00:00:00:99", help="chaddr")
    ap.add_argument("--ciaddr", default="0.0.0.0")
    ap.add_argument("--giaddr", default="0.0.0.0")
    ap.add_argument("--hops", type=int, default=0)
    ap.add_argument("--flags", type=lambda x: int(x, 0), default=0)
    ap.add_argument("--opt", action="append", default=[],
                    help="CODE:HEX, in order (repeatable)")
    ap.add_argument("--raw", action="append", default=[],
                    help="raw option bytes in hex, after the --opt ones")
    ap.add_argument("--no-end", action="store_true")
    ap.add_argument("--trailer", type=int, default=0,
                    help="bytes after the UDP payload, inside the IP packet")
    ap.add_argument("--udp-len-delta", type=int, default=0)
    ap.add_argument("--wait", type=float, default=3.0,
                    help="seconds to wait for replies after the last one")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--linger", type=float, default=0.5,
                    help="seconds to keep watching after the last reply")
    ap.add_argument("--repeat", type=int, default=1,
                    help="send the request this many times")
    ap.add_argument("--expect-none", action="store_true")
    a = ap.parse_args()

    xid = struct.unpack("!I", os.urandom(4))[0]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((a.iface, 0))
    src_mac = s.getsockname()[4]
    frame = build_frame(a, build_bootp(a, xid), src_mac)

    got, icmp = 0, 0
    sent = time.monotonic()
    for _ in range(a.repeat):
        s.send(frame)
    deadline = sent + a.wait
    while time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            pkt, addr = s.recvfrom(65535)
        except socket.timeout:
            break
        if addr[2] == PACKET_OUTGOING or len(pkt) < 34:
            continue
        if struct.unpack("!H", pkt[12:14])[0] != ETH_P_IP:
            continue
        ip = pkt[14:]
        ihl = (ip[0] & 0xF) * 4
        proto = ip[9]
        l4 = ip[ihl:]
        if proto == 1 and len(l4) >= 8 + 20 and l4[0] == 3 and l4[1] == 3:
            icmp += 1
            continue
        if proto != 17 or len(l4) < 8 + 240:
            continue
        sport, dport, ulen = struct.unpack("!HHH", l4[:6])
        b = l4[8:ulen]
        if b[0] != 2 or struct.unpack("!I", b[4:8])[0] != xid:
            continue
        now = time.monotonic()
        show_reply(ip, sport, dport, b, (now - sent) * 1000, time.time())
        got += 1
        if got >= a.count and not a.expect_none:
            # Linger briefly for ICMP messages that may follow.
            deadline = min(deadline, time.monotonic() + a.linger)
    print("icmp-unreach=%d" % icmp)
    print("replies=%d" % got)
    if a.expect_none:
        return 0 if got == 0 else 1
    return 0 if got >= a.count else 1


if __name__ == "__main__":
    sys.exit(main())
