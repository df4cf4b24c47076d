// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_pkt: a packet fuzzer for pxefast's proxy DHCP (UDP 67), DHCPv6
 * (UDP 547), PXE boot server (UDP 4011, both IP versions) and TFTP (UDP 69
 * and the transfers' ports, both IP versions).  Run it in the client's
 * namespace of a veth pair whose other end pxefast serves.
 *
 *   fuzz_pkt -S SERVER_IP [-6 SERVER_IP6]... -M SERVER_MAC -i IFNAME -r ROOT
 *            [-s SEED] [-n PACKETS] [-t SECONDS] [-k SESSIONS] [-F] [-v]
 *
 *   -S, -M      the served interface's IPv4 and MAC address
 *   -6 ADDR     an IPv6 address of the served interface (up to 4; a
 *               link-local one is reached through -i); with one, half the
 *               packets and transfers are IPv6 ones, and the interface
 *               must be served over DHCPv6
 *   -i IFNAME   this side's interface (raw frames go out of it)
 *   -r ROOT     the TFTP root pxefast serves (read here to check the data);
 *               a file named "rollover" is fetched with blksize 8 so that
 *               block numbers wrap
 *   -s SEED     random seed (default: from the clock); printed, so a run
 *               replays with the same -s -n -k
 *   -n N        packets to send (default 100000)
 *   -t SECONDS  stop after this long whatever the count (default 600)
 *   -k N        TFTP transfers in flight (default 24)
 *   -F          faults are being injected into the server: transfers may
 *               fail and answers go missing, so only the data checks and
 *               the final liveness check (after -F is over, run once more
 *               without it) stay oracles
 *
 * What is sent, mixed at random: DHCPDISCOVER/REQUEST/INFORM frames to 67
 * and 4011 built field by field (PXE options 60, 93, 94, 97, 77, 43.71, 175,
 * 57, 52 overload...) and mutated (option lengths, missing end, truncation,
 * hlen/htype/op/cookie, UDP length and checksum); TFTP read requests with
 * every option combination (blksize, tsize, timeout, windowsize, unknown,
 * repeated, cut short), valid and broken, over UDP sockets and as raw
 * frames; and transfers driven through every state: "good" clients that
 * ACK correctly (windows, duplicates and reordering from the server
 * handled) and check every DATA byte against the file, and "evil" ones
 * that ACK wrong, old, future and duplicate blocks, reorder, truncate,
 * send ERROR or other opcodes, write from a stranger's port, mutate bytes
 * and walk away.
 *
 * Over IPv6 (-6): DHCPv6 requests as EDK2's PXEv6 and HTTPv6 Solicits,
 * iPXE's Information-Request and EDK2's Request to 4011 send them (options
 * 1, 2, 3, 6, 8, 15, 16, 61, 62), to ff02::1:2 and the server's addresses,
 * mutated (option lengths short, long, 0 or 0xffff, DUIDs of any length,
 * class lists running over, odd option 61, message type, truncation);
 * TFTP requests and transfers as over IPv4; the raw frames mutated also
 * with extension headers in front of UDP (hop-by-hop, destination options,
 * routing, atomic fragment), real fragments (out of order, overlapping,
 * one missing), zero and wrong UDP checksums and odd source addresses.
 *
 * Oracles: the client identifier a DHCPv6 answer echoes is one the request
 * carried (not bytes from beyond it); every DATA block a good client
 * receives matches the file at its offset, the OACK grants only what was
 * asked and tsize is the file size, a
 * good transfer completes (not under -F), over each IP version, and so
 * does the rollover one (over either); the proxy answers a valid PXE
 * DISCOVER, and with -6 a valid PXEv6 Solicit with an Advertise naming a
 * boot file URL, every few thousand packets (not under -F) and at the end.
 * Exit status: 0 clean, 1 an oracle failed, 2 usage or local error.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "fuzz_rng.h"

#define MAX_SESS	128
#define MAX_FILES	64
#define PKT_MAX		1600
#define TFTP_RRQ	1
#define TFTP_WRQ	2
#define TFTP_DATA	3
#define TFTP_ACK	4
#define TFTP_ERROR	5
#define TFTP_OACK	6

static const char *prog = "fuzz_pkt";

/* ------------------------------------------------------------------ state */

static struct {
	unsigned long sent, dhcp, boot, tftp_raw, rrq, acks, evil, strangers;
	unsigned long rx, offers, data, oacks, errors_rx;
	unsigned long good_started, good_done, good_failed, evil_started;
	unsigned long rollover_done, liveness, oracle_fail;
	/* Over IPv6 (also counted above, where the same name fits). */
	unsigned long v6, dhcp6, dhcp6_mc, boot6, tftp6_raw, rrq6, ext, frag;
	unsigned long answers6, good6_started, good6_done, rollover6_done, liveness6;
} st;

static int faults;		/* -F */
static int verbose;
static double t_end;
static struct in_addr srv_ip, cli_ip;
static unsigned char srv_mac[6], cli_mac[6];
static int ifindex;
static int raw_fd = -1, dhcp_fd = -1;

/*
 * IPv6 (-6 ADDR, repeated): the server's addresses (a link-local one is
 * reached through -i), the client's source address towards each (what
 * the kernel picks), its link-local address (DHCPv6 clients send from
 * it), and the sockets on 546 and 4011 that hear the DHCPv6 answers.
 */
#define MAX_SRV6	4
static struct in6_addr srv6[MAX_SRV6], cli6[MAX_SRV6], cli_ll;
static int n_srv6;
static int dhcp6_fd = -1, binl6_fd = -1;
static const struct in6_addr all_dhcp = { { { 0xff, 2, 0, 0, 0, 0, 0, 0,
					      0, 0, 0, 0, 0, 1, 0, 2 } } };

struct file {
	char name[128];
	unsigned char *data;
	size_t size;
};
static struct file files[MAX_FILES];
static int n_files;
static int rollover_file = -1;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ORACLE: ", prog);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	st.oracle_fail++;
}

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(2);
}

/* ------------------------------------------------------------------ raw frames */

static uint16_t csum_add(uint32_t sum, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (; len > 1; len -= 2, b += 2)
		sum += (b[0] << 8) | b[1];
	if (len)
		sum += b[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Send a UDP payload as a raw Ethernet frame from SPORT to DST:DPORT,
 * with the UDP header's length and checksum possibly mutated (MUT).
 */
static void raw_udp(struct in_addr dst, uint16_t sport, uint16_t dport,
		    const unsigned char *payload, size_t len, int mut)
{
	unsigned char f[14 + 20 + 8 + PKT_MAX];
	unsigned char *ip = f + 14, *udp = ip + 20;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_ifindex = ifindex,
		.sll_halen = 6, .sll_protocol = htons(ETH_P_IP),
	};
	uint16_t ulen = 8 + len, c;
	uint32_t sum;

	if (len > PKT_MAX)
		len = PKT_MAX;
	/* Broadcast now and then; unicast to the server's MAC mostly. */
	memcpy(f, chance(20) ? (const unsigned char *)"\xff\xff\xff\xff\xff\xff" : srv_mac, 6);
	memcpy(sll.sll_addr, f, 6);
	memcpy(f + 6, cli_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (20 + 8 + len) >> 8;
	ip[3] = (20 + 8 + len) & 0xff;
	ip[4] = rnd() & 0xff;
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &cli_ip, 4);
	memcpy(ip + 16, &dst, 4);
	c = ~csum_add(0, ip, 20);
	ip[10] = c >> 8;
	ip[11] = c & 0xff;
	udp[0] = sport >> 8;
	udp[1] = sport & 0xff;
	udp[2] = dport >> 8;
	udp[3] = dport & 0xff;
	if (mut && chance(30)) {
		switch (rn(4)) {
		case 0: ulen = rn(8); break;			/* shorter than a header */
		case 1: ulen += 1 + rn(64); break;		/* longer than the datagram */
		case 2: ulen = ulen > 9 ? ulen - 1 - rn(ulen - 9) : ulen; break;
		default: ulen = (uint16_t)rnd(); break;
		}
	}
	udp[4] = ulen >> 8;
	udp[5] = ulen & 0xff;
	udp[6] = udp[7] = 0;
	memcpy(udp + 8, payload, len);
	/* Pseudo-header checksum; sometimes none, sometimes wrong. */
	if (!mut || chance(80)) {
		unsigned char ph[12];

		memcpy(ph, ip + 12, 8);
		ph[8] = 0;
		ph[9] = 17;
		ph[10] = (8 + len) >> 8;
		ph[11] = (8 + len) & 0xff;
		sum = csum_add(0, ph, 12);
		c = ~csum_add(sum, udp, 8 + len);
		if (!c)
			c = 0xffff;
		if (mut && chance(10))
			c ^= 1 + rn(0xfffe);
	} else {
		c = 0;
	}
	udp[6] = c >> 8;
	udp[7] = c & 0xff;
	if (sendto(raw_fd, f, 14 + 20 + 8 + len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0 &&
	    errno != ENOBUFS && errno != EAGAIN)
		die("send raw frame");
	st.sent++;
}

/* ------------------------------------------------------------------ raw IPv6 frames */

#define NH_HOP		0
#define NH_UDP		17
#define NH_ROUTING	43
#define NH_FRAGMENT	44
#define NH_DSTOPTS	60

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* Send one Ethernet frame of @len bytes at @f (its destination MAC set). */
static void raw_send(unsigned char *f, size_t len, uint16_t proto)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_ifindex = ifindex,
		.sll_halen = 6, .sll_protocol = htons(proto),
	};

	memcpy(sll.sll_addr, f, 6);
	if (sendto(raw_fd, f, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0 &&
	    errno != ENOBUFS && errno != EAGAIN)
		die("send raw frame");
}

/*
 * An extension header (RFC 8200 4) of type @nh at @p, followed by @next:
 * hop-by-hop and destination options with padding, a router alert or an
 * unknown option; a routing header with no segments left; an atomic
 * fragment header.  MUT breaks lengths and values.  Returns its length.
 */
static size_t ext_hdr(unsigned char *p, uint8_t nh, uint8_t next, int mut)
{
	size_t len = 8;

	memset(p, 0, 24);
	p[0] = next;
	switch (nh) {
	case NH_HOP:
	case NH_DSTOPTS:
		if (chance(50)) {		/* PadN */
			p[2] = 1;
			p[3] = 4;
		} else {			/* router alert (MLD), Pad1 Pad1 */
			p[2] = 5;
			p[3] = 2;
		}
		if (mut && chance(30)) {
			/* Unknown option: skip, discard, or ICMP (top bits). */
			p[2] = (uint8_t)(rn(4) << 6 | (0x1e + rn(2)));
			p[3] = chance(70) ? 4 : (uint8_t)rnd();
		}
		if (mut && chance(10)) {
			p[1] = 1 + rn(2);	/* longer, its options junk */
			len = 8 + 8 * p[1];
			for (size_t i = 8; i < len; i++)
				p[i] = (uint8_t)rnd();
		}
		break;
	case NH_ROUTING:
		p[1] = 2;			/* one address */
		p[2] = mut && chance(30) ? (uint8_t)rn(5) : 0;	/* type 0..4 */
		p[3] = mut && chance(20) ? (uint8_t)rn(3) : 0;	/* segments left */
		memcpy(p + 8, &srv6[0], 16);
		len = 24;
		break;
	default:			/* fragment, offset 0, the last one */
		{
			uint32_t id = (uint32_t)rnd();

			memcpy(p + 4, &id, 4);
		}
		if (mut && chance(10))
			p[3] = (uint8_t)rnd();	/* offset and M set: a lone fragment */
		break;
	}
	if (mut && chance(3))
		p[1] = (uint8_t)rnd();		/* length past the datagram */
	return len;
}

/*
 * Send a UDP payload as a raw IPv6 frame from [@src]:SPORT to
 * [@dst]:DPORT.  MUT mutates it: extension headers in front of UDP,
 * the datagram split into fragments (in order or not, overlapping, one
 * missing), the IPv6 payload length, the UDP length and checksum (zero,
 * which IPv6 forbids, or wrong), the source address.
 */
static void raw_udp6(const struct in6_addr *src, const struct in6_addr *dst,
		     uint16_t sport, uint16_t dport, const unsigned char *payload,
		     size_t len, int mut)
{
	unsigned char f[14 + 40 + 128 + 8 + PKT_MAX], udp[8 + PKT_MAX];
	unsigned char *ip = f + 14, *nhp = ip + 6, ph[40];
	struct in6_addr saddr = *src;
	size_t hl = 0, ulen = 8 + len;
	uint16_t ul = ulen, c;
	uint32_t sum;

	if (len > PKT_MAX)
		len = PKT_MAX, ulen = ul = 8 + len;
	if (IN6_IS_ADDR_MULTICAST(dst)) {
		f[0] = 0x33;
		f[1] = 0x33;
		memcpy(f + 2, dst->s6_addr + 12, 4);
	} else {
		memcpy(f, mut && chance(3) ? (const unsigned char *)"\xff\xff\xff\xff\xff\xff" :
		       srv_mac, 6);
	}
	memcpy(f + 6, cli_mac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	if (mut && chance(3)) {		/* a source no client has */
		static const struct in6_addr odd[] = {
			{ { { 0 } } },								/* :: */
			{ { { 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } },	/* ff02::1 */
			{ { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 98, 0, 2 } } },/* v4-mapped */
			{ { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } },	/* ::1 */
		};

		saddr = chance(50) ? odd[rn(4)] : srv6[rn(n_srv6)];
	}
	ip[0] = 0x60 | (mut ? rn(16) : 0);
	ip[1] = (uint8_t)rnd();
	ip[2] = (uint8_t)rnd();
	ip[3] = (uint8_t)rnd();
	*nhp = NH_UDP;
	ip[7] = 64;
	memcpy(ip + 8, &saddr, 16);
	memcpy(ip + 24, dst, 16);

	/* UDP header and payload, checksummed over the pseudo-header. */
	put16(udp, sport);
	put16(udp + 2, dport);
	if (mut && chance(20)) {
		switch (rn(3)) {
		case 0: ul = rn(8); break;
		case 1: ul += 1 + rn(64); break;
		default: ul = ul > 9 ? ul - 1 - rn(ul - 9) : ul; break;
		}
	}
	put16(udp + 4, ul);
	udp[6] = udp[7] = 0;
	memcpy(udp + 8, payload, len);
	memcpy(ph, &saddr, 16);
	memcpy(ph + 16, dst, 16);
	ph[32] = ph[33] = 0;
	put16(ph + 34, ulen);
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = NH_UDP;
	sum = csum_add(0, ph, 40);
	c = ~csum_add(sum, udp, ulen);
	if (!c)
		c = 0xffff;
	if (mut && chance(10))
		c = chance(50) ? 0 : c ^ (1 + rn(0xfffe));
	put16(udp + 6, c);

	/* Extension headers in front of UDP: hop-by-hop first, as it must be (mostly). */
	if (mut && chance(25)) {
		static const uint8_t kinds[] = { NH_HOP, NH_DSTOPTS, NH_ROUTING, NH_FRAGMENT };
		uint8_t chain[3];
		int n = 1 + rn(3);

		for (int i = 0; i < n; i++)
			chain[i] = kinds[rn(4)];
		for (int i = 1; i < n && chance(95); i++)
			if (chain[i] == NH_HOP)
				chain[i] = NH_DSTOPTS;
		for (int i = 0; i < n; i++) {
			*nhp = chain[i];
			nhp = ip + 40 + hl;
			hl += ext_hdr(ip + 40 + hl, chain[i], NH_UDP, mut);
		}
		st.ext++;
	}

	if (mut && chance(6) && ulen > 16) {
		/* Fragments of the UDP datagram (RFC 8200 4.5). */
		size_t cut = 8 * (1 + rn((ulen - 1) / 8)), off[2], flen[2];
		uint32_t id = (uint32_t)rnd();
		int n = 2, order = chance(70) ? 0 : 1, skip = chance(10) ? (int)rn(2) : -1;

		off[0] = 0;
		flen[0] = cut;
		off[1] = cut;
		flen[1] = ulen - cut;
		if (chance(15) && cut >= 16)
			off[1] -= 8, flen[1] += 8;	/* overlapping */
		*nhp = NH_FRAGMENT;
		st.frag++;
		for (int k = 0; k < n; k++) {
			int i = order ? n - 1 - k : k;
			unsigned char *fh = ip + 40 + hl;
			size_t plen = hl + 8 + flen[i];

			if (i == skip)
				continue;
			fh[0] = NH_UDP;
			fh[1] = 0;
			put16(fh + 2, (uint16_t)(off[i] | (i < n - 1 ? 1 : 0)));
			memcpy(fh + 4, &id, 4);
			memcpy(fh + 8, udp + off[i], flen[i]);
			put16(ip + 4, plen);
			raw_send(f, 14 + 40 + plen, ETH_P_IPV6);
			st.sent++;
			st.v6++;
		}
		return;
	}
	memcpy(ip + 40 + hl, udp, ulen);
	put16(ip + 4, hl + ulen);
	if (mut && chance(3))			/* payload length: short or past the frame */
		put16(ip + 4, chance(50) ? (uint16_t)rn(hl + ulen) : hl + ulen + 1 + rn(100));
	raw_send(f, 14 + 40 + hl + ulen, ETH_P_IPV6);
	st.sent++;
	st.v6++;
}

/*
 * Now and then flip bytes of the message at @b (@len bytes), or make it
 * oversized with junk (within @cap).  Returns its length.
 */
static size_t garble(unsigned char *b, size_t len, size_t cap)
{
	if (chance(15))
		for (int i = 1 + rn(8); i > 0 && len; i--)
			b[rn(len)] ^= 1 + rn(255);
	if (chance(5) && len < cap - 300) {	/* oversized */
		size_t grow = rn(300);

		for (size_t i = 0; i < grow; i++)
			b[len + i] = (uint8_t)rnd();
		len += grow;
	}
	return len;
}

/* ------------------------------------------------------------------ DHCP */

struct dhcp {
	unsigned char b[PKT_MAX];
	size_t len;
};

static void opt(struct dhcp *d, uint8_t code, const void *data, size_t len)
{
	if (d->len + 2 + len > sizeof(d->b))
		return;
	d->b[d->len++] = code;
	d->b[d->len++] = (uint8_t)len;
	memcpy(d->b + d->len, data, len);
	d->len += len;
}

/* A PXE client's request, valid unless MUT. */
static void dhcp_build(struct dhcp *d, uint8_t type, int boot, uint32_t xid,
		       const unsigned char *mac, uint16_t arch, int mut)
{
	char vc[64];
	unsigned char buf[64];

	memset(d->b, 0, 240);
	d->b[0] = 1;				/* BOOTREQUEST */
	d->b[1] = 1;				/* Ethernet */
	d->b[2] = 6;
	memcpy(d->b + 4, &xid, 4);
	d->b[10] = 0x80;			/* broadcast: answers reach us */
	if (boot)
		memcpy(d->b + 12, &cli_ip, 4);	/* ciaddr */
	memcpy(d->b + 28, mac, 6);
	d->b[236] = 99; d->b[237] = 130; d->b[238] = 83; d->b[239] = 99;
	d->len = 240;

	opt(d, 53, &type, 1);
	if (!mut || chance(90)) {
		/* Some mutated ones are UEFI HTTP boot clients'. */
		snprintf(vc, sizeof(vc), "%s:Arch:%05u:UNDI:002001",
			 mut && chance(20) ? "HTTPClient" : "PXEClient", arch);
		opt(d, 60, vc, mut && chance(10) ? rn(strlen(vc) + 1) : strlen(vc));
	}
	buf[0] = arch >> 8;
	buf[1] = arch & 0xff;
	if (!mut || chance(85))
		opt(d, 93, buf, mut && chance(10) ? rn(5) : 2);
	buf[0] = 1; buf[1] = 2; buf[2] = 1;
	if (!mut || chance(70))
		opt(d, 94, buf, 3);
	if (!mut || chance(70)) {
		buf[0] = 0;
		for (int i = 1; i < 17; i++)
			buf[i] = (uint8_t)(mac[i % 6] + i);
		opt(d, 97, buf, mut && chance(10) ? rn(20) : 17);
	}
	if (chance(30))
		opt(d, 77, "iPXE", 4);
	if (mut && chance(20)) {		/* RFC 3004 form, maybe broken */
		buf[0] = 4;
		memcpy(buf + 1, "iPXE", 4);
		opt(d, 77, buf, chance(50) ? 5 : rn(8));
	}
	if (chance(30)) {			/* iPXE's option 175 */
		buf[0] = 0xb1; buf[1] = 1; buf[2] = 1;
		opt(d, 175, buf, mut && chance(20) ? rn(4) : 3);
	}
	if (boot || chance(20)) {		/* 43.71: boot server type, layer */
		uint16_t type_ = chance(80) ? 1 + rn(4) : (uint16_t)rnd();
		uint16_t layer = chance(80) ? 0 : chance(50) ? 0x8000 : (uint16_t)rnd();

		buf[0] = 71;
		buf[1] = 4;
		buf[2] = type_ >> 8; buf[3] = type_ & 0xff;
		buf[4] = layer >> 8; buf[5] = layer & 0xff;
		buf[6] = 255;
		if (mut && chance(20))
			buf[1] = (uint8_t)rn(12);	/* sub-option overrun */
		opt(d, 43, buf, mut && chance(10) ? rn(8) : 7);
	}
	if (chance(40)) {			/* maximum message size */
		uint16_t mms = mut && chance(30) ? (uint16_t)rnd() :
			       (uint16_t[]){ 576, 1024, 1500, 1472 }[rn(4)];

		buf[0] = mms >> 8;
		buf[1] = mms & 0xff;
		opt(d, 57, buf, mut && chance(10) ? rn(4) : 2);
	}
	if (chance(60)) {
		static const unsigned char prl[] = { 1, 3, 6, 43, 60, 66, 67, 97, 128, 129, 175 };

		opt(d, 55, prl, mut ? rn(sizeof(prl) + 1) : sizeof(prl));
	}
	if (mut) {
		if (chance(10)) {		/* option overload: sname/file hold options */
			uint8_t ov = 1 + rn(3);

			opt(d, 52, &ov, 1);
			memset(d->b + 44, chance(50) ? 0 : 0xff, 192);
			for (int i = 0; i < 20; i++)
				d->b[44 + rn(192)] = (uint8_t)rnd();
			if (chance(50)) {
				d->b[44] = 60; d->b[45] = 9;
				memcpy(d->b + 46, "PXEClient", 9);
				d->b[55] = 255;
			}
		}
		for (int i = chance(30) ? 1 + rn(5) : 0; i > 0; i--) {	/* random options */
			uint8_t code = (uint8_t)rnd(), len = (uint8_t)rn(40);

			for (int k = 0; k < len; k++)
				buf[k % sizeof(buf)] = (uint8_t)rnd();
			opt(d, code, buf, len < sizeof(buf) ? len : sizeof(buf));
		}
		if (chance(20))			/* duplicate message type */
			opt(d, 53, (uint8_t[]){ (uint8_t)rn(10) }, 1);
		if (chance(10))			/* pads */
			for (int i = rn(30); i > 0 && d->len < sizeof(d->b); i--)
				d->b[d->len++] = 0;
	}
	if (!mut || chance(85))
		d->b[d->len++] = 255;
	if (!mut)
		return;
	if (chance(10))				/* an option whose length runs off the end */
		d->b[d->len++] = 43, d->b[d->len++] = 200;
	if (chance(10))
		d->len = rn(d->len + 1);		/* truncated anywhere */
	if (chance(8))
		d->b[0] = (uint8_t)rn(4);		/* op */
	if (chance(8))
		d->b[1] = (uint8_t)rn(8);		/* htype */
	if (chance(8))
		d->b[2] = (uint8_t)rnd();		/* hlen, up to 255 */
	if (chance(5) && d->len >= 240)
		d->b[236 + rn(4)] ^= 1 + rn(255);	/* cookie */
	d->len = garble(d->b, d->len, sizeof(d->b));
}

static void send_dhcp_fuzz(void)
{
	static const uint8_t types[] = { 1, 1, 1, 3, 3, 8, 2, 4, 5, 7 };
	static const uint16_t arches[] = { 0, 0, 6, 7, 7, 9, 10, 11, 16, 1, 65535 };
	struct dhcp d;
	unsigned char mac[6] = { 0x52, 0x54, 0x00, 0xf0, 0, 0 };
	int boot = chance(30), mut = chance(70);
	uint32_t xid = (uint32_t)rnd();

	mac[4] = rn(4);
	mac[5] = (uint8_t)rnd();
	if (chance(5))
		memcpy(mac, "\x52\x54\x00\xaa\xbb\xcc", 6);	/* a mapped MAC */
	dhcp_build(&d, boot ? (chance(80) ? 3 : 8) : types[rn(sizeof(types))], boot, xid,
		   mac, arches[rn(sizeof(arches) / 2)], mut);
	raw_udp(srv_ip, chance(90) ? (boot && chance(50) ? 4011 : 68) : 1024 + rn(31000),
		boot ? 4011 : 67, d.b, d.len, mut);
	if (boot)
		st.boot++;
	else
		st.dhcp++;
}

/* Drain answers on UDP 68; return 1 if one carries XID (an OFFER or ACK). */
static int drain_dhcp(uint32_t xid)
{
	unsigned char b[PKT_MAX];
	int found = 0;
	ssize_t n;

	while ((n = recv(dhcp_fd, b, sizeof(b), MSG_DONTWAIT)) > 0) {
		st.rx++;
		if (n >= 240 && b[0] == 2) {
			st.offers++;
			if (!memcmp(b + 4, &xid, 4))
				found = 1;
		}
	}
	return found;
}

/* A valid PXE DISCOVER must get an answer.  1 if it did. */
static int dhcp_alive(void)
{
	unsigned char mac[6] = { 0x52, 0x54, 0x00, 0xee, 0, 1 };
	uint32_t xid = (uint32_t)rnd() | 1;
	struct dhcp d;

	for (int attempt = 0; attempt < 10; attempt++) {
		double until = now() + 3;

		dhcp_build(&d, 1, 0, xid, mac, 0, 0);
		raw_udp(srv_ip, 68, 67, d.b, d.len, 0);
		while (now() < until) {
			struct pollfd p = { .fd = dhcp_fd, .events = POLLIN };

			poll(&p, 1, 100);
			if (drain_dhcp(xid)) {
				st.liveness++;
				return 1;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ DHCPv6 */

/* RFC 8415 7.3 message types, 21 and RFC 5970 3 options. */
#define D6_SOLICIT	1
#define D6_ADVERTISE	2
#define D6_REQUEST	3
#define D6_REPLY	7
#define D6_INFOREQ	11
#define D6_ENTERPRISE	343	/* option 16 of PXE and HTTP boot clients */

/* A DHCPv6 message being built; MUT: garble option lengths now and then. */
struct d6 {
	unsigned char b[PKT_MAX];
	size_t len;
	int mut;
};

/*
 * An option: its header's length is the body's, unless mutated: one
 * short, one long, zero, 0xffff or any (RFC 8415 21.1 says the body).
 */
static void d6_opt(struct d6 *d, uint16_t code, const void *data, size_t len)
{
	uint16_t hl = len;

	if (d->len + 4 + len > sizeof(d->b))
		return;
	if (d->mut && chance(4)) {
		switch (rn(5)) {
		case 0: hl = len ? len - 1 : 0; break;
		case 1: hl = len + 1 + rn(8); break;
		case 2: hl = 0; break;
		case 3: hl = 0xffff; break;
		default: hl = (uint16_t)rnd(); break;
		}
	}
	put16(d->b + d->len, code);
	put16(d->b + d->len + 2, hl);
	memcpy(d->b + d->len + 4, data, len);
	d->len += 4 + len;
}

/* Option 1 or 2: a DUID-UUID (EDK2's), DUID-LL or DUID-LLT, maybe broken. */
static void d6_duid(struct d6 *d, uint16_t code, const unsigned char *mac)
{
	unsigned char u[140];
	size_t len;

	memset(u, 0, sizeof(u));
	switch (rn(4)) {
	case 0: case 1:				/* DUID-UUID (RFC 6355) */
		put16(u, 4);
		for (int i = 2; i < 18; i++)
			u[i] = (uint8_t)(mac[i % 6] ^ i);
		len = 18;
		break;
	case 2:					/* DUID-LL, Ethernet */
		put16(u, 3);
		put16(u + 2, 1);
		memcpy(u + 4, mac, 6);
		len = 10;
		break;
	default:				/* DUID-LLT, Ethernet */
		put16(u, 1);
		put16(u + 2, 1);
		memcpy(u + 4, "\x2a\x2a\x2a\x2a", 4);
		memcpy(u + 8, mac, 6);
		len = 14;
		break;
	}
	if (d->mut && chance(10)) {		/* 1 byte, odd, 131 (past the DUID maximum) */
		len = (size_t[]){ 1, 2, 9, 11, 17, 19, 130, 131, 139 }[rn(9)];
		for (size_t i = 2; i < len; i++)
			u[i] = (uint8_t)rnd();
	}
	d6_opt(d, code, u, len);
}

/* Option 16: enterprise number, then length-prefixed classes (RFC 8415 21.16). */
static void d6_vclass(struct d6 *d, const char *cls)
{
	unsigned char b[128];
	size_t l = strlen(cls), len = 6 + l;

	put16(b, 0);
	put16(b + 2, D6_ENTERPRISE);
	put16(b + 4, l);
	memcpy(b + 6, cls, l);
	if (d->mut && chance(15)) {
		switch (rn(4)) {
		case 0: put16(b + 4, l + 1 + rn(20)); break;	/* class past the option */
		case 1: len = 4 + rn(3); break;			/* no class, or half a length */
		case 2:						/* a second class */
			put16(b + len, 4);
			memcpy(b + len + 2, "junk", 4);
			len += 6;
			break;
		default: put16(b + 2, (uint16_t)rnd()); break;	/* another enterprise */
		}
	}
	d6_opt(d, 16, b, len);
}

/* Profiles: the firmware's requests (selftests/dhcp6_probe.py builds them too). */
enum d6_profile { D6_EDK2_PXE, D6_EDK2_HTTP, D6_IPXE, D6_BINL, D6_PLAIN };

/*
 * A DHCPv6 request as PROFILE's client sends it, arch ARCH; valid unless
 * MUT.  The 4011 Request (D6_BINL) names this server's DUID-LL first.
 */
static void dhcp6_build(struct d6 *d, enum d6_profile prof, uint32_t xid,
			const unsigned char *mac, uint16_t arch, int mut)
{
	static const uint8_t type_of[] = {
		[D6_EDK2_PXE] = D6_SOLICIT, [D6_EDK2_HTTP] = D6_SOLICIT,
		[D6_IPXE] = D6_INFOREQ, [D6_BINL] = D6_REQUEST, [D6_PLAIN] = D6_SOLICIT,
	};
	unsigned char b[64], elapsed[2] = { 0, 0 };
	int cid = !mut || chance(90), cid_last = mut && chance(15);
	char cls[64];

	d->len = 4;
	d->mut = mut;
	d->b[0] = type_of[prof];
	d->b[1] = xid >> 16;
	d->b[2] = xid >> 8;
	d->b[3] = xid;
	if (prof == D6_BINL && (!mut || chance(90))) {
		unsigned char sid[10] = { 0, 3, 0, 1 };

		memcpy(sid + 4, srv_mac, 6);
		if (mut && chance(10))
			sid[9] ^= 1 + rn(255);		/* another server's */
		d6_opt(d, 2, sid, sizeof(sid));
	}
	if (cid && !cid_last)
		d6_duid(d, 1, mac);
	d6_opt(d, 8, elapsed, 2);
	if (prof == D6_EDK2_PXE || prof == D6_EDK2_HTTP || prof == D6_PLAIN) {
		if (d->b[0] == D6_SOLICIT && (!mut || chance(80))) {	/* IA_NA */
			memset(b, 0, 12);
			memcpy(b, &xid, 4);
			d6_opt(d, 3, b, 12);
		}
	}
	if (prof == D6_PLAIN) {
		d6_opt(d, 6, "\x00\x17\x00\x18", 4);
		goto tail;
	}
	if (prof == D6_IPXE)
		d6_opt(d, 6, "\x00\x17\x00\x18\x00\x3b\x00\x3c", 8);
	else
		d6_opt(d, 6, "\x00\x3b\x00\x3c\x00\x17\x00\x10", mut && chance(10) ? rn(9) : 8);
	d6_opt(d, 62, prof == D6_IPXE ? "\x01\x03\x0a" : "\x01\x03\x00", 3);
	if (!mut || chance(85)) {
		put16(b, arch);
		put16(b + 2, (uint16_t)rnd());
		d6_opt(d, 61, b, mut && chance(15) ? rn(5) : 2);	/* odd, empty, a list */
	}
	if (!mut || chance(90)) {
		snprintf(cls, sizeof(cls), "%s:Arch:%05u:UNDI:%s",
			 prof == D6_EDK2_HTTP ? "HTTPClient" : "PXEClient", arch,
			 prof == D6_IPXE ? "003010" : "003000");
		d6_vclass(d, cls);
	}
	if (prof == D6_IPXE || (mut && chance(20))) {			/* user class "iPXE" */
		memcpy(b, "\x00\x04iPXE", 6);
		if (mut && chance(20))
			put16(b, rn(2) ? 5 + rn(10) : 0);		/* its item past the option */
		d6_opt(d, 15, b, 6);
	}
tail:
	if (mut) {
		for (int i = chance(30) ? 1 + rn(5) : 0; i > 0; i--) {	/* any options */
			uint16_t code = chance(50) ? (uint16_t)rn(64) : (uint16_t)rnd();
			size_t len = rn(40);

			for (size_t k = 0; k < len; k++)
				b[k] = (uint8_t)rnd();
			d6_opt(d, code, b, len);
		}
		if (chance(10))				/* a second 61 or 16: the first counts */
			d6_opt(d, chance(50) ? 61 : 16, "\x00\x10", 2);
		if (cid && cid_last) {
			/* The client ID last, its length maybe past the datagram. */
			size_t at = d->len;

			d6_duid(d, 1, mac);
			if (d->len > at + 4 && chance(30))
				put16(d->b + at + 2, d->len - at - 4 + 1 + rn(16));
		}
		if (chance(10))				/* an option header cut short */
			d->b[d->len++] = 0, d->b[d->len++] = 61, d->b[d->len++] = 0;
		if (chance(10))
			d->len = rn(d->len + 1);	/* truncated anywhere */
		if (chance(8))
			d->b[0] = (uint8_t)(chance(50) ? rn(14) : rnd());	/* message type */
		d->len = garble(d->b, d->len, sizeof(d->b));
	}
}

/*
 * The DHCPv6 requests sent last, by transaction id: an answer's client
 * identifier (option 1) echoes the request's (RFC 8415 18.3.9), so its
 * bytes must be bytes of the request, or the server read them from
 * beyond the datagram.  Transaction ids count up (a mutation may change
 * one); an entry is overwritten by a later request whose id shares its
 * low bits, about a second later.  An id two different requests carried
 * stays ambiguous, and unchecked, until then: a mutation may give a
 * third request the same id while the answer to one of the first two
 * (the 4011 Reply, a delay-ms mapping's) is still on its way.
 */
#define D6_SENT		4096
static struct d6_sent {
	uint32_t xid;		/* D6_NONE: empty */
	int ambiguous;		/* @xid was carried by different requests */
	uint16_t len;
	unsigned char b[PKT_MAX];
} *d6_sent;
#define D6_NONE		0xffffffffu
static uint32_t d6_xid;

/* The next transaction id (24 bits). */
static uint32_t d6_next_xid(void)
{
	return d6_xid++ & 0xffffff;
}

static void d6_record(const unsigned char *b, size_t len)
{
	struct d6_sent *e;
	uint32_t xid;

	if (len < 4)
		return;
	xid = (uint32_t)b[1] << 16 | b[2] << 8 | b[3];
	e = &d6_sent[xid % D6_SENT];
	if (e->xid == xid) {
		/* Two requests, one id: which one is answered? */
		if (e->len != len || memcmp(e->b, b, len))
			e->ambiguous = 1;
		return;
	}
	e->xid = xid;
	e->ambiguous = 0;
	e->len = len;
	memcpy(e->b, b, len);
}

/* Check answer @b (@n bytes, 4 or more) against the request it answers. */
static void d6_check_echo(const unsigned char *b, size_t n)
{
	uint32_t xid = (uint32_t)b[1] << 16 | b[2] << 8 | b[3];
	const struct d6_sent *e = &d6_sent[xid % D6_SENT];

	if (e->xid != xid || e->ambiguous)
		return;
	for (size_t p = 4; p + 4 <= n;) {
		uint16_t code = b[p] << 8 | b[p + 1], ol = b[p + 2] << 8 | b[p + 3];

		if (p + 4 + ol > n)
			break;
		if (code == 1 && !memmem(e->b, e->len, b + p + 4, ol)) {
			fail("a DHCPv6 answer (type %u, xid %06x) echoes a %u-byte client ID "
			     "the request (%u bytes) does not carry: read from beyond it?",
			     b[0], xid, ol, e->len);
			return;
		}
		p += 4 + ol;
	}
}

static void send_dhcp6_fuzz(void)
{
	static const uint16_t arches[] = { 7, 7, 7, 9, 11, 16, 16, 19, 0, 6, 10, 65535 };
	unsigned char mac[6] = { 0x52, 0x54, 0x00, 0xf6, 0, 0 };
	int mut = chance(70), i = rn(n_srv6), prof = rn(5);
	const struct in6_addr *src, *dst;
	uint16_t arch = arches[rn(sizeof(arches) / 2)], sport, dport;
	struct d6 d;

	mac[4] = rn(4);
	mac[5] = (uint8_t)rnd();
	if (chance(5))
		memcpy(mac, "\x52\x54\x00\xaa\xbb\xcc", 6);	/* a mapped MAC */
	if (chance(3))
		memcpy(mac, "\x52\x54\x00\xaa\xbb\xcd", 6);	/* a delayed one */
	if (prof == D6_EDK2_HTTP && chance(70))
		arch = chance(50) ? 16 : 19;
	dhcp6_build(&d, prof, d6_next_xid(), mac, arch, mut);
	if (prof == D6_BINL || chance(5)) {
		/* The boot server step: unicast to 4011, from 4011. */
		dst = &srv6[i];
		src = &cli6[i];
		dport = 4011;
		sport = chance(90) ? 4011 : 1024 + rn(31000);
		st.boot6++;
	} else {
		/* To All_DHCP_Relay_Agents_and_Servers mostly, from link-local. */
		int mc = chance(80);

		dst = mc ? &all_dhcp : &srv6[i];
		src = mc || chance(50) ? &cli_ll : &cli6[i];
		dport = 547;
		sport = chance(90) ? 546 : 1024 + rn(31000);
		st.dhcp6++;
		st.dhcp6_mc += mc;
	}
	d6_record(d.b, d.len);
	raw_udp6(src, dst, sport, dport, d.b, d.len, mut);
}

/*
 * Drain answers on 546 and 4011; return 1 if one is an Advertise or
 * Reply to XID (24 bits) that carries a boot file URL (option 59).
 */
static int drain_dhcp6(uint32_t xid)
{
	unsigned char b[PKT_MAX];
	int found = 0;
	ssize_t n;

	for (int k = 0; k < 2; k++) {
		int fd = k ? binl6_fd : dhcp6_fd;

		while ((n = recv(fd, b, sizeof(b), MSG_DONTWAIT)) > 0) {
			st.rx++;
			if (n < 4 || (b[0] != D6_ADVERTISE && b[0] != D6_REPLY))
				continue;
			st.answers6++;
			d6_check_echo(b, n);
			if (((uint32_t)b[1] << 16 | b[2] << 8 | b[3]) != (xid & 0xffffff))
				continue;
			for (ssize_t p = 4; p + 4 <= n;) {
				uint16_t code = b[p] << 8 | b[p + 1], ol = b[p + 2] << 8 | b[p + 3];

				if (code == 59 && ol && p + 4 + ol <= n)
					found = 1;
				p += 4 + ol;
			}
		}
	}
	return found;
}

/* A valid EDK2 PXEv6 Solicit to ff02::1:2 must get an Advertise with 59. */
static int dhcp6_alive(void)
{
	struct sockaddr_in6 a = {
		.sin6_family = AF_INET6, .sin6_port = htons(547),
		.sin6_addr = all_dhcp, .sin6_scope_id = ifindex,
	};
	unsigned char mac[6] = { 0x52, 0x54, 0x00, 0xee, 6, 1 };
	uint32_t xid = d6_next_xid();
	struct d6 d;

	for (int attempt = 0; attempt < 10; attempt++) {
		double until = now() + 3;

		dhcp6_build(&d, D6_EDK2_PXE, xid, mac, 7, 0);
		d6_record(d.b, d.len);
		if (sendto(dhcp6_fd, d.b, d.len, 0, (struct sockaddr *)&a, sizeof(a)) < 0 &&
		    errno != ENOBUFS && errno != EAGAIN)
			die("send a DHCPv6 Solicit");
		st.sent++;
		st.v6++;
		while (now() < until) {
			struct pollfd p = { .fd = dhcp6_fd, .events = POLLIN };

			poll(&p, 1, 100);
			if (drain_dhcp6(xid)) {
				st.liveness6++;
				return 1;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ TFTP */

enum sess_kind { GOOD, EVIL };

struct sess {
	int fd;			/* -1: free slot */
	enum sess_kind kind;
	int file;		/* index in files[], -1: a name that is not there */
	uint16_t sport;		/* the transfer's server port, 0 until known */
	uint16_t cport;
	int v6;			/* over IPv6, to srv6[srv] */
	int srv;
	unsigned int blksize, window;
	int want_tsize, asked_blksize, asked_window, asked_timeout;
	uint64_t got;		/* blocks received in order */
	unsigned int in_window;
	int finished;
	double last_rx, last_tx, started;
	int retries;
	int budget;		/* evil: packets left */
	unsigned char rrq[600];
	size_t rrq_len;
	unsigned char last_ack[4];
};

static struct sess sess[MAX_SESS];
static int max_sess = 24;
static int stranger_fd = -1, stranger6_fd = -1;

/*
 * When each client port was last closed: a transfer ID must not come back
 * while the server may still hold a transfer for it (its idle timeout, or
 * the up to 255 s retransmission timeout an evil client asked for), or
 * that transfer's packets would reach the new one.
 */
static double port_closed[65536];
#define PORT_QUARANTINE	300.0

/* A socket address of either family. */
union sa {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

/* A UDP socket of family V6 (1) or IPv4 (0) on a free client port. */
static int udp_socket(int v6, uint16_t *port)
{
	for (int tries = 0; tries < 1000; tries++) {
		union sa a = { .v4 = { .sin_family = AF_INET } };
		socklen_t al = sizeof(a);
		int fd;
		uint16_t p;

		if (v6)
			a.v6 = (struct sockaddr_in6){ .sin6_family = AF_INET6 };
		fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			die("socket");
		if (bind(fd, &a.sa, v6 ? sizeof(a.v6) : sizeof(a.v4)) < 0 ||
		    getsockname(fd, &a.sa, &al) < 0)
			die("bind");
		p = ntohs(a.v4.sin_port);
		if (port_closed[p] && now() - port_closed[p] < PORT_QUARANTINE) {
			close(fd);
			continue;
		}
		if (port)
			*port = p;
		return fd;
	}
	fprintf(stderr, "%s: no client port free of recent transfers\n", prog);
	exit(2);
}

/* From FD (of @s's family) to @s's server, UDP DPORT. */
static void udp_send(const struct sess *s, int fd, uint16_t dport, const void *p, size_t len)
{
	union sa a = { .v4 = { .sin_family = AF_INET, .sin_port = htons(dport), .sin_addr = srv_ip } };
	socklen_t al = sizeof(a.v4);

	if (s->v6) {
		a.v6 = (struct sockaddr_in6){
			.sin6_family = AF_INET6, .sin6_port = htons(dport),
			.sin6_addr = srv6[s->srv],
			.sin6_scope_id = IN6_IS_ADDR_LINKLOCAL(&srv6[s->srv]) ? ifindex : 0,
		};
		al = sizeof(a.v6);
		st.v6++;
	}
	if (sendto(fd, p, len, 0, &a.sa, al) < 0 &&
	    errno != ECONNREFUSED && errno != ENOBUFS && errno != EAGAIN)
		die("sendto");
	st.sent++;
}

static size_t put_s(unsigned char *b, size_t pos, size_t cap, const char *s)
{
	size_t l = strlen(s) + 1;

	if (pos + l > cap)
		return pos;
	memcpy(b + pos, s, l);
	return pos + l;
}

/* The read request of S; valid options for a good client. */
static void build_rrq(struct sess *s, int mut)
{
	static const char *const bad_names[] = {
		"no-such-file", "../../../../etc/passwd", "/etc/passwd", "\\sub\\..\\..\\x",
		"sub/", "", ".", "..", "dir/../one", "nul\x01name",
	};
	static const char *const blk_good[] = { "8", "512", "1024", "1428", "1432", "1468" };
	static const char *const blk_any[] = {
		"0", "7", "8", "9", "512", "1468", "65464", "65465", "99999999999", "x", "", "-1",
	};
	static const char *const win_good[] = { "1", "2", "4", "8", "16", "64" };
	static const char *const win_any[] = { "0", "1", "64", "65", "65535", "4294967296", "y" };
	static const char *const tmo_any[] = { "0", "1", "5", "255", "256", "z" };
	unsigned char *b = s->rrq;
	size_t cap = sizeof(s->rrq), p = 2;
	char longname[1100];

	b[0] = 0;
	b[1] = TFTP_RRQ;
	s->want_tsize = s->asked_blksize = s->asked_window = s->asked_timeout = 0;
	if (s->file >= 0) {
		const char *name = files[s->file].name;
		char alt[140];

		if (mut && chance(20)) {	/* same file, other spelling */
			snprintf(alt, sizeof(alt), chance(50) ? "/%s" : "\\%s", name);
			name = alt;
		}
		p = put_s(b, p, cap, name);
	} else if (chance(10)) {
		memset(longname, 'a', sizeof(longname) - 1);
		longname[chance(50) ? 1023 : 1024] = 0;
		longname[sizeof(longname) - 1] = 0;
		if (p + strlen(longname) + 1 <= cap)
			p = put_s(b, p, cap, longname);
		else
			p = put_s(b, p, cap, longname + 500);
	} else {
		p = put_s(b, p, cap, bad_names[rn(sizeof(bad_names) / sizeof(bad_names[0]))]);
	}
	p = put_s(b, p, cap, !mut || chance(85) ? (chance(50) ? "octet" : "OcTeT") :
			     (const char *[]){ "netascii", "mail", "", "binary" }[rn(4)]);

	if (s->kind == GOOD) {
		if (s->file == rollover_file) {
			s->asked_blksize = 8;
			s->asked_window = 32;
			p = put_s(b, p, cap, "blksize");
			p = put_s(b, p, cap, "8");
			p = put_s(b, p, cap, "windowsize");
			p = put_s(b, p, cap, "32");
		} else {
			int order = rn(2);

			for (int k = 0; k < 2; k++) {
				if ((k ^ order) == 0 && chance(60)) {
					const char *v = blk_good[rn(6)];

					s->asked_blksize = atoi(v);
					p = put_s(b, p, cap, chance(50) ? "blksize" : "BLKSIZE");
					p = put_s(b, p, cap, v);
				}
				if ((k ^ order) == 1 && chance(50)) {
					const char *v = win_good[rn(6)];

					s->asked_window = atoi(v);
					p = put_s(b, p, cap, "windowsize");
					p = put_s(b, p, cap, v);
				}
			}
		}
		if (chance(50)) {
			s->want_tsize = 1;
			p = put_s(b, p, cap, "tsize");
			p = put_s(b, p, cap, "0");
		}
		if (chance(20)) {
			s->asked_timeout = 1 + rn(5);
			p = put_s(b, p, cap, "timeout");
			p = put_s(b, p, cap, (const char *[]){ "1", "2", "3", "4", "5" }[s->asked_timeout - 1]);
		}
		s->rrq_len = p;
		return;
	}
	/* Evil: any options, repeated, unknown, cut short. */
	for (int i = rn(7); i > 0; i--) {
		switch (rn(6)) {
		case 0:
			p = put_s(b, p, cap, "blksize");
			p = put_s(b, p, cap, blk_any[rn(sizeof(blk_any) / sizeof(blk_any[0]))]);
			break;
		case 1:
			p = put_s(b, p, cap, "windowsize");
			p = put_s(b, p, cap, win_any[rn(sizeof(win_any) / sizeof(win_any[0]))]);
			break;
		case 2:
			p = put_s(b, p, cap, "timeout");
			p = put_s(b, p, cap, tmo_any[rn(sizeof(tmo_any) / sizeof(tmo_any[0]))]);
			break;
		case 3:
			p = put_s(b, p, cap, "tsize");
			p = put_s(b, p, cap, chance(80) ? "0" : "123456789012345678901");
			break;
		case 4:
			p = put_s(b, p, cap, chance(50) ? "multicast" : "utimeout");
			p = put_s(b, p, cap, chance(50) ? "" : "1");
			break;
		default:
			p = put_s(b, p, cap, "blksize");	/* a name with no value */
			break;
		}
	}
	if (mut && chance(30) && p > 3)
		p--;				/* the last string without its NUL */
	if (mut && chance(10))
		p = rn(p + 1);			/* cut anywhere */
	if (mut && chance(10))
		b[1] = (uint8_t)(chance(50) ? TFTP_WRQ : rn(10));
	if (mut && chance(10))
		for (int i = 1 + rn(4); i > 0 && p; i--)
			b[rn(p)] ^= 1 + rn(255);
	s->rrq_len = p;
}

static void sess_close(struct sess *s)
{
	port_closed[s->cport] = now();
	close(s->fd);
	s->fd = -1;
}

static void sess_fail(struct sess *s, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	st.good_failed++;
	if (faults) {
		if (verbose)
			fprintf(stderr, "%s: (faults on) transfer of %s: %s\n", prog,
				s->file >= 0 ? files[s->file].name : "?", msg);
	} else {
		fail("transfer of %s (client port %u, server port %u, blksize %u window %u, "
		     "%llu blocks in): %s", s->file >= 0 ? files[s->file].name : "?", s->cport,
		     s->sport, s->blksize, s->window, (unsigned long long)s->got, msg);
	}
	sess_close(s);
}

static void sess_start(struct sess *s, enum sess_kind kind, int file, int v6)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->v6 = v6;
	s->srv = v6 ? (int)rn(n_srv6) : 0;
	s->fd = udp_socket(v6, &s->cport);
	s->file = file;
	s->blksize = 512;
	s->window = 1;
	s->started = s->last_rx = s->last_tx = now();
	s->budget = 1 + rn(60);
	build_rrq(s, kind == EVIL && chance(60));
	udp_send(s, s->fd, 69, s->rrq, s->rrq_len);
	st.rrq++;
	st.rrq6 += v6;
	if (kind == GOOD) {
		st.good_started++;
		st.good6_started += v6;
	} else
		st.evil_started++;
	/* A retransmitted request now and then: must not start a second transfer. */
	if (chance(5))
		udp_send(s, s->fd, 69, s->rrq, s->rrq_len);
}

static void send_ack(struct sess *s, uint16_t block)
{
	unsigned char a[4] = { 0, TFTP_ACK, block >> 8, block & 0xff };

	memcpy(s->last_ack, a, 4);
	udp_send(s, s->fd, s->sport, a, 4);
	s->last_tx = now();
	st.acks++;
}

/* Check the OACK against what was asked; take the granted values. */
static int parse_oack(struct sess *s, const unsigned char *p, size_t len)
{
	size_t i = 2;

	while (i < len) {
		const char *name = (const char *)p + i, *val;
		size_t nl = strnlen(name, len - i);

		if (i + nl >= len)
			return -1;
		i += nl + 1;
		val = (const char *)p + i;
		nl = strnlen(val, len - i);
		if (i + nl >= len)
			return -1;
		i += nl + 1;
		if (!strcasecmp(name, "blksize")) {
			unsigned int v = atoi(val);

			if (!s->asked_blksize || v < 8 || v > (unsigned int)s->asked_blksize)
				return -1;
			s->blksize = v;
		} else if (!strcasecmp(name, "windowsize")) {
			unsigned int v = atoi(val);

			if (!s->asked_window || v < 1 || v > (unsigned int)s->asked_window)
				return -1;
			s->window = v;
		} else if (!strcasecmp(name, "tsize")) {
			if (!s->want_tsize || strtoull(val, NULL, 10) != files[s->file].size)
				return -1;
		} else if (!strcasecmp(name, "timeout")) {
			if (!s->asked_timeout || atoi(val) != s->asked_timeout)
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

/* A good client's reaction to one packet from the server. */
static void good_rx(struct sess *s, const unsigned char *p, size_t len, uint16_t from)
{
	uint16_t op = len >= 2 ? (p[0] << 8 | p[1]) : 0;

	if (op == TFTP_ERROR) {
		st.errors_rx++;
		sess_fail(s, "ERROR %u \"%.*s\"", len >= 4 ? (p[2] << 8 | p[3]) : 0,
			  len > 4 ? (int)(len - 5) : 0, len > 4 ? (const char *)p + 4 : "");
		return;
	}
	if (!s->sport)
		s->sport = from;
	else if (from != s->sport) {
		sess_fail(s, "packet from port %u, the transfer's is %u", from, s->sport);
		return;
	}
	if (op == TFTP_OACK) {
		st.oacks++;
		if (s->got || s->in_window) {
			/* A retransmitted OACK after DATA started: ignore. */
			return;
		}
		if (parse_oack(s, p, len) < 0) {
			sess_fail(s, "OACK grants what was not asked (%zu bytes)", len);
			return;
		}
		send_ack(s, 0);
		return;
	}
	if (op != TFTP_DATA || len < 4) {
		sess_fail(s, "unexpected opcode %u (%zu bytes)", op, len);
		return;
	}
	st.data++;
	{
		uint16_t blk = p[2] << 8 | p[3];
		uint16_t want = (uint16_t)(s->got + 1);
		size_t dl = len - 4;
		const struct file *f = &files[s->file];
		uint64_t off = s->got * (uint64_t)s->blksize;

		if (blk != want) {
			/*
			 * A retransmission (our ACK was lost or late) or a gap:
			 * ACK the last block in order again, at most every 100 ms.
			 */
			if (now() - s->last_tx > 0.1) {
				s->in_window = 0;
				send_ack(s, (uint16_t)s->got);
			}
			return;
		}
		if (dl > s->blksize || off + dl > f->size ||
		    (dl < s->blksize && off + dl != f->size) ||
		    memcmp(p + 4, f->data + off, dl)) {
			/* Wrong data is wrong even with faults injected. */
			fail("DATA block %u (#%llu) of %s: %zu bytes at offset %llu do not match "
			     "the file (%zu bytes, blksize %u)", blk, (unsigned long long)s->got + 1,
			     f->name, dl, (unsigned long long)off, f->size, s->blksize);
			sess_close(s);
			return;
		}
		s->got++;
		s->in_window++;
		if (dl < s->blksize) {
			send_ack(s, blk);
			st.good_done++;
			st.good6_done += s->v6;
			if (s->file == rollover_file) {
				st.rollover_done++;
				st.rollover6_done += s->v6;
			}
			sess_close(s);
			return;
		}
		if (s->in_window >= s->window) {
			s->in_window = 0;
			send_ack(s, blk);
		}
	}
}

/* Something an evil client sends to the transfer port. */
static void evil_send(struct sess *s, uint16_t last_blk)
{
	unsigned char b[600];
	size_t len = 4;
	uint16_t blk;

	st.evil++;
	b[0] = 0;
	b[1] = TFTP_ACK;
	switch (rn(16)) {
	case 0: case 1: case 2: blk = last_blk; break;			/* right */
	case 3: blk = last_blk - 1 - rn(5); break;			/* old */
	case 4: blk = last_blk + 1 + rn(100); break;			/* future */
	case 5: blk = 65535; break;
	case 6: blk = 0; break;
	case 7: blk = (uint16_t)rnd(); break;
	case 8:								/* duplicate */
		blk = last_blk;
		b[2] = blk >> 8; b[3] = blk & 0xff;
		udp_send(s, s->fd, s->sport, b, 4);
		break;
	case 9:								/* reordered */
		blk = last_blk + 1;
		b[2] = blk >> 8; b[3] = blk & 0xff;
		udp_send(s, s->fd, s->sport, b, 4);
		blk = last_blk;
		break;
	case 10:							/* truncated */
		blk = last_blk;
		len = 2 + rn(2);
		break;
	case 11:							/* trailing junk */
		blk = last_blk;
		len = 4 + 1 + rn(40);
		for (size_t i = 4; i < len; i++)
			b[i] = (uint8_t)rnd();
		break;
	case 12: {							/* ERROR */
		const char *m = "client gave up";

		b[1] = TFTP_ERROR;
		blk = rn(10);
		len = 4;
		if (chance(70)) {
			memcpy(b + 4, m, strlen(m) + (chance(80) ? 1 : 0));
			len += strlen(m) + 1;
		}
		b[2] = blk >> 8; b[3] = blk & 0xff;
		udp_send(s, s->fd, s->sport, b, len);
		s->budget = 0;
		return;
	}
	case 13:							/* other opcodes */
		b[1] = (uint8_t[]){ TFTP_RRQ, TFTP_WRQ, TFTP_DATA, TFTP_OACK, 0, 7, 255 }[rn(7)];
		if (chance(50))
			b[0] = (uint8_t)rnd();
		blk = last_blk;
		len = 4 + rn(30);
		for (size_t i = 4; i < len; i++)
			b[i] = (uint8_t)rnd();
		break;
	case 14:							/* from a stranger */
		blk = last_blk;
		b[2] = blk >> 8; b[3] = blk & 0xff;
		udp_send(s, s->v6 ? stranger6_fd : stranger_fd, s->sport, b, 4);
		st.strangers++;
		return;
	default:							/* raw, mutated */
		blk = last_blk;
		b[2] = blk >> 8; b[3] = blk & 0xff;
		for (int i = rn(3); i > 0; i--)
			b[rn(4)] ^= 1 + rn(255);
		if (s->v6)
			raw_udp6(&cli6[s->srv], &srv6[s->srv], s->cport, s->sport, b,
				 4 + rn(4), 1);
		else
			raw_udp(srv_ip, s->cport, s->sport, b, 4 + rn(4), 1);
		return;
	}
	b[2] = blk >> 8;
	b[3] = blk & 0xff;
	udp_send(s, s->fd, s->sport, b, len);
}

static void evil_rx(struct sess *s, const unsigned char *p, size_t len, uint16_t from)
{
	uint16_t op = len >= 2 ? (p[0] << 8 | p[1]) : 0;

	if (op == TFTP_ERROR || s->budget-- <= 0) {
		if (op == TFTP_ERROR)
			st.errors_rx++;
		/* Walk away (the server times out), or say so first. */
		if (op != TFTP_ERROR && s->sport && chance(30)) {
			unsigned char e[] = { 0, TFTP_ERROR, 0, 0, 'b', 'y', 'e', 0 };

			udp_send(s, s->fd, s->sport, e, sizeof(e));
		}
		sess_close(s);
		return;
	}
	s->sport = from;
	if (op == TFTP_OACK) {
		st.oacks++;
		if (chance(80))
			evil_send(s, 0);
		return;
	}
	if (op == TFTP_DATA && len >= 4) {
		st.data++;
		if (chance(85))
			evil_send(s, p[2] << 8 | p[3]);
	}
}

static void sess_timer(struct sess *s, double t)
{
	if (s->kind == EVIL) {
		if (t - s->last_rx > 3)
			sess_close(s);		/* the server gave up, or never answered */
		return;
	}
	if (t - s->last_rx > (faults ? 15 : 60)) {
		sess_fail(s, "no packet from the server for %.0f s", t - s->last_rx);
		return;
	}
	if (t - s->last_tx > 2 && t - s->last_rx > 2) {
		/* Our last packet may have been lost (or its answer): again. */
		if (!s->sport)
			udp_send(s, s->fd, 69, s->rrq, s->rrq_len);
		else
			udp_send(s, s->fd, s->sport, s->last_ack, 4);
		s->last_tx = t;
	}
}

static void sess_rx(struct sess *s)
{
	unsigned char b[70000];
	union sa a;
	socklen_t al;
	ssize_t n;

	for (int i = 0; i < 64 && s->fd >= 0; i++) {
		al = sizeof(a);
		n = recvfrom(s->fd, b, sizeof(b), 0, &a.sa, &al);
		if (n < 0) {
			if (errno == ECONNREFUSED)
				continue;
			return;
		}
		st.rx++;
		s->last_rx = now();
		/* sin_port and sin6_port are at one offset. */
		if (s->kind == GOOD)
			good_rx(s, b, n, ntohs(a.v4.sin_port));
		else
			evil_rx(s, b, n, ntohs(a.v4.sin_port));
	}
}

/* A raw read request, maybe mutated, to port 69: no transfer to follow. */
static void send_tftp_raw(void)
{
	struct sess tmp = { .kind = EVIL };

	tmp.file = chance(70) && n_files ? (int)rn(n_files) : -1;
	build_rrq(&tmp, 1);
	/* Below the ephemeral ports, which the transfers' sockets use. */
	raw_udp(srv_ip, 1024 + rn(31000), 69, tmp.rrq, tmp.rrq_len, 1);
	st.tftp_raw++;
}

/* The same over IPv6, to any of the server's addresses. */
static void send_tftp6_raw(void)
{
	struct sess tmp = { .kind = EVIL, .v6 = 1 };
	int i = rn(n_srv6);

	tmp.file = chance(70) && n_files ? (int)rn(n_files) : -1;
	build_rrq(&tmp, 1);
	raw_udp6(chance(80) ? &cli6[i] : &cli_ll, chance(95) ? &srv6[i] : &all_dhcp,
		 1024 + rn(31000), 69, tmp.rrq, tmp.rrq_len, 1);
	st.tftp_raw++;
	st.tftp6_raw++;
}

/* ------------------------------------------------------------------ setup */

static void load_files(const char *root)
{
	DIR *d = opendir(root);
	struct dirent *e;

	if (!d)
		die(root);
	while ((e = readdir(d)) && n_files < MAX_FILES) {
		char path[4096];
		struct stat sb;
		struct file *f = &files[n_files];
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", root, e->d_name);
		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(f->name) ||
		    stat(path, &sb) || !S_ISREG(sb.st_mode) || !(sb.st_mode & S_IROTH) ||
		    sb.st_size > (64 << 20))
			continue;
		strcpy(f->name, e->d_name);
		f->size = sb.st_size;
		f->data = malloc(f->size + 1);
		fp = fopen(path, "rb");
		if (!f->data || !fp || fread(f->data, 1, f->size, fp) != f->size)
			die(path);
		fclose(fp);
		if (!strcmp(f->name, "rollover"))
			rollover_file = n_files;
		n_files++;
	}
	closedir(d);
	if (!n_files) {
		fprintf(stderr, "%s: no world-readable files in %s\n", prog, root);
		exit(2);
	}
}

static int parse_mac(const char *s, unsigned char *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2],
		      &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

static void open_sockets(const char *ifname)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(68) };
	int one = 1, sz = 4 << 20;
	char path[128];
	FILE *fp;

	ifindex = if_nametoindex(ifname);
	if (!ifindex)
		die(ifname);
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	fp = fopen(path, "r");
	if (!fp || !fgets(path, sizeof(path), fp) || parse_mac(path, cli_mac))
		die("read the interface's MAC");
	fclose(fp);
	/* Protocol 0: this socket sends only, it receives nothing. */
	raw_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (raw_fd < 0)
		die("AF_PACKET socket");
	dhcp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (dhcp_fd < 0 ||
	    setsockopt(dhcp_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(dhcp_fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) ||
	    setsockopt(dhcp_fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1) ||
	    bind(dhcp_fd, (struct sockaddr *)&a, sizeof(a)))
		die("UDP socket on port 68");
	setsockopt(dhcp_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	stranger_fd = udp_socket(0, NULL);
	if (!n_srv6)
		return;
	for (int k = 0; k < 2; k++) {
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(k ? 4011 : 546) };
		int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (fd < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1) ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) ||
		    bind(fd, (struct sockaddr *)&a6, sizeof(a6)))
			die(k ? "UDP socket on [::]:4011" : "UDP socket on [::]:546");
		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
		*(k ? &binl6_fd : &dhcp6_fd) = fd;
	}
	stranger6_fd = udp_socket(1, NULL);
	d6_sent = malloc(D6_SENT * sizeof(*d6_sent));
	if (!d6_sent)
		die("malloc");
	for (int i = 0; i < D6_SENT; i++)
		d6_sent[i].xid = D6_NONE;
}

/*
 * Our own address towards @dst: the one the kernel picks (a link-local
 * @dst or a multicast one is reached through -i).
 */
static void source_of(int v6, const void *dst, void *src)
{
	union sa a = { .v4 = { .sin_family = AF_INET, .sin_port = htons(9) } };
	socklen_t al = sizeof(a);
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (v6) {
		a.v6 = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_port = htons(9) };
		memcpy(&a.v6.sin6_addr, dst, 16);
		if (IN6_IS_ADDR_LINKLOCAL(dst) || IN6_IS_ADDR_MULTICAST(dst))
			a.v6.sin6_scope_id = ifindex;
	} else {
		memcpy(&a.v4.sin_addr, dst, 4);
	}
	if (fd < 0 || connect(fd, &a.sa, v6 ? sizeof(a.v6) : sizeof(a.v4)) ||
	    getsockname(fd, &a.sa, &al))
		die("no route to the server");
	if (v6)
		memcpy(src, &a.v6.sin6_addr, 16);
	else
		memcpy(src, &a.v4.sin_addr, 4);
	close(fd);
}

static int usage(void)
{
	fprintf(stderr, "usage: %s -S SERVER_IP [-6 SERVER_IP6]... -M SERVER_MAC -i IFNAME "
		"-r ROOT [-s SEED] [-n PACKETS] [-t SECONDS] [-k SESSIONS] [-F] [-v]\n", prog);
	return 2;
}

static void print_counts(double secs)
{
	printf("%s: %lu packets in %.0f s (%.0f/s; %lu IPv4, %lu IPv6): %lu DHCP to 67, "
	       "%lu to 4011, %lu raw TFTP requests, %lu RRQs, %lu ACKs, %lu evil, "
	       "%lu from strangers\n", prog, st.sent, secs, secs > 0 ? st.sent / secs : 0,
	       st.sent - st.v6, st.v6, st.dhcp, st.boot + st.boot6, st.tftp_raw, st.rrq, st.acks,
	       st.evil, st.strangers);
	printf("%s: received %lu (%lu DHCP answers, %lu OACK, %lu DATA, %lu ERROR); transfers: "
	       "%lu good started, %lu completed, %lu failed, %lu rollover, %lu evil; "
	       "%lu liveness checks; %lu oracle failures\n", prog, st.rx, st.offers, st.oacks,
	       st.data, st.errors_rx, st.good_started, st.good_done, st.good_failed,
	       st.rollover_done, st.evil_started, st.liveness + st.liveness6, st.oracle_fail);
	if (n_srv6)
		printf("%s: IPv6: %lu packets: %lu DHCPv6 to 547 (%lu to ff02::1:2), %lu to 4011, "
		       "%lu raw TFTP requests, %lu RRQs, %lu with extension headers, %lu fragmented; "
		       "received %lu DHCPv6 answers; transfers: %lu completed, %lu rollover; "
		       "%lu liveness checks\n", prog, st.v6, st.dhcp6, st.dhcp6_mc, st.boot6,
		       st.tftp6_raw, st.rrq6, st.ext, st.frag, st.answers6, st.good6_done,
		       st.rollover6_done, st.liveness6);
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	unsigned long target = 100000, next_live = 5000;
	const char *ifname = NULL, *root = NULL;
	int secs = 600, opt, have_srv = 0, have_mac = 0, rollover_started = 0;
	double t0, t;

	while ((opt = getopt(argc, argv, "S:6:M:i:r:s:n:t:k:Fv")) != -1) {
		switch (opt) {
		case 'S': have_srv = inet_pton(AF_INET, optarg, &srv_ip) == 1; break;
		case '6':
			if (n_srv6 == MAX_SRV6 || inet_pton(AF_INET6, optarg, &srv6[n_srv6]) != 1)
				return usage();
			n_srv6++;
			break;
		case 'M': have_mac = !parse_mac(optarg, srv_mac); break;
		case 'i': ifname = optarg; break;
		case 'r': root = optarg; break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': target = strtoul(optarg, NULL, 0); break;
		case 't': secs = atoi(optarg); break;
		case 'k': max_sess = atoi(optarg); break;
		case 'F': faults = 1; break;
		case 'v': verbose = 1; break;
		default: return usage();
		}
	}
	if (!have_srv || !have_mac || !ifname || !root || secs <= 0 ||
	    max_sess < 1 || max_sess > MAX_SESS)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("%s: seed %llu (replay: -s %llu -n %lu -k %d%s)\n", prog,
	       (unsigned long long)seed, (unsigned long long)seed, target, max_sess,
	       faults ? " -F" : "");
	rng = seed;
	load_files(root);
	open_sockets(ifname);
	source_of(0, &srv_ip, &cli_ip);
	for (int i = 0; i < n_srv6; i++)
		source_of(1, &srv6[i], &cli6[i]);
	if (n_srv6)
		source_of(1, &all_dhcp, &cli_ll);
	for (int i = 0; i < MAX_SESS; i++)
		sess[i].fd = -1;

	t0 = now();
	t_end = t0 + secs;
	if (!faults && !dhcp_alive())
		fail("no answer to a valid PXE DISCOVER before fuzzing (is the server configured?)");
	if (!faults && n_srv6 && !dhcp6_alive())
		fail("no Advertise to a valid PXEv6 Solicit before fuzzing (is vs served over DHCPv6?)");

	while (st.sent < target && (t = now()) < t_end) {
		struct pollfd pfd[MAX_SESS];
		int idx[MAX_SESS], np = 0;

		/*
		 * Keep transfers in flight, two new ones at most per round:
		 * each costs the server a socket, a port and a file.
		 */
		for (int i = 0, started = 0; i < max_sess && started < 2; i++) {
			if (sess[i].fd >= 0)
				continue;
			started++;
			/*
			 * The rollover transfer first, over either IP version
			 * (66,000 DATA packets: one is enough).
			 */
			if (rollover_file >= 0 && !rollover_started) {
				sess_start(&sess[i], GOOD, rollover_file, n_srv6 && chance(50));
				rollover_started = 1;
				continue;
			}
			/*
			 * Good transfers are mostly the server's DATA (lock-step
			 * ones cost a round trip per packet sent): a few suffice,
			 * over IPv4 and IPv6 in turn; evil ones over either.
			 */
			if (chance(15)) {
				int f = rn(n_files);

				if (f == rollover_file)
					f = (f + 1) % n_files;
				if (f == rollover_file)
					continue;
				sess_start(&sess[i], GOOD, f, n_srv6 && (st.good_started & 1));
			} else {
				sess_start(&sess[i], EVIL,
					   chance(75) ? (int)rn(n_files) : -1,
					   n_srv6 && chance(50));
			}
		}
		for (int i = 0; i < max_sess; i++) {
			if (sess[i].fd < 0)
				continue;
			pfd[np].fd = sess[i].fd;
			pfd[np].events = POLLIN;
			idx[np++] = i;
		}
		poll(pfd, np, 1);
		for (int k = 0; k < np; k++)
			if (pfd[k].revents)
				sess_rx(&sess[idx[k]]);
		t = now();
		for (int i = 0; i < max_sess; i++)
			if (sess[i].fd >= 0)
				sess_timer(&sess[i], t);
		/* A burst of stateless packets, half of them IPv6 ones. */
		for (int i = 0; i < 48; i++) {
			int v6 = n_srv6 && chance(50);

			if (chance(95))
				v6 ? send_dhcp6_fuzz() : send_dhcp_fuzz();
			else
				v6 ? send_tftp6_raw() : send_tftp_raw();
		}
		drain_dhcp(0);
		if (n_srv6)
			drain_dhcp6(1 << 24);	/* no transaction id: count them */
		if (st.sent >= next_live) {
			next_live = st.sent + 5000 + rn(5000);
			if (!faults && !dhcp_alive())
				fail("no answer to a valid PXE DISCOVER after %lu packets", st.sent);
			if (!faults && n_srv6 && !dhcp6_alive())
				fail("no Advertise to a valid PXEv6 Solicit after %lu packets", st.sent);
		}
		if (st.oracle_fail > 20)
			break;
	}

	/* Let the good transfers in flight finish (bounded), drop the rest. */
	t = now();
	for (double until = t + (faults ? 30 : 180); now() < until;) {
		struct pollfd pfd[MAX_SESS];
		int idx[MAX_SESS], np = 0;

		for (int i = 0; i < max_sess; i++) {
			if (sess[i].fd < 0)
				continue;
			if (sess[i].kind == EVIL) {
				sess_close(&sess[i]);
				continue;
			}
			pfd[np].fd = sess[i].fd;
			pfd[np].events = POLLIN;
			idx[np++] = i;
		}
		if (!np)
			break;
		poll(pfd, np, 50);
		for (int k = 0; k < np; k++)
			if (pfd[k].revents)
				sess_rx(&sess[idx[k]]);
		for (int i = 0; i < max_sess; i++)
			if (sess[i].fd >= 0)
				sess_timer(&sess[i], now());
	}
	for (int i = 0; i < max_sess; i++) {
		if (sess[i].fd >= 0) {
			if (sess[i].kind == GOOD && !faults)
				sess_fail(&sess[i], "still running when the run ended");
			else
				sess_close(&sess[i]);
		}
	}
	if (st.sent < target)
		fail("the time limit ended the run after %lu of %lu packets", st.sent, target);
	if (!faults) {
		if (!dhcp_alive())
			fail("no answer to a valid PXE DISCOVER at the end");
		if (!st.good_done)
			fail("no transfer completed");
		if (rollover_file >= 0 && !st.rollover_done)
			fail("the rollover transfer did not complete");
		if (n_srv6 && !dhcp6_alive())
			fail("no Advertise to a valid PXEv6 Solicit at the end");
		/* A short run may start its one good transfer over IPv4. */
		if (st.good6_started && !st.good6_done)
			fail("no transfer over IPv6 completed");
	}
	print_counts(now() - t0);
	printf("%s: %s (seed %llu)\n", prog, st.oracle_fail ? "FAILED" : "passed",
	       (unsigned long long)seed);
	return st.oracle_fail ? 1 : 0;
}
