// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_pkt: a packet fuzzer for pxefast's proxy DHCP (UDP 67), PXE boot
 * server (UDP 4011) and TFTP (UDP 69 and the transfers' ports).  Run it in
 * the client's namespace of a veth pair whose other end pxefast serves.
 *
 *   fuzz_pkt -S SERVER_IP -M SERVER_MAC -i IFNAME -r ROOT [-s SEED]
 *            [-n PACKETS] [-t SECONDS] [-k SESSIONS] [-F] [-v]
 *
 *   -S, -M      the served interface's IPv4 and MAC address
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
 * Oracles: every DATA block a good client receives matches the file at its
 * offset, the OACK grants only what was asked and tsize is the file size, a
 * good transfer completes (not under -F), the proxy answers a valid PXE
 * DISCOVER every few thousand packets (not under -F) and at the end.
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
} st;

static int faults;		/* -F */
static int verbose;
static double t_end;
static struct in_addr srv_ip, cli_ip;
static unsigned char srv_mac[6], cli_mac[6];
static int ifindex;
static int raw_fd = -1, dhcp_fd = -1;

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
	if (chance(15))
		for (int i = 1 + rn(8); i > 0 && d->len; i--)
			d->b[rn(d->len)] ^= 1 + rn(255);
	if (chance(5) && d->len < sizeof(d->b) - 300) {	/* oversized */
		size_t grow = rn(300);

		for (size_t i = 0; i < grow; i++)
			d->b[d->len + i] = (uint8_t)rnd();
		d->len += grow;
	}
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

/* ------------------------------------------------------------------ TFTP */

enum sess_kind { GOOD, EVIL };

struct sess {
	int fd;			/* -1: free slot */
	enum sess_kind kind;
	int file;		/* index in files[], -1: a name that is not there */
	uint16_t sport;		/* the transfer's server port, 0 until known */
	uint16_t cport;
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
static int stranger_fd = -1;

/*
 * When each client port was last closed: a transfer ID must not come back
 * while the server may still hold a transfer for it (its idle timeout, or
 * the up to 255 s retransmission timeout an evil client asked for), or
 * that transfer's packets would reach the new one.
 */
static double port_closed[65536];
#define PORT_QUARANTINE	300.0

static int udp_socket(uint16_t *port)
{
	for (int tries = 0; tries < 1000; tries++) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		socklen_t al = sizeof(a);
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		uint16_t p;

		if (fd < 0)
			die("socket");
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    getsockname(fd, (struct sockaddr *)&a, &al) < 0)
			die("bind");
		p = ntohs(a.sin_port);
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

static void udp_send(int fd, uint16_t dport, const void *p, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(dport), .sin_addr = srv_ip };

	if (sendto(fd, p, len, 0, (struct sockaddr *)&a, sizeof(a)) < 0 &&
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

static void sess_start(struct sess *s, enum sess_kind kind, int file)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->fd = udp_socket(&s->cport);
	s->file = file;
	s->blksize = 512;
	s->window = 1;
	s->started = s->last_rx = s->last_tx = now();
	s->budget = 1 + rn(60);
	build_rrq(s, kind == EVIL && chance(60));
	udp_send(s->fd, 69, s->rrq, s->rrq_len);
	st.rrq++;
	if (kind == GOOD)
		st.good_started++;
	else
		st.evil_started++;
	/* A retransmitted request now and then: must not start a second transfer. */
	if (chance(5))
		udp_send(s->fd, 69, s->rrq, s->rrq_len);
}

static void send_ack(struct sess *s, uint16_t block)
{
	unsigned char a[4] = { 0, TFTP_ACK, block >> 8, block & 0xff };

	memcpy(s->last_ack, a, 4);
	udp_send(s->fd, s->sport, a, 4);
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
			if (s->file == rollover_file)
				st.rollover_done++;
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
		udp_send(s->fd, s->sport, b, 4);
		break;
	case 9:								/* reordered */
		blk = last_blk + 1;
		b[2] = blk >> 8; b[3] = blk & 0xff;
		udp_send(s->fd, s->sport, b, 4);
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
		udp_send(s->fd, s->sport, b, len);
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
		udp_send(stranger_fd, s->sport, b, 4);
		st.strangers++;
		return;
	default:							/* raw, mutated */
		blk = last_blk;
		b[2] = blk >> 8; b[3] = blk & 0xff;
		for (int i = rn(3); i > 0; i--)
			b[rn(4)] ^= 1 + rn(255);
		raw_udp(srv_ip, s->cport, s->sport, b, 4 + rn(4), 1);
		return;
	}
	b[2] = blk >> 8;
	b[3] = blk & 0xff;
	udp_send(s->fd, s->sport, b, len);
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

			udp_send(s->fd, s->sport, e, sizeof(e));
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
			udp_send(s->fd, 69, s->rrq, s->rrq_len);
		else
			udp_send(s->fd, s->sport, s->last_ack, 4);
		s->last_tx = t;
	}
}

static void sess_rx(struct sess *s)
{
	unsigned char b[70000];
	struct sockaddr_in a;
	socklen_t al;
	ssize_t n;

	for (int i = 0; i < 64 && s->fd >= 0; i++) {
		al = sizeof(a);
		n = recvfrom(s->fd, b, sizeof(b), 0, (struct sockaddr *)&a, &al);
		if (n < 0) {
			if (errno == ECONNREFUSED)
				continue;
			return;
		}
		st.rx++;
		s->last_rx = now();
		if (s->kind == GOOD)
			good_rx(s, b, n, ntohs(a.sin_port));
		else
			evil_rx(s, b, n, ntohs(a.sin_port));
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
	stranger_fd = udp_socket(NULL);
}

static int usage(void)
{
	fprintf(stderr, "usage: %s -S SERVER_IP -M SERVER_MAC -i IFNAME -r ROOT [-s SEED] "
		"[-n PACKETS] [-t SECONDS] [-k SESSIONS] [-F] [-v]\n", prog);
	return 2;
}

static void print_counts(double secs)
{
	printf("%s: %lu packets in %.0f s (%.0f/s): %lu DHCP to 67, %lu to 4011, %lu raw TFTP "
	       "requests, %lu RRQs, %lu ACKs, %lu evil, %lu from strangers\n", prog, st.sent, secs,
	       secs > 0 ? st.sent / secs : 0, st.dhcp, st.boot, st.tftp_raw, st.rrq, st.acks,
	       st.evil, st.strangers);
	printf("%s: received %lu (%lu DHCP answers, %lu OACK, %lu DATA, %lu ERROR); transfers: "
	       "%lu good started, %lu completed, %lu failed, %lu rollover, %lu evil; "
	       "%lu liveness checks; %lu oracle failures\n", prog, st.rx, st.offers, st.oacks,
	       st.data, st.errors_rx, st.good_started, st.good_done, st.good_failed,
	       st.rollover_done, st.evil_started, st.liveness, st.oracle_fail);
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	unsigned long target = 100000, next_live = 5000;
	const char *ifname = NULL, *root = NULL;
	int secs = 600, opt, have_srv = 0, have_mac = 0, rollover_started = 0;
	double t0, t;

	while ((opt = getopt(argc, argv, "S:M:i:r:s:n:t:k:Fv")) != -1) {
		switch (opt) {
		case 'S': have_srv = inet_pton(AF_INET, optarg, &srv_ip) == 1; break;
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
	{
		/* Our own address: the one the kernel picks towards the server. */
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr = srv_ip };
		socklen_t al = sizeof(a);
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
		    getsockname(fd, (struct sockaddr *)&a, &al))
			die("no route to the server");
		cli_ip = a.sin_addr;
		close(fd);
	}
	for (int i = 0; i < MAX_SESS; i++)
		sess[i].fd = -1;

	t0 = now();
	t_end = t0 + secs;
	if (!faults && !dhcp_alive())
		fail("no answer to a valid PXE DISCOVER before fuzzing (is the server configured?)");

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
			if (rollover_file >= 0 && !rollover_started) {
				sess_start(&sess[i], GOOD, rollover_file);
				rollover_started = 1;
				continue;
			}
			/*
			 * Good transfers are mostly the server's DATA (lock-step
			 * ones cost a round trip per packet sent): a few suffice.
			 */
			if (chance(15)) {
				int f = rn(n_files);

				if (f == rollover_file)
					f = (f + 1) % n_files;
				if (f == rollover_file)
					continue;
				sess_start(&sess[i], GOOD, f);
			} else {
				sess_start(&sess[i], EVIL,
					   chance(75) ? (int)rn(n_files) : -1);
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
		/* A burst of stateless packets. */
		for (int i = 0; i < 48; i++) {
			if (chance(95))
				send_dhcp_fuzz();
			else
				send_tftp_raw();
		}
		drain_dhcp(0);
		if (st.sent >= next_live) {
			next_live = st.sent + 5000 + rn(5000);
			if (!faults && !dhcp_alive())
				fail("no answer to a valid PXE DISCOVER after %lu packets", st.sent);
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
	}
	print_counts(now() - t0);
	printf("%s: %s (seed %llu)\n", prog, st.oracle_fail ? "FAILED" : "passed",
	       (unsigned long long)seed);
	return st.oracle_fail ? 1 : 0;
}
