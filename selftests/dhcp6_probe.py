#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dhcp6_probe: send one DHCPv6 request as a netboot client does and print
what comes back, decoded with scapy's DHCPv6 layers.

  dhcp6_probe.py -i IFACE -p PROFILE [options]

Profiles build the messages byte for byte as the firmware does:
  edk2-pxe   EDK2 UefiPxeBcDxe Solicit: 1 (DUID-UUID), 8, 3 (IA_NA), 6 (59 60
             23 16), 62 (01 03 00), 61, 16 (343, PXEClient:Arch:NNNNN:UNDI:003000)
  edk2-http  the same from HttpBootDxe: HTTPClient:Arch:NNNNN:UNDI:003000
  ipxe       iPXE's Information-Request: 1 (DUID-UUID), 6 (23 24 59 60),
             16 (343, PXEClient:Arch:NNNNN:UNDI:003010), 61, 62 (01 03 0a),
             15 ("iPXE"), 8
  plain      a Solicit from an ordinary host (1 DUID-LLT, 8, 3, 6 (23 24))
  raw        --raw HEX as the whole UDP payload
The PXEv6 boot server step (-t request -d ADDR -P 4011 -s SERVERID) sends
the copy of the Request EDK2 sends there: 2 first, then 1, 8, 6, 62, 61, 16.

--relay N sends the request as N relay agents forward it (RFC 8415 19.1):
in N nested Relay-forwards (12), level K (1 = the innermost) with
hop-count K-1, link-address 2001:db8:K::1, peer-address fe80::K (the
client) or 2001:db8:K-1::2 (the relay agent below), Interface-Id (18)
"relayK", and with --lla MAC option 79 (RFC 6939) at level 1; from UDP 547
(-b: the outermost relay agent's address); --lla-type T gives option 79
link-layer type T instead of 1 (Ethernet).  A reply must then be N nested
Relay-replies (13) each echoing its level's hop-count, link-address,
peer-address and Interface-Id: "relay-levels=N" then what is inside is
printed, or "relay-bad=WHY" (counted as a reply).  --hop-count H sets the
outermost level's hop-count, --no-relay-msg leaves its option 9 out,
--overrun ends it with an option running 8 bytes past the datagram.

Prints, per reply with our transaction id, key=value lines:
  from=ADDR sport=N msgtype=N opts=C,C,... (option codes in order)
  ms=N (whole milliseconds since just before the request was sent)
  client-id=HEX server-id=HEX vendor-class=ENTERPRISE:CLASS url=URL
and finally "replies=N".  Exit status 0 when it got a reply (none with -n).
"""

import argparse
import os
import random
import socket
import struct
import sys
import time

from scapy.layers import dhcp6
from scapy.packet import NoPayload

ARCH_PXE = {"edk2-pxe": 7, "edk2-http": 16, "ipxe": 7}


def opt(code, data):
    return struct.pack("!HH", code, len(data)) + data


def vclass(prefix, arch, undi):
    cls = b"%s:Arch:%05d:UNDI:%s" % (prefix, arch, undi)
    return opt(16, struct.pack("!IH", 343, len(cls)) + cls)


def duid(a):
    if a.duid_ll:
        return struct.pack("!HH", 3, 1) + bytes.fromhex(a.duid_ll.replace(":", ""))
    if a.duid_llt:
        return struct.pack("!HHI", 1, 1, 0x2a2a2a2a) + \
            bytes.fromhex(a.duid_llt.replace(":", ""))
    return struct.pack("!H", 4) + bytes.fromhex(a.uuid.replace("-", ""))


def build(a, xid):
    msgtype = {"solicit": 1, "request": 3, "inforeq": 11}[a.type]
    if a.profile == "ipxe" and a.type == "solicit":
        msgtype = 11
    head = bytes([msgtype]) + xid.to_bytes(3, "big")
    cid = opt(1, duid(a)) if not a.no_client_id else b""
    sid = opt(2, bytes.fromhex(a.server_id)) if a.server_id else b""
    elapsed = opt(8, b"\0\0")
    iana = opt(3, os.urandom(4) + bytes(8))
    if a.profile in ("edk2-pxe", "edk2-http"):
        arch = a.arch if a.arch is not None else ARCH_PXE[a.profile]
        prefix = b"PXEClient" if a.profile == "edk2-pxe" else b"HTTPClient"
        tail = opt(6, bytes.fromhex("003b003c00170010")) + opt(62, b"\x01\x03\x00") + \
            opt(61, struct.pack("!H", arch)) + vclass(prefix, arch, b"003000")
        if a.type == "request":		# the copy sent to 4011: no IA
            return head + sid + cid + elapsed + tail
        return head + cid + elapsed + sid + iana + tail
    if a.profile == "ipxe":
        arch = a.arch if a.arch is not None else 7
        return head + cid + sid + opt(6, bytes.fromhex("00170018003b003c")) + \
            vclass(b"PXEClient", arch, b"003010") + \
            opt(61, struct.pack("!H", arch)) + opt(62, b"\x01\x03\x0a") + \
            opt(15, b"\x00\x04iPXE") + elapsed
    return head + cid + sid + elapsed + iana + opt(6, bytes.fromhex("00170018"))


def relay_levels(n):
    """The (hop-count, link-address, peer-address, interface-id) of @n
    relay levels, innermost first."""
    lv = []
    for k in range(1, n + 1):
        peer = "fe80::%x" % k if k == 1 else "2001:db8:%x::2" % (k - 1)
        lv.append((k - 1, socket.inet_pton(socket.AF_INET6, "2001:db8:%x::1" % k),
                   socket.inet_pton(socket.AF_INET6, peer), b"relay%d" % k))
    return lv


def relay_wrap(a, msg):
    """@msg in the Relay-forwards of a.relay agents."""
    levels = relay_levels(a.relay)
    for i, (hop, link, peer, ifid) in enumerate(levels):
        outer = i == len(levels) - 1
        if outer and a.hop_count is not None:
            hop = a.hop_count
        body = opt(18, ifid)
        if i == 0 and a.lla:
            body += opt(79, struct.pack("!H", a.lla_type) +
                        bytes.fromhex(a.lla.replace(":", "")))
        if not (outer and a.no_relay_msg):
            body += opt(9, msg)
        if outer and a.overrun:
            body += struct.pack("!HH", 0xfff0, 8)
        msg = bytes([12, hop]) + link + peer + body
    return msg


def relay_unwrap(a, rep):
    """The message inside the Relay-replies of @rep, or a string saying
    what is wrong with them."""
    for lv, (hop, link, peer, ifid) in enumerate(reversed(relay_levels(a.relay))):
        if a.hop_count is not None and lv == 0:
            hop = a.hop_count
        if len(rep) < 34 or rep[0] != 13:
            return "level %d is not a Relay-reply" % lv
        if rep[1] != hop or rep[2:18] != link or rep[18:34] != peer:
            return "level %d hop-count, link- or peer-address not echoed" % lv
        opts, p, inner = {}, 34, None
        while p < len(rep):
            if len(rep) - p < 4:
                return "level %d: option header truncated" % lv
            code, olen = struct.unpack("!HH", rep[p:p + 4])
            if p + 4 + olen > len(rep):
                return "level %d: option %d runs past the end" % (lv, code)
            opts.setdefault(code, rep[p + 4:p + 4 + olen])
            p += 4 + olen
        if opts.get(18) != ifid:
            return "level %d: Interface-Id not echoed" % lv
        inner = opts.get(9)
        if inner is None:
            return "level %d: no Relay Message" % lv
        rep = inner
    return rep


def options(pkt):
    """The option layers of a decoded message, in order."""
    layer = pkt.payload
    while layer is not None and not isinstance(layer, NoPayload):
        if hasattr(layer, "optcode"):
            yield layer
        layer = layer.payload


def show(data, src, sport, ms):
    cls = getattr(dhcp6, dhcp6.dhcp6_cls_by_type.get(data[0], ""), None)
    print("from=%s\nsport=%d\nmsgtype=%d\nms=%d" % (src, sport, data[0], ms))
    if cls is None:
        return
    codes = []
    for o in options(cls(data)):
        codes.append(str(o.optcode))
        if o.optcode in (1, 2):
            key = "client-id" if o.optcode == 1 else "server-id"
            print("%s=%s" % (key, bytes(o)[4:4 + o.optlen].hex()))
        elif o.optcode == 16:
            for vc in o.vcdata:
                print("vendor-class=%d:%s" % (o.enterprisenum, vc.data.decode()))
        elif o.optcode == 59:
            print("url=%s" % o.optdata.decode())
    print("opts=%s" % ",".join(codes))


def fuzz(s, data, count, dst):
    """Send @count mutations of @data: truncated, bytes flipped, option
    lengths changed."""
    rnd = random.Random(os.getpid())
    print("seed=%d" % os.getpid())
    for _ in range(count):
        m = bytearray(data)
        for _ in range(rnd.randint(1, 4)):
            op = rnd.randrange(3)
            if op == 0 and m:
                del m[rnd.randrange(len(m)):]
            elif op == 1 and m:
                m[rnd.randrange(len(m))] = rnd.randrange(256)
            elif len(m) > 6:
                i = rnd.randrange(4, len(m) - 1)
                m[i:i + 2] = struct.pack("!H", rnd.choice([0, 1, 2, 3, 0xffff, rnd.randrange(1 << 16)]))
        s.sendto(bytes(m), dst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-i", "--iface", required=True)
    ap.add_argument("-p", "--profile", default="edk2-pxe",
                    choices=["edk2-pxe", "edk2-http", "ipxe", "plain", "raw"])
    ap.add_argument("-t", "--type", default="solicit",
                    choices=["solicit", "request", "inforeq"])
    ap.add_argument("-a", "--arch", type=int)
    ap.add_argument("-u", "--uuid", default="aaaaaaaa-bbbb-cccc-dddd-000000000006")
    ap.add_argument("--duid-ll", help="client DUID-LL of this MAC")
    ap.add_argument("--duid-llt", help="client DUID-LLT of this MAC")
    ap.add_argument("--no-client-id", action="store_true")
    ap.add_argument("-s", "--server-id", help="option 2, hex")
    ap.add_argument("-d", "--dst", default="ff02::1:2")
    ap.add_argument("-P", "--port", type=int, default=547)
    ap.add_argument("-b", "--bind", default="::", help="source address")
    ap.add_argument("--raw", help="the whole payload, hex")
    ap.add_argument("-n", "--expect-none", action="store_true")
    ap.add_argument("-w", "--wait", type=float, default=1.5)
    ap.add_argument("--fuzz", type=int, default=0,
                    help="send this many mutations of the request instead")
    ap.add_argument("--relay", type=int, default=0,
                    help="forward the request through this many relay agents")
    ap.add_argument("--lla", help="option 79 of the innermost relay agent")
    ap.add_argument("--lla-type", type=int, default=1,
                    help="option 79's link-layer type (1: Ethernet)")
    ap.add_argument("--hop-count", type=int, help="the outermost hop-count")
    ap.add_argument("--no-relay-msg", action="store_true")
    ap.add_argument("--overrun", action="store_true")
    a = ap.parse_args()

    ifindex = socket.if_nametoindex(a.iface)
    sport = 4011 if a.port == 4011 else 547 if a.relay else 546
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.iface.encode())
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
    s.bind((a.bind, sport, 0, ifindex))
    xid = int.from_bytes(os.urandom(3), "big")
    data = bytes.fromhex(a.raw) if a.raw else build(a, xid)
    if a.raw:
        xid = int.from_bytes(data[1:4].ljust(3, b"\0"), "big")
    if a.relay:
        data = relay_wrap(a, data)
    if a.fuzz:
        fuzz(s, data, a.fuzz, (a.dst, a.port, 0, ifindex))
        return
    sent = time.monotonic()
    s.sendto(data, (a.dst, a.port, 0, ifindex))

    n = 0
    end = time.monotonic() + a.wait
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            rep, (src, rport, _, _) = s.recvfrom(2048)
        except socket.timeout:
            break
        if a.relay:
            rep = relay_unwrap(a, rep)
            if isinstance(rep, str):
                print("relay-bad=%s" % rep)
                n += 1
                continue
        if len(rep) < 4 or int.from_bytes(rep[1:4], "big") != xid:
            continue
        if a.relay:
            print("relay-levels=%d" % a.relay)
        show(rep, src.split("%")[0], rport,
             int((time.monotonic() - sent) * 1000))
        n += 1
    print("replies=%d" % n)
    sys.exit(0 if (n == 0) == a.expect_none else 1)


if __name__ == "__main__":
    main()
