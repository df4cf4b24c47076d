#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tftp_probe: a TFTP client for pxefast's selftests that shows what the
server said, for the cases real clients hide: error codes, OACK contents,
windows, duplicate ACKs, the EDK2 abort-after-OACK dance, write requests.

  tftp_probe.py SERVER FILE [options]

SERVER is an IPv4 or IPv6 address (an IPv6 link-local one with its
interface: fe80::1%eth0); the client speaks the same version.

Prints one line: "ok size=N sha256=HEX blocks=N oack=k=v,..." or
"error code=N msg=TEXT", or "timeout".  Exit status 0 for ok, 1 for an
ERROR from the server, 2 for timeout or a protocol violation.

  tftp_probe.py SERVER FILE --case NAME [--other FILE] [--sport N]

runs one of the scenarios below (a reset PXE ROM, padded datagrams, ...),
prints what it saw and exits 0 when the server did right, 1 otherwise.
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


class Fail(Exception):
    pass


FAMILY = socket.AF_INET


def sockaddr(host, port):
    """The socket address of host (IPv4, or IPv6 with %scope), port."""
    return socket.getaddrinfo(host, port, FAMILY, socket.SOCK_DGRAM)[0][4]


def udp_socket(port=0, wait=10.0):
    s = socket.socket(FAMILY, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port))
    s.settimeout(wait)
    return s


def recv_until(s, deadline, want=None):
    """The next packet (payload, address) within the deadline for which
    want(payload, address) holds; packets it rejects are skipped."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Fail("nothing %s before the deadline" %
                       ("matching" if want else "received"))
        s.settimeout(left)
        try:
            pkt, addr = s.recvfrom(70000)
        except socket.timeout:
            continue
        if want is None or want(pkt, addr):
            return pkt, addr


def op_of(pkt):
    return struct.unpack("!H", pkt[:2])[0]


def describe(pkt):
    op = op_of(pkt)
    if op == OACK:
        return "OACK %s" % parse_oack(pkt[2:])
    if op in (DATA, ACK, ERROR):
        return "%s %d" % ({DATA: "DATA", ACK: "ACK", ERROR: "ERROR"}[op],
                          struct.unpack("!H", pkt[2:4])[0])
    return "opcode %d" % op


def fetch_rest(s, peer, first, blksize, window=1):
    """Complete a transfer whose first answer (OACK or DATA 1) came from
    peer; returns the file's sha256 and size."""
    h, size, expect = hashlib.sha256(), 0, 1
    pkt = first
    if op_of(pkt) == OACK:
        s.sendto(struct.pack("!HH", ACK, 0), peer)
        pkt = None
    deadline = time.monotonic() + 60
    while True:
        if pkt is None:
            pkt, _ = recv_until(s, deadline, lambda p, a: a == peer)
        if op_of(pkt) != DATA:
            raise Fail("in the transfer: %s" % describe(pkt))
        blk = struct.unpack("!H", pkt[2:4])[0]
        if blk == (expect & 0xFFFF):
            h.update(pkt[4:])
            size += len(pkt) - 4
            expect += 1
            if len(pkt) - 4 < blksize:
                s.sendto(struct.pack("!HH", ACK, blk), peer)
                return h.hexdigest(), size
        s.sendto(struct.pack("!HH", ACK, (expect - 1) & 0xFFFF), peer)
        pkt = None


def case_reboot(a):
    """A PXE ROM reset mid-transfer asks again, byte for byte, from the
    same port: the old transfer ends and the request gets a fresh OACK
    from a new server port at once (long before the old one would time
    out: the server runs with a long retransmission timeout here)."""
    s = udp_socket(a.sport)
    srv = sockaddr(a.server, 69)
    req = build_req(RRQ, a.file.encode(), "octet", [("blksize", 1400)])
    s.sendto(req, srv)
    deadline = time.monotonic() + 30
    pkt, old = recv_until(s, deadline)
    if op_of(pkt) != OACK:
        raise Fail("first answer: %s" % describe(pkt))
    s.sendto(struct.pack("!HH", ACK, 0), old)
    for blk in (1, 2, 3):
        pkt, _ = recv_until(s, deadline, lambda p, a: a == old)
        if op_of(pkt) != DATA or struct.unpack("!H", pkt[2:4])[0] != blk:
            raise Fail("want DATA %d, got %s" % (blk, describe(pkt)))
        if blk < 3:
            s.sendto(struct.pack("!HH", ACK, blk), old)
    # At block 3, the machine resets and its ROM asks again.
    t0 = time.monotonic()
    s.sendto(req, srv)
    pkt, new = recv_until(s, t0 + a.within, lambda p, a: a != old)
    t_new = time.monotonic()
    if op_of(pkt) != OACK or parse_oack(pkt[2:]) != {"blksize": "1400"}:
        raise Fail("answer to the new request: %s" % describe(pkt))
    print("# new OACK from port %d (old transfer on %d) after %.3f s" %
          (new[1], old[1], t_new - t0))
    digest, size = fetch_rest(s, new, pkt, 1400)
    # The old transfer is over: nothing more from its port (anything
    # sent before it ended has arrived by now).
    s.settimeout(0.2)
    late = []
    end = time.monotonic() + a.quiet
    while time.monotonic() < end:
        try:
            p, addr = s.recvfrom(70000)
        except socket.timeout:
            continue
        if addr == old and time.monotonic() > t_new + 0.5:
            late.append(describe(p))
    if late:
        raise Fail("the old transfer still sends: %s" % late)
    print("ok size=%d sha256=%s" % (size, digest))


def case_other_file(a):
    """While a transfer from a port runs, a request for another file from
    the same port starts a new transfer."""
    s = udp_socket(a.sport)
    srv = sockaddr(a.server, 69)
    s.sendto(build_req(RRQ, a.file.encode(), "octet", []), srv)
    deadline = time.monotonic() + 30
    pkt, old = recv_until(s, deadline)
    if op_of(pkt) != DATA:
        raise Fail("first transfer: %s" % describe(pkt))
    s.sendto(build_req(RRQ, a.other.encode(), "octet", [("tsize", 0)]), srv)
    pkt, new = recv_until(s, time.monotonic() + a.within,
                          lambda p, a: a != old)
    if op_of(pkt) != OACK:
        raise Fail("answer to the second request: %s" % describe(pkt))
    digest, size = fetch_rest(s, new, pkt, 512)
    print("ok size=%d sha256=%s oack=%s" %
          (size, digest, ",".join("%s=%s" % kv for kv in
                                  sorted(parse_oack(pkt[2:]).items()))))


def case_changed_request(a):
    """A request (tsize) whose OACK is lost, then a different one (blksize)
    from the same port: the answer acknowledges exactly what the second
    asked for."""
    s = udp_socket(a.sport)
    srv = sockaddr(a.server, 69)
    s.sendto(build_req(RRQ, a.file.encode(), "octet", [("tsize", 0)]), srv)
    deadline = time.monotonic() + 30
    pkt, old = recv_until(s, deadline)
    if op_of(pkt) != OACK or "tsize" not in parse_oack(pkt[2:]):
        raise Fail("first answer: %s" % describe(pkt))
    # That OACK is "lost": ask again, differently.
    s.sendto(build_req(RRQ, a.file.encode(), "octet", [("blksize", 1400)]),
             srv)
    pkt, new = recv_until(s, time.monotonic() + a.within)
    if op_of(pkt) != OACK or parse_oack(pkt[2:]) != {"blksize": "1400"}:
        raise Fail("answer to the second request: %s from port %d "
                   "(first from %d)" % (describe(pkt), new[1], old[1]))
    if new == old:
        raise Fail("answered from the first transfer's port")
    digest, size = fetch_rest(s, new, pkt, 1400)
    print("ok size=%d sha256=%s" % (size, digest))


def case_retransmit(a):
    """A byte-identical request before the client has answered is a
    retransmission: the same transfer answers again, from its port."""
    s = udp_socket(a.sport)
    srv = sockaddr(a.server, 69)
    req = build_req(RRQ, a.file.encode(), "octet", [("tsize", 0)])
    s.sendto(req, srv)
    deadline = time.monotonic() + 30
    pkt, old = recv_until(s, deadline)
    if op_of(pkt) != OACK:
        raise Fail("first answer: %s" % describe(pkt))
    s.sendto(req, srv)
    pkt, again = recv_until(s, time.monotonic() + a.within)
    if again != old or pkt[:2] != struct.pack("!H", OACK):
        raise Fail("retransmitted request: %s from port %d, want the OACK "
                   "again from %d" % (describe(pkt), again[1], old[1]))
    digest, size = fetch_rest(s, old, pkt, 512)
    print("ok size=%d sha256=%s" % (size, digest))


def case_burst(a):
    """A burst of requests for absent names from consecutive ports
    (Raspberry Pi bootcode): every one gets ERROR 1, whatever the
    per-client limit and the transfers the client has open."""
    srv = sockaddr(a.server, 69)
    socks = [udp_socket(a.sport + i) for i in range(a.count)]
    reqs = [build_req(RRQ, b"absent-%d" % i, "octet", []) for i in range(a.count)]
    t0 = time.monotonic()
    for k, r in zip(socks, reqs):
        k.sendto(r, srv)
    print("# %d requests sent in %.1f ms" % (a.count, (time.monotonic() - t0) * 1000))
    bad = []
    for i, k in enumerate(socks):
        pkt, _ = recv_until(k, time.monotonic() + 30)
        if op_of(pkt) != ERROR or pkt[2:4] != b"\0\1":
            bad.append("absent-%d: %s %r" % (i, describe(pkt), pkt[4:40]))
    if bad:
        raise Fail("; ".join(bad))
    print("ok %d x ERROR 1" % a.count)


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def send_padded(raw, src, dst, sport, dport, payload, pad, ulen=None):
    """Send an IPv4/UDP datagram whose IP total length covers `pad` bytes
    beyond the UDP datagram; ulen overrides the UDP length field."""
    ulen = 8 + len(payload) if ulen is None else ulen
    body = payload + b"\xee" * pad
    ck = 0
    if ulen == 8 + len(payload):
        pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + \
            struct.pack("!BBH", 0, socket.IPPROTO_UDP, ulen)
        ck = csum16(pseudo + struct.pack("!HHHH", sport, dport, ulen, 0) +
                    payload) or 0xFFFF
    udp = struct.pack("!HHHH", sport, dport, ulen, ck) + body
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64,
                     socket.IPPROTO_UDP, 0, socket.inet_aton(src),
                     socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum16(ip)) + ip[12:]
    raw.sendto(ip + udp, (dst, 0))


def case_padded(a):
    """Datagrams whose IP total length is longer than the UDP datagram
    (IP padding; IPv4 only): the UDP length counts, as in Linux's UDP.  A request to
    port 69 (with --rrq), then ACKs and an ERROR to the transfer's port,
    padded; an ACK claiming more than the datagram holds is ignored."""
    s = udp_socket(a.sport)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    me = a.client
    srv = sockaddr(a.server, 69)
    req = build_req(RRQ, a.file.encode(), "octet", [])
    if a.rrq:
        # First one whose UDP length claims more than it holds, from
        # another port: dropped, while the padded one after it is answered.
        liar = udp_socket(a.sport + 1)
        send_padded(raw, me, a.server, a.sport + 1, 69, req, 0,
                    ulen=8 + len(req) + 16)
        send_padded(raw, me, a.server, a.sport, 69, req, 7)
    else:
        s.sendto(req, srv)
    deadline = time.monotonic() + 30
    pkt, peer = recv_until(s, deadline)
    if pkt[:4] != struct.pack("!HH", DATA, 1):
        raise Fail("answer to the request: %s" % describe(pkt))
    if a.rrq:
        s.sendto(struct.pack("!HH", ERROR, 0) + b"done\0", peer)
        liar.setblocking(False)
        try:
            p, _ = liar.recvfrom(70000)
            raise Fail("a UDP length beyond the data was answered: %s" %
                       describe(p))
        except BlockingIOError:
            pass
        print("ok padded request answered")
        return
    # A lying UDP length (beyond the data): dropped, so block 1 comes again.
    send_padded(raw, me, a.server, a.sport, peer[1],
                struct.pack("!HH", ACK, 1), 0, ulen=40)
    pkt, _ = recv_until(s, deadline, lambda p, x: x == peer)
    if pkt[:4] != struct.pack("!HH", DATA, 1):
        raise Fail("after an ACK with a UDP length beyond the data: %s, "
                   "want DATA 1 again" % describe(pkt))
    blk = 1
    while True:
        send_padded(raw, me, a.server, a.sport, peer[1],
                    struct.pack("!HH", ACK, blk), 5)
        if len(pkt) - 4 < 512:
            break
        pkt, _ = recv_until(s, deadline, lambda p, x: x == peer)
        if pkt[:4] != struct.pack("!HH", DATA, (blk + 1) & 0xFFFF):
            if pkt[:4] == struct.pack("!HH", DATA, blk):
                raise Fail("padded ACK %d ignored: DATA %d again" % (blk, blk))
            raise Fail("after padded ACK %d: %s" % (blk, describe(pkt)))
        blk += 1
    # A size probe aborted with a padded ERROR 8.
    s.sendto(build_req(RRQ, a.file.encode(), "octet", [("tsize", 0)]), srv)
    pkt, peer = recv_until(s, deadline, lambda p, x: x != peer)
    if op_of(pkt) != OACK:
        raise Fail("answer to the probe: %s" % describe(pkt))
    send_padded(raw, me, a.server, a.sport, peer[1],
                struct.pack("!HH", ERROR, 8) + b"tsize probe\0", 9)
    print("ok %d blocks acknowledged with padded ACKs" % blk)


def recv_stamped(s, deadline):
    """The next packet and the kernel's receive time (CLOCK_REALTIME)."""
    while True:
        left = deadline - time.time()
        if left <= 0:
            raise Fail("nothing received before the deadline")
        s.settimeout(left)
        try:
            pkt, anc, _, addr = s.recvmsg(70000, 64)
        except socket.timeout:
            continue
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", data[:16])
                return pkt, addr, sec + nsec / 1e9
        return pkt, addr, time.time()


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def case_idle(a):
    """Ask with a timeout option, then fall silent: print the OACK and
    how long after the request the server's ERROR came (kernel receive
    time stamps, so a slow host does not lengthen it)."""
    s = udp_socket(a.sport)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    t0 = time.time()
    s.sendto(build_req(RRQ, a.file.encode(), "octet",
                       [("timeout", a.timeout_opt), ("tsize", 0)]),
             sockaddr(a.server, 69))
    pkt, peer, _ = recv_stamped(s, t0 + 30)
    if op_of(pkt) != OACK:
        raise Fail("answer: %s" % describe(pkt))
    oack = parse_oack(pkt[2:])
    while True:
        pkt, addr, t = recv_stamped(s, t0 + a.within)
        if addr == peer and op_of(pkt) == ERROR:
            break
    print("ok oack=%s ended=%.2f error=%s" %
          (",".join("%s=%s" % kv for kv in sorted(oack.items())), t - t0,
           pkt[4:].split(b"\0")[0].decode(errors="replace")))


def case_stranger(a):
    """A stranger's ACK to a transfer's port gets ERROR 5, unknown
    transfer ID; the transfer itself goes on and completes."""
    s, other = udp_socket(), udp_socket()
    s.sendto(build_req(RRQ, a.file.encode(), "octet", []),
             sockaddr(a.server, 69))
    deadline = time.monotonic() + 30
    pkt, peer = recv_until(s, deadline)
    if op_of(pkt) != DATA:
        raise Fail("answer: %s" % describe(pkt))
    other.sendto(struct.pack("!HH", ACK, 1), peer)
    err, _ = recv_until(other, deadline)
    if err[:4] != struct.pack("!HH", ERROR, 5):
        raise Fail("the stranger got %s, want ERROR 5" % describe(err))
    digest, size = fetch_rest(s, peer, pkt, 512)
    print("ok size=%d sha256=%s" % (size, digest))


def case_checksum(a):
    """A read request over IPv6 from a raw socket, its UDP checksum right,
    zero (which IPv6 forbids, RFC 8200 section 8.1) or wrong (--how):
    only the right one is answered."""
    rx = udp_socket(a.sport)
    data = build_req(RRQ, a.file.encode(), "octet", [])
    ulen = 8 + len(data)
    pseudo = socket.inet_pton(socket.AF_INET6, a.client) + \
        socket.inet_pton(socket.AF_INET6, a.server) + \
        struct.pack("!IxxxB", ulen, socket.IPPROTO_UDP)
    ck = csum16(pseudo + struct.pack("!HHHH", a.sport, 69, ulen, 0) +
                data) or 0xFFFF
    ck = {"good": ck, "zero": 0, "bad": ck ^ 0x5A5A}[a.how]
    raw = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_UDP)
    raw.sendto(struct.pack("!HHHH", a.sport, 69, ulen, ck) + data,
               (a.server, 0))
    try:
        pkt, _ = recv_until(rx, time.monotonic() + a.within)
        answered = op_of(pkt) == DATA
    except Fail:
        answered = False
    print("# %s checksum: %sanswered" % (a.how, "" if answered else "not "))
    if answered != (a.how == "good"):
        raise Fail("%s checksum %sanswered" %
                   (a.how, "" if answered else "not "))
    print("ok")


CASES = {
    "stranger": case_stranger,
    "checksum": case_checksum,
    "reboot": case_reboot,
    "other-file": case_other_file,
    "changed-request": case_changed_request,
    "retransmit": case_retransmit,
    "burst": case_burst,
    "padded": case_padded,
    "idle": case_idle,
}


def run_case(a):
    try:
        CASES[a.case](a)
    except Fail as e:
        print("FAIL %s: %s" % (a.case, e))
        return 1
    return 0


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
    ap.add_argument("--case", choices=sorted(CASES),
                    help="run a scenario (see the functions case_*)")
    ap.add_argument("--sport", type=int, default=2071,
                    help="scenarios: the client's (first) source port")
    ap.add_argument("--other", help="scenarios: a second file")
    ap.add_argument("--client", help="scenarios: this host's address")
    ap.add_argument("--how", choices=("good", "zero", "bad"), default="good",
                    help="checksum: the UDP checksum the request carries")
    ap.add_argument("--rrq", action="store_true",
                    help="padded: pad the request to port 69 instead")
    ap.add_argument("--count", type=int, default=20,
                    help="burst: requests for absent names")
    ap.add_argument("--within", type=float, default=5.0,
                    help="scenarios: seconds the server has to answer")
    ap.add_argument("--quiet", type=float, default=3.0,
                    help="reboot: seconds to watch the old port afterwards")
    a = ap.parse_args()
    global FAMILY
    if ":" in a.server:
        FAMILY = socket.AF_INET6
    if a.case:
        return run_case(a)

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

    s = socket.socket(FAMILY, socket.SOCK_DGRAM)
    s.settimeout(a.wait)
    req = build_req(WRQ if a.wrq else RRQ, name, a.mode, opts)
    srv = sockaddr(a.server, a.port)
    s.sendto(req, srv)

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
                s.sendto(req, srv)
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
