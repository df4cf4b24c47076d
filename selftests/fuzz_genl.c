// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_genl: a structure-aware fuzzer for pxefast's generic netlink family
 * (include/uapi/linux/pxefast.h).  It builds SET_CONFIG / GET_CONFIG /
 * GET_STATS / GET_SESSIONS requests from the contract's attribute tables,
 * valid ones and mutated ones (wrong types, lengths and nesting, duplicated
 * singletons, huge object counts, truncated attributes and headers, flipped
 * bytes), sends them and checks what comes back.
 *
 *   fuzz_genl [-s SEED] [-n MESSAGES] [-m MODE] [-p PROCS] [-t SECONDS]
 *             [-r ROOT] [-i IFNAME]...
 *
 *   -s SEED     random seed (default: from the clock); printed, so a run
 *               replays with the same -s (and the same -m/-n/-p)
 *   -n N        messages to send (default 10000; sync requests not counted)
 *   -m MODE     seq    one process, with oracles (below)
 *               conc   PROCS processes at once in this netns: mutated
 *                      SET_CONFIGs, dumps abandoned half way, GET_STATS with
 *                      clear, and netns created, configured, dumped and torn
 *                      down mid-dump
 *               fault  like seq, each request with a failure injected into
 *                      the Nth allocation (/proc/thread-self/fail-nth; the
 *                      caller sets up failslab/fail_page_alloc, see
 *                      scripts/debug-guest.sh); oracles as in seq
 *               all    seq, conc and fault, N split 50/30/20 (default)
 *   -p PROCS    processes in conc mode (default 4, at least 3)
 *   -t SECONDS  stop after this long whatever the count (default 1800)
 *   -r ROOT     an existing directory to use as the TFTP root (default /tmp)
 *   -i IFNAME   an existing interface that valid configurations serve
 *               (repeatable; default none)
 *
 * Oracles (seq and fault): a valid request must succeed (unless a fault was
 * injected); a request carrying a mutation the kernel must refuse (a MAC of
 * the wrong length, a relative TFTP root, an empty port range, a mapping
 * without a file, an interface that does not exist, a stale generation)
 * must fail; a refused SET_CONFIG must leave the configuration exactly as
 * it was (all or nothing: the GET_CONFIG dump is compared byte for byte);
 * a successful one must raise the generation.  In every mode: each request
 * gets its answer within 120 s, and the family still answers at the end.
 *
 * Exit status: 0 clean, 1 an oracle failed (details on stderr), 2 usage or
 * local error, 3 family not registered, 4 fault mode without fail-nth.
 * Works on any kernel that has the module loaded (fault mode needs
 * CONFIG_FAULT_INJECTION).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pxefast.h>

#include "fuzz_rng.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef SO_SNDBUFFORCE
#define SO_SNDBUFFORCE 32
#endif

#define MSG_CAP		(2u << 20)	/* largest request built */
#define RX_CAP		(256u << 10)
#define MAX_IFS		16
#define RECV_TIMEOUT_S	120

/* ------------------------------------------------------------------ state */

struct counts {
	unsigned long sent;		/* fuzz messages */
	unsigned long ok;		/* answered with success */
	unsigned long refused;		/* answered with an error */
	unsigned long faults;		/* fail-nth consumed (fault injected) */
	unsigned long netns;		/* namespaces torn down */
	unsigned long abandoned;	/* dumps closed half way */
	unsigned long oracle_fail;
	unsigned long err[160];		/* by errno */
};

static struct counts *cnt;		/* this process's slot (shared memory) */
static const char *tftp_root = "/tmp";
static const char *ifnames[MAX_IFS];
static int n_ifs;
static time_t deadline;
static int fam_id;
static uint32_t nl_seq;
static const char *prog = "fuzz_genl";
static const char *role = "seq";	/* which process: in every report */
static int verbose;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ORACLE (%s, pid %d): ", prog, role, (int)getpid());
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cnt->oracle_fail++;
}

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(2);
}

/* ------------------------------------------------------------------ building */

struct msg {
	unsigned char *b;
	size_t len;		/* bytes built */
	int full;		/* an attribute did not fit */
	int mutated;		/* mutations applied */
	int must_fail;		/* a mutation the kernel must refuse */
	int must_fail_single;	/* ... of those, in a singleton (TFTP, generation) */
	int single_override;	/* a later singleton may replace that one */
	int hdr_mutated;	/* header changed: answer not predictable */
	uint8_t cmd;
	uint16_t flags;
};

static unsigned int mut_pct;	/* per attribute, 0 for a valid message */

static struct nlmsghdr *hdr(struct msg *m)
{
	return (struct nlmsghdr *)m->b;
}

static void msg_init(struct msg *m, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(m->b, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->full = m->mutated = m->must_fail = m->hdr_mutated = 0;
	m->must_fail_single = m->single_override = 0;
	m->cmd = cmd;
	m->flags = flags;
	g = (struct genlmsghdr *)(m->b + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = PXEFAST_GENL_VERSION;
}

/* put: an attribute with LEN bytes of DATA (NULL: zeros); its offset or -1. */
static long put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;
	long off = (long)m->len;

	if (m->full || m->len + NLA_HDRLEN + NLA_ALIGN(len) > MSG_CAP || len > 0xffff - NLA_HDRLEN) {
		m->full = 1;
		return -1;
	}
	a = (struct nlattr *)(m->b + m->len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy(m->b + m->len + NLA_HDRLEN, data, len);
	else
		memset(m->b + m->len + NLA_HDRLEN, 0, len);
	memset(m->b + m->len + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	m->len += NLA_HDRLEN + NLA_ALIGN(len);
	return off;
}

static long nest_start(struct msg *m, uint16_t type)
{
	/* Mutation: a nest without NLA_F_NESTED, or with byte-order set. */
	if (mut_pct && chance(mut_pct / 4 + 1)) {
		m->mutated++;
		return put(m, chance(50) ? type : (type | NLA_F_NESTED | NLA_F_NET_BYTEORDER), NULL, 0);
	}
	return put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m, long off)
{
	if (off < 0)
		return;
	/* Over 64 KiB wraps: a malformed nest, which is a fine input too. */
	((struct nlattr *)(m->b + off))->nla_len = (uint16_t)(m->len - off);
}

static const uint32_t interesting[] = {
	0, 1, 2, 3, 7, 8, 9, 15, 16, 50, 51, 127, 128, 255, 256, 257, 511, 512,
	513, 1023, 1024, 1025, 1468, 4096, 32767, 32768, 49152, 65464, 65465,
	65534, 65535, 65536, 65537, 100000, 255000, 255001, 3600000, 3600001,
	0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
};

static uint32_t any_value(void)
{
	return chance(70) ? interesting[rn(sizeof(interesting) / sizeof(interesting[0]))]
			  : (uint32_t)rnd();
}

/* A scalar of BYTES bytes; mutations: other value, other length, other type. */
static void put_uint(struct msg *m, uint16_t type, int bytes, uint32_t val)
{
	unsigned char buf[16];
	size_t len = bytes;

	if (mut_pct && chance(mut_pct)) {
		m->mutated++;
		switch (rn(4)) {
		case 0:
			val = any_value();
			break;
		case 1:
			len = rn(10);		/* 0..9 bytes */
			break;
		case 2:
			type = rn(24);		/* any slot, maybe unknown */
			break;
		default:
			len = 8;		/* u64 where a smaller one goes */
			break;
		}
	}
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &val, bytes < 4 ? bytes : 4);
	if (len > (size_t)bytes && bytes < 4)
		memcpy(buf, &val, 4);
	put(m, type, buf, len);
}

static void put_be32(struct msg *m, uint16_t type, uint32_t host)
{
	put_uint(m, type, 4, htonl(host));
}

/* A string (with its NUL); mutations: no NUL, too long, embedded NUL, junk. */
static void put_str(struct msg *m, uint16_t type, const char *s, size_t max)
{
	static char buf[70000];
	size_t len = strlen(s) + 1;

	if (len > sizeof(buf))
		len = sizeof(buf);
	memcpy(buf, s, len);
	buf[len - 1] = 0;
	if (mut_pct && chance(mut_pct)) {
		size_t i;

		m->mutated++;
		switch (rn(7)) {
		case 0:			/* no terminating NUL */
			len = len > 1 ? len - 1 : 0;
			break;
		case 1:			/* exactly the limit, or one over */
		case 2:
			len = max + rn(3) - 1 + (rn(4) == 0 ? rn(60000) : 0);
			if (len > sizeof(buf))
				len = sizeof(buf);
			for (i = 0; i + 1 < len; i++)
				buf[i] = 'a' + i % 26;
			if (len)
				buf[len - 1] = rn(2) ? 0 : 'z';
			break;
		case 3:			/* embedded NUL */
			len = 8;
			memcpy(buf, "ab\0cdefg", 8);
			break;
		case 4:			/* empty */
			len = rn(2);
			buf[0] = 0;
			break;
		case 5:			/* junk bytes */
			len = 1 + rn(300);
			for (i = 0; i < len; i++)
				buf[i] = (char)rnd();
			break;
		default:		/* other type */
			type = rn(24);
			break;
		}
	}
	put(m, type, buf, len);
}

static void put_bin(struct msg *m, uint16_t type, const void *data, size_t len)
{
	static unsigned char buf[256];

	memcpy(buf, data, len);
	if (mut_pct && chance(mut_pct)) {
		m->mutated++;
		len = rn(2) ? len + rn(3) - 1 : rn(80);
		if (len > sizeof(buf))
			len = sizeof(buf);
		for (size_t i = 0; i < len; i++)
			if (chance(30))
				buf[i] = (unsigned char)rnd();
	}
	put(m, type, buf, len);
}

/* Random junk attributes: unknown types, deep nesting, scalars as nests. */
static void put_junk(struct msg *m, int depth)
{
	uint16_t type = chance(50) ? rn(__PXEFAST_A_MAX + 4) : (uint16_t)rnd();
	unsigned char buf[64];
	long n;

	m->mutated++;
	if (!depth && (type & NLA_TYPE_MASK) <= PXEFAST_A_MENU)
		m->single_override = 1;
	if (depth < 40 && chance(40)) {
		n = put(m, type | NLA_F_NESTED, NULL, 0);
		for (int i = rn(3) + 1; i > 0; i--)
			put_junk(m, depth + 1);
		nest_end(m, n);
		return;
	}
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rnd();
	put(m, type, buf, rn(sizeof(buf)));
}

/* ------------------------------------------------------------------ objects */

struct gen {
	uint32_t generation;	/* current, as last seen */
	int known_gen;		/* generation is reliable (seq/fault modes) */
};

static void gen_tftp(struct msg *m)
{
	long n = nest_start(m, PXEFAST_A_TFTP);
	int on = chance(50);
	uint16_t pmin = 1024 + rn(60000), pmax = pmin + rn(65535 - pmin + 1);

	if (chance(85) || !on)
		put_uint(m, PXEFAST_TFTP_A_ENABLED, 1, on);
	if (on || chance(50))
		put_str(m, PXEFAST_TFTP_A_ROOT, tftp_root, PXEFAST_PATH_MAX);
	if (chance(50))
		put_uint(m, PXEFAST_TFTP_A_MAX_SESSIONS, 4, 1 + rn(65536));
	if (chance(50))
		put_uint(m, PXEFAST_TFTP_A_MAX_PER_CLIENT, 4, 1 + rn(65536));
	if (chance(50))
		put_uint(m, PXEFAST_TFTP_A_MAX_BLKSIZE, 2, 512 + rn(65464 - 512 + 1));
	if (chance(50))
		put_uint(m, PXEFAST_TFTP_A_MAX_WINDOW, 2, 1 + rn(256));
	if (chance(50))
		put_uint(m, PXEFAST_TFTP_A_TIMEOUT_MS, 4, 10 + rn(255000 - 10 + 1));
	if (chance(50))
		put_uint(m, PXEFAST_TFTP_A_RETRIES, 1, 1 + rn(50));
	if (chance(50)) {
		put_uint(m, PXEFAST_TFTP_A_PORT_MIN, 2, pmin);
		put_uint(m, PXEFAST_TFTP_A_PORT_MAX, 2, pmax);
	}
	if (chance(50))
		put_uint(m, PXEFAST_TFTP_A_IDLE_TIMEOUT_MS, 4, 100 + rn(3600000 - 100 + 1));
	/* Refusals the kernel must make. */
	if (mut_pct && chance(mut_pct / 3)) {
		m->mutated++;
		m->must_fail_single++;
		if (chance(50)) {
			/* The last instance wins in nla_parse: a relative root. */
			put(m, PXEFAST_TFTP_A_ROOT, "relative/dir", 13);
		} else {
			uint16_t lo = 40000, hi = 30000;

			put(m, PXEFAST_TFTP_A_PORT_MIN, &lo, 2);
			put(m, PXEFAST_TFTP_A_PORT_MAX, &hi, 2);
		}
	}
	nest_end(m, n);
}

static void gen_dhcp(struct msg *m)
{
	/* HTTP boot bases: good ones, then ones the kernel refuses. */
	static const char *const bases[] = {
		"http://10.0.0.1/tftp/", "https://boot.example", "HTTP://h",
		"http:///nohost", "ftp://h/", "http://a b/",
	};
	long n = nest_start(m, PXEFAST_A_DHCP);

	if (chance(70))
		put_uint(m, PXEFAST_DHCP_A_PROXY, 1, rn(2));
	if (chance(70))
		put_uint(m, PXEFAST_DHCP_A_BOOT_SERVER, 1, rn(2));
	if (chance(50))
		put_uint(m, PXEFAST_DHCP_A_DISCOVERY, 1, rn(16));
	if (chance(30))
		put_be32(m, PXEFAST_DHCP_A_MCAST_ADDR, 0xe0000100u + rn(200));
	if (chance(30))
		put_str(m, PXEFAST_DHCP_A_HTTP_BASE, bases[rn(3)],
			PXEFAST_HTTP_URL_MAX + 1);
	/* Refusals the kernel must make (the last instance wins). */
	if (mut_pct && chance(mut_pct / 3)) {
		m->mutated++;
		m->must_fail_single++;
		put_str(m, PXEFAST_DHCP_A_HTTP_BASE, bases[3 + rn(3)],
			PXEFAST_HTTP_URL_MAX + 1);
	}
	nest_end(m, n);
}

static void gen_menu(struct msg *m, int huge)
{
	long n = nest_start(m, PXEFAST_A_MENU);
	int items = huge ? 33 + rn(3000) : 1 + rn(PXEFAST_MAX_MENU_ITEMS);
	char label[32];

	put_str(m, PXEFAST_MENU_A_PROMPT, chance(50) ? "Press F8" : "boot menu", PXEFAST_NAME_MAX);
	if (chance(60))
		put_uint(m, PXEFAST_MENU_A_TIMEOUT, 1, rn(256));
	for (int i = 0; i < items && !m->full; i++) {
		long it = nest_start(m, PXEFAST_MENU_A_ITEM);

		snprintf(label, sizeof(label), "item %d", i);
		put_uint(m, PXEFAST_MENU_ITEM_A_TYPE, 2, 1 + rn(1000));
		put_str(m, PXEFAST_MENU_ITEM_A_LABEL, label, PXEFAST_NAME_MAX);
		nest_end(m, it);
	}
	nest_end(m, n);
}

static void gen_devs(struct msg *m)
{
	int used[MAX_IFS] = { 0 };

	for (int i = rn(n_ifs + 1); i > 0; i--) {
		int k = rn(n_ifs);
		long n;

		if (used[k])
			continue;
		used[k] = 1;
		n = nest_start(m, PXEFAST_A_DEV);
		put_str(m, PXEFAST_DEV_A_IFNAME, ifnames[k], 16);
		nest_end(m, n);
	}
	if (mut_pct && chance(mut_pct / 3)) {
		long n = nest_start(m, PXEFAST_A_DEV);

		m->mutated++;
		m->must_fail++;
		put(m, PXEFAST_DEV_A_IFNAME, "pxfnosuch0", 11);
		nest_end(m, n);
	}
}

static void gen_archs(struct msg *m, int huge)
{
	int count = huge ? 257 + rn(70000) : rn(8);
	uint16_t base = rn(60000);

	for (int i = 0; i < count && !m->full; i++) {
		long n = nest_start(m, PXEFAST_A_ARCH);

		put_uint(m, PXEFAST_ARCH_A_CODE, 2, (uint16_t)(base + i));
		put_uint(m, PXEFAST_ARCH_A_ENABLED, 1, rn(2));
		nest_end(m, n);
	}
}

static void gen_servers(struct msg *m, int huge)
{
	int count = huge ? 65 + rn(5000) : rn(5);
	uint32_t addrs[20];
	char label[32];

	for (int i = 0; i < count && !m->full; i++) {
		long n = nest_start(m, PXEFAST_A_SERVER);
		int na = rn(PXEFAST_MAX_SERVER_ADDRS + 1);

		put_uint(m, PXEFAST_SERVER_A_TYPE, 2, 1 + i * 7 + rn(7));
		for (int k = 0; k < na; k++)
			addrs[k] = htonl(0x0a000001u + rn(200) + (k << 8));
		if (chance(80))
			put_bin(m, PXEFAST_SERVER_A_ADDRS, addrs, na * 4);
		snprintf(label, sizeof(label), "server %d", i);
		if (chance(70))
			put_str(m, PXEFAST_SERVER_A_LABEL, label, PXEFAST_NAME_MAX);
		nest_end(m, n);
	}
}

static void gen_maps(struct msg *m, int huge)
{
	int count = !huge ? rn(12) : chance(10) ? PXEFAST_MAX_MAPS - 5 + rn(10) : 1000 + rn(4000);
	static const char *const files[] = {
		"pxelinux.0", "snponly.efi", "boot/x.0", "\\boot\\win.0",
		"http://10.0.0.1/boot.ipxe", "a", "x/../y.0",
		"https://h/a%20b.efi", "tftp://h/x.efi", "we ird#?.efi",
	};
	const uint32_t nfiles = sizeof(files) / sizeof(files[0]);
	uint32_t mac_base = (uint32_t)rnd();
	char label[40];

	if (chance(30)) {	/* the default mapping */
		long n = nest_start(m, PXEFAST_A_MAP);

		put_str(m, PXEFAST_MAP_A_FILE, files[rn(nfiles)], PXEFAST_PATH_MAX);
		nest_end(m, n);
	}
	for (int i = 0; i < count && !m->full; i++) {
		long n = nest_start(m, PXEFAST_A_MAP);
		unsigned char mac[6] = { 0x52, 0x54 };
		uint32_t v = mac_base + i;

		memcpy(mac + 2, &v, 4);
		put_bin(m, PXEFAST_MAP_A_MAC, mac, 6);
		if (chance(40))
			put_uint(m, PXEFAST_MAP_A_ARCH, 2, rn(12));
		if (!huge && chance(20)) {
			unsigned char uuid[16];

			for (int k = 0; k < 16; k++)
				uuid[k] = (unsigned char)rnd();
			put_bin(m, PXEFAST_MAP_A_UUID, uuid, 16);
		}
		if (!huge && chance(20))
			put_str(m, PXEFAST_MAP_A_USER_CLASS, "iPXE", PXEFAST_NAME_MAX);
		if (!huge && chance(20))
			put_str(m, PXEFAST_MAP_A_VENDOR_CLASS, "PXEClient:Arch:00007", PXEFAST_NAME_MAX);
		if (!huge && chance(15)) {
			put_uint(m, PXEFAST_MAP_A_SERVER_TYPE, 2, 1 + rn(100));
			if (chance(50))
				put_uint(m, PXEFAST_MAP_A_LAYER, 2, rn(0x8000));
		}
		put_str(m, PXEFAST_MAP_A_FILE, files[rn(nfiles)], PXEFAST_PATH_MAX);
		if (chance(20))
			put_be32(m, PXEFAST_MAP_A_NEXT_SERVER, 0x0a000002u + rn(100));
		if (chance(10))
			put_str(m, PXEFAST_MAP_A_BIS_FILE, "bis.cred", PXEFAST_PATH_MAX);
		if (!huge && chance(30)) {
			snprintf(label, sizeof(label), "map %d", i);
			put_str(m, PXEFAST_MAP_A_LABEL, label, PXEFAST_NAME_MAX);
		}
		nest_end(m, n);
	}
	if (mut_pct && chance(mut_pct / 3)) {
		long n = nest_start(m, PXEFAST_A_MAP);
		unsigned char mac[8] = { 0x52, 0x54, 0, 0, 0, 1, 2, 3 };

		m->mutated++;
		m->must_fail++;
		if (chance(40)) {
			put(m, PXEFAST_MAP_A_MAC, mac, 5 + 2 * rn(2));	/* 5 or 7 */
			put(m, PXEFAST_MAP_A_FILE, "f", 2);
		} else if (chance(50)) {
			/* A name that climbs above the TFTP root. */
			put(m, PXEFAST_MAP_A_MAC, mac, 6);
			put_str(m, chance(50) ? PXEFAST_MAP_A_FILE : PXEFAST_MAP_A_BIS_FILE,
				chance(50) ? "../../etc/passwd" : "a/../../b", PXEFAST_PATH_MAX);
		} else {
			put(m, PXEFAST_MAP_A_MAC, mac, 6);		/* no file */
		}
		nest_end(m, n);
	}
}

/* A SET_CONFIG: valid when mut_pct is 0 (and no huge counts). */
static void gen_set_config(struct msg *m, struct gen *g)
{
	int huge = mut_pct && rn(500) == 0;
	int order[7] = { 0, 1, 2, 3, 4, 5, 6 };

	if (g->known_gen && chance(25)) {
		uint32_t want = g->generation;

		if (mut_pct && chance(30)) {
			want += 1 + rn(5);
			m->mutated++;
			m->must_fail_single++;
			put(m, PXEFAST_A_GENERATION, &want, 4);
		} else {
			put_uint(m, PXEFAST_A_GENERATION, 4, want);
		}
	}
	/* Objects in a random order: the contract does not fix one. */
	for (int i = 6; i > 0; i--) {
		int j = rn(i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (int i = 0; i < 7; i++) {
		switch (order[i]) {
		case 0: if (chance(80)) gen_tftp(m); break;
		case 1: if (chance(60)) gen_dhcp(m); break;
		case 2: if (chance(25)) gen_menu(m, huge && chance(20)); break;
		case 3: gen_devs(m); break;
		case 4: gen_archs(m, huge && chance(20)); break;
		case 5: gen_servers(m, huge && chance(20)); break;
		case 6: gen_maps(m, huge && chance(60)); break;
		}
	}
	if (!mut_pct)
		return;
	/* Structural mutations on the whole message. */
	if (chance(mut_pct / 2)) {		/* a duplicated singleton */
		m->mutated++;
		m->single_override = 1;
		switch (rn(3)) {
		case 0: gen_tftp(m); break;
		case 1: gen_dhcp(m); break;
		default: gen_menu(m, 0); break;
		}
	}
	for (int i = chance(mut_pct) ? 1 + rn(4) : 0; i > 0; i--)
		put_junk(m, 0);
	if (chance(mut_pct / 4 + 1)) {		/* attributes of other commands */
		m->mutated++;
		put(m, chance(50) ? PXEFAST_A_STATS_CLEAR : PXEFAST_A_SESSION | NLA_F_NESTED, NULL, 0);
	}
	if (!m->single_override)
		m->must_fail += m->must_fail_single;
}

/* Header and byte-level mutations applied last. */
static void mutate_bytes(struct msg *m)
{
	size_t body = NLMSG_HDRLEN + GENL_HDRLEN;

	if (chance(mut_pct / 3 + 1) && m->len > body + 4) {	/* truncate */
		size_t cut = body + rn(m->len - body);

		m->mutated++;
		m->must_fail = 0;
		if (chance(50)) {
			/* The last attribute claims more than there is. */
			m->len = cut;
		} else {
			struct nlattr *a = (struct nlattr *)(m->b + body);

			a->nla_len = (uint16_t)(a->nla_len + 4 + rn(200));
		}
	}
	if (chance(mut_pct / 4 + 1)) {				/* flip bytes */
		m->mutated++;
		m->must_fail = 0;
		for (int i = 1 + rn(6); i > 0 && m->len > body; i--)
			m->b[body + rn(m->len - body)] ^= (unsigned char)(1 + rn(255));
	}
	if (chance(mut_pct / 8 + 1)) {				/* header */
		struct genlmsghdr *g = (struct genlmsghdr *)(m->b + NLMSG_HDRLEN);

		m->mutated++;
		m->hdr_mutated = 1;
		switch (rn(5)) {
		case 0: g->version = (uint8_t)rnd(); break;
		case 1: g->cmd = (uint8_t)rn(8); break;
		case 2: m->flags ^= (uint16_t)(1u << rn(16)); break;
		case 3: g->reserved = (uint16_t)rnd(); break;
		default: m->len = NLMSG_HDRLEN + rn(GENL_HDRLEN); break;
		}
	}
}

/* A random request of any command; mut_pct decides how broken it is. */
static void gen_request(struct msg *m, struct gen *g)
{
	switch (rn(10)) {
	case 0: case 1:
		msg_init(m, PXEFAST_CMD_GET_CONFIG, NLM_F_DUMP);
		if (mut_pct && chance(mut_pct))
			put_junk(m, 0);
		break;
	case 2:
		msg_init(m, PXEFAST_CMD_GET_STATS, 0);
		if (chance(30))
			put(m, PXEFAST_A_STATS_CLEAR, NULL, 0);
		if (mut_pct && chance(mut_pct))
			put_junk(m, 0);
		break;
	case 3:
		msg_init(m, PXEFAST_CMD_GET_SESSIONS, NLM_F_DUMP);
		if (mut_pct && chance(mut_pct))
			put_junk(m, 0);
		break;
	default:
		msg_init(m, PXEFAST_CMD_SET_CONFIG, 0);
		gen_set_config(m, g);
		break;
	}
	if (mut_pct) {
		if (chance(5)) {	/* dump flag where none belongs, or missing */
			m->flags ^= NLM_F_DUMP;
			m->mutated++;
		}
		if (chance(2)) {	/* an unknown command */
			((struct genlmsghdr *)(m->b + NLMSG_HDRLEN))->cmd =
				chance(50) ? PXEFAST_CMD_EVENT : (uint8_t)(6 + rn(250));
			m->mutated++;
		}
		mutate_bytes(m);
	}
}

/* ------------------------------------------------------------------ netlink */

struct nl {
	int fd;
	unsigned char *rx;
};

static int nl_open(struct nl *nl)
{
	int one = 1, sz = 8 << 20;
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };

	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -1;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* An error must not echo a 2 MiB request back: it would not fit. */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(nl->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
		setsockopt(nl->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!nl->rx)
		nl->rx = malloc(RX_CAP);
	return nl->rx ? 0 : -1;
}

static void nl_close(struct nl *nl)
{
	close(nl->fd);
	nl->fd = -1;
}

static int nl_send_raw(struct nl *nl, struct msg *m, uint16_t type, uint32_t seq)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *h = hdr(m);

	h->nlmsg_len = (uint32_t)m->len;
	h->nlmsg_type = type;
	h->nlmsg_flags = m->flags;
	h->nlmsg_seq = seq;
	h->nlmsg_pid = 0;
	if (m->hdr_mutated && chance(30))
		h->nlmsg_len = (uint32_t)(m->len + rn(64)) - rn(64);	/* lies */
	if (sendto(nl->fd, m->b, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* What came back for one request. */
struct answer {
	int done;		/* a final message (ack, error, NLMSG_DONE) */
	int err;		/* its errno (>= 0) */
	int msgs;		/* data messages */
	int have_gen;
	uint32_t gen;		/* PXEFAST_A_GENERATION of the first data message */
	char extack[160];
	unsigned char *dump;	/* attribute bytes of the data messages, if asked */
	size_t dump_len, dump_cap;
};

static void answer_add(struct answer *a, const void *p, size_t len)
{
	if (!a->dump)
		return;
	if (a->dump_len + len > a->dump_cap) {
		size_t cap = (a->dump_len + len) * 2;
		unsigned char *n = realloc(a->dump, cap);

		if (!n)
			die("realloc");
		a->dump = n;
		a->dump_cap = cap;
	}
	memcpy(a->dump + a->dump_len, p, len);
	a->dump_len += len;
}

static void parse_error(const struct nlmsghdr *h, struct answer *a)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	const struct nlattr *at;
	size_t off;
	int len;

	a->done = 1;
	a->err = -e->error;
	a->extack[0] = 0;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	len = (int)h->nlmsg_len - (int)NLMSG_HDRLEN - (int)NLA_ALIGN(off);
	at = (const struct nlattr *)((const char *)e + NLA_ALIGN(off));
	while (len >= NLA_HDRLEN && at->nla_len >= NLA_HDRLEN && at->nla_len <= len) {
		if (at->nla_type == NLMSGERR_ATTR_MSG)
			snprintf(a->extack, sizeof(a->extack), "%.*s",
				 (int)(at->nla_len - NLA_HDRLEN), (const char *)at + NLA_HDRLEN);
		len -= NLA_ALIGN(at->nla_len);
		at = (const struct nlattr *)((const char *)at + NLA_ALIGN(at->nla_len));
	}
}

/*
 * Receive until the final message of SEQ (and, with SYNC, of that too).
 * MAX_MSGS > 0: return after that many data messages (a dump left half
 * way).  0 or -errno of recv (-EAGAIN: timed out).
 */
static int nl_recv(struct nl *nl, uint32_t seq, struct answer *a, uint32_t sync,
		   int max_msgs)
{
	int sync_done = !sync;

	/*
	 * With a sync request, its ack ends the wait: the kernel answers in
	 * order, and what the request before it got (nothing when dropped, a
	 * reply without an ack when NLM_F_ACK was flipped off, the first part
	 * of a dump) is in by then.  A dump it started may go on: its later
	 * parts carry the old seq and are skipped; a dump asked for meanwhile
	 * gets EBUSY until they are read.
	 */
	while (sync ? !sync_done : !a->done) {
		ssize_t n = recv(nl->fd, nl->rx, RX_CAP, MSG_TRUNC);
		struct nlmsghdr *h;

		if (n > (ssize_t)RX_CAP) {
			fprintf(stderr, "%s: a %zd-byte answer did not fit the buffer\n", prog, n);
			exit(2);
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {	/* overrun: answers lost */
				cnt->err[ENOBUFS]++;
				return -ENOBUFS;
			}
			return -errno;
		}
		for (h = (struct nlmsghdr *)nl->rx; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (sync && h->nlmsg_seq == sync) {
				if (h->nlmsg_type == NLMSG_ERROR)
					sync_done = 1;
				continue;
			}
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				parse_error(h, a);
			} else if (h->nlmsg_type == NLMSG_DONE) {
				a->done = 1;
				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					a->err = -*(int *)NLMSG_DATA(h);
			} else if (h->nlmsg_type == fam_id &&
				   h->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN)) {
				const unsigned char *p = (const unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN;
				int len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
				const struct nlattr *at = (const struct nlattr *)p;

				if (!a->msgs && len >= 8 &&
				    (at->nla_type & NLA_TYPE_MASK) == PXEFAST_A_GENERATION) {
					memcpy(&a->gen, p + NLA_HDRLEN, 4);
					a->have_gen = 1;
				}
				a->msgs++;
				answer_add(a, p, len);
				if (max_msgs && a->msgs >= max_msgs)
					return 0;
			}
		}
	}
	return 0;
}

static int resolve_family(struct nl *nl)
{
	static unsigned char buf[256];
	struct msg m = { .b = buf };
	struct answer a = { 0 };
	uint32_t seq = ++nl_seq;

	msg_init(&m, CTRL_CMD_GETFAMILY, NLM_F_REQUEST | NLM_F_ACK);
	((struct genlmsghdr *)(m.b + NLMSG_HDRLEN))->version = 1;
	put(&m, CTRL_ATTR_FAMILY_NAME, PXEFAST_GENL_NAME, sizeof(PXEFAST_GENL_NAME));
	if (nl_send_raw(nl, &m, GENL_ID_CTRL, seq) < 0)
		return -1;
	/* The reply is a CTRL message: pick its id by hand. */
	for (;;) {
		ssize_t n = recv(nl->fd, nl->rx, RX_CAP, 0);
		struct nlmsghdr *h;

		if (n < 0)
			return -1;
		for (h = (struct nlmsghdr *)nl->rx; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				parse_error(h, &a);
				return a.err || !fam_id ? -1 : 0;
			}
			if (h->nlmsg_type == GENL_ID_CTRL) {
				const unsigned char *p = (const unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN;
				int len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
				const struct nlattr *at = (const struct nlattr *)p;

				while (len >= NLA_HDRLEN && at->nla_len >= NLA_HDRLEN &&
				       at->nla_len <= len) {
					if ((at->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
						memcpy(&fam_id, (const char *)at + NLA_HDRLEN, 2);
					len -= NLA_ALIGN(at->nla_len);
					at = (const struct nlattr *)((const char *)at + NLA_ALIGN(at->nla_len));
				}
			}
		}
	}
}

/* A valid, unmutated request: GET_STATS (the sync) or a GET_CONFIG dump. */
static void simple_request(struct msg *m, uint8_t cmd)
{
	msg_init(m, cmd, cmd == PXEFAST_CMD_GET_STATS ? NLM_F_ACK : NLM_F_DUMP);
}

/* Dump the configuration into A (caller frees a->dump).  0 or -1. */
static int dump_config(struct nl *nl, struct answer *a)
{
	static unsigned char buf[64];
	struct msg m = { .b = buf };
	uint32_t seq = ++nl_seq;

	memset(a, 0, sizeof(*a));
	a->dump_cap = 65536;
	a->dump = malloc(a->dump_cap);
	if (!a->dump)
		die("malloc");
	simple_request(&m, PXEFAST_CMD_GET_CONFIG);
	m.flags |= NLM_F_REQUEST;
	for (int tries = 0; tries < 100; tries++) {
		if (nl_send_raw(nl, &m, fam_id, seq) < 0 || nl_recv(nl, seq, a, 0, 0) < 0)
			break;
		if (a->err != EBUSY)
			break;
		/* A dump a garbled request started is still running: drain it. */
		while (recv(nl->fd, nl->rx, RX_CAP, MSG_DONTWAIT) > 0)
			;
		a->done = a->err = a->msgs = a->have_gen = 0;
		a->dump_len = 0;
		seq = ++nl_seq;
	}
	if (!a->done || a->err) {
		fprintf(stderr, "%s: GET_CONFIG dump failed: %s %s\n", prog,
			strerror(a->err ? a->err : errno), a->extack);
		return -1;
	}
	return 0;
}

static const char *cmd_name(uint8_t cmd)
{
	switch (cmd) {
	case PXEFAST_CMD_GET_CONFIG: return "GET_CONFIG";
	case PXEFAST_CMD_SET_CONFIG: return "SET_CONFIG";
	case PXEFAST_CMD_GET_STATS: return "GET_STATS";
	case PXEFAST_CMD_GET_SESSIONS: return "GET_SESSIONS";
	default: return "?";
	}
}

/*
 * Send one fuzz request and collect its answer, followed by a sync request
 * when the header may keep the kernel from answering.  0, or -1 when the
 * kernel did not answer in time (reported).
 */
static int exchange(struct nl *nl, struct msg *m, struct answer *a)
{
	static unsigned char sbuf[64];
	struct msg s = { .b = sbuf };
	uint32_t seq = ++nl_seq, sync = 0;
	int rc;

	memset(a, 0, sizeof(*a));
	if (!m->hdr_mutated)
		m->flags |= NLM_F_REQUEST | NLM_F_ACK;
	rc = nl_send_raw(nl, m, fam_id, seq);
	cnt->sent++;
	if (rc < 0) {
		/* Refused by the socket layer (too big for the buffer, ...) */
		a->done = 1;
		a->err = -rc;
		return 0;
	}
	if (m->hdr_mutated) {
		sync = ++nl_seq;
		simple_request(&s, PXEFAST_CMD_GET_STATS);
		s.flags |= NLM_F_REQUEST;
		if (nl_send_raw(nl, &s, fam_id, sync) < 0)
			die("send sync");
	}
	rc = nl_recv(nl, seq, a, sync, 0);
	if (rc == -ENOBUFS) {
		/* Answers were dropped: resynchronise with a fresh request. */
		memset(a, 0, sizeof(*a));
		a->done = 1;
		a->err = ENOBUFS;
		sync = ++nl_seq;
		simple_request(&s, PXEFAST_CMD_GET_STATS);
		s.flags |= NLM_F_REQUEST;
		if (nl_send_raw(nl, &s, fam_id, sync) < 0)
			die("send sync");
		rc = nl_recv(nl, 0, a, sync, 0);
	}
	if (rc < 0) {
		fail("no answer within %d s (recv: %s) to request seq %u: cmd %u (%s), flags %#x, "
		     "%zu bytes, %d mutations%s", RECV_TIMEOUT_S, strerror(-rc), seq, m->cmd,
		     cmd_name(m->cmd), m->flags, m->len, m->mutated,
		     m->hdr_mutated ? ", header mutated" : "");
		return -1;
	}
	if (sync && !a->done) {
		/* No answer of its own: a dropped header, or an ack not asked for. */
		a->done = 1;
		a->err = 0;
		a->msgs = -1;
	}
	if (a->err == 0)
		cnt->ok++;
	else
		cnt->refused++;
	if (a->err >= 0 && a->err < 160)
		cnt->err[a->err]++;
	return 0;
}

/* ------------------------------------------------------------------ fail-nth */

static int fail_nth_fd = -1;

static int fail_nth_open(void)
{
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	return fail_nth_fd < 0 ? -1 : 0;
}

static void fail_nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len)
		die("write fail-nth");
}

/* 1 when the armed fault was consumed (injected); disarms it either way. */
static int fail_nth_consumed(void)
{
	char buf[16] = "";
	int left;

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		die("read fail-nth");
	left = atoi(buf);
	if (left)
		fail_nth_set(0);
	return left == 0;
}

/* ------------------------------------------------------------------ modes */

static unsigned char *mbuf;

static int time_up(void)
{
	return time(NULL) >= deadline;
}

/*
 * seq / fault: one process, every answer checked.  FAULT: arm fail-nth for
 * each request (1..64, mostly small so that the early allocations are hit
 * often, every one of a long request now and then).
 */
static int run_checked(struct nl *nl, unsigned long n, int fault)
{
	struct msg m = { .b = mbuf };
	struct gen g = { .known_gen = 1 };
	struct answer a, before = { 0 }, after;
	int before_ok = 0;

	if (dump_config(nl, &before) < 0)
		return -1;
	before_ok = 1;
	g.generation = before.have_gen ? before.gen : 0;

	for (unsigned long i = 0; i < n && !time_up(); i++) {
		int check_all_or_nothing, injected = 0;

		/* seq: 1 in 4 valid; fault: 3 in 4 valid (reach deep paths). */
		if (fault ? chance(75) : chance(25))
			mut_pct = 0;
		else
			mut_pct = 5 + rn(40);
		gen_request(&m, &g);
		check_all_or_nothing = m.cmd == PXEFAST_CMD_SET_CONFIG &&
				       (fault || chance(15)) && !m.hdr_mutated;
		if (check_all_or_nothing && !before_ok) {
			free(before.dump);
			if (dump_config(nl, &before) < 0)
				return -1;
			before_ok = 1;
		}
		if (fault)
			fail_nth_set(1 + (chance(70) ? rn(8) : rn(64)));
		if (exchange(nl, &m, &a) < 0)
			return -1;
		if (fault) {
			injected = fail_nth_consumed();
			cnt->faults += injected;
		}
		if (verbose)
			fprintf(stderr, "%lu: %s len %zu mut %d must_fail %d -> %d %s%s\n", i,
				cmd_name(m.cmd), m.len, m.mutated, m.must_fail, a.err, a.extack,
				injected ? " (fault injected)" : "");
		if (m.cmd == PXEFAST_CMD_SET_CONFIG && !m.hdr_mutated && !m.mutated &&
		    !m.full && !injected && a.err)
			fail("valid SET_CONFIG #%lu (%zu bytes) refused: %s: %s", i, m.len,
			     strerror(a.err), a.extack);
		if (m.must_fail && !m.hdr_mutated && a.err == 0 && a.msgs >= 0)
			fail("SET_CONFIG #%lu with a mutation that must be refused was accepted", i);
		if (m.cmd == PXEFAST_CMD_SET_CONFIG && a.err == 0 && a.msgs > 0) {
			if (a.have_gen && a.gen == g.generation)
				fail("SET_CONFIG #%lu succeeded without a new generation (%u)",
				     i, a.gen);
			if (a.have_gen)
				g.generation = a.gen;
			before_ok = 0;
		} else if (m.cmd == PXEFAST_CMD_SET_CONFIG && a.err == 0) {
			before_ok = 0;	/* accepted without a reply (header games) */
			g.known_gen = 0;
		}
		if (check_all_or_nothing && a.err && before_ok) {
			if (dump_config(nl, &after) < 0)
				return -1;
			if (after.dump_len != before.dump_len ||
			    memcmp(after.dump, before.dump, after.dump_len))
				fail("refused SET_CONFIG #%lu (%s: %s%s) changed the configuration "
				     "(dump %zu -> %zu bytes)", i, strerror(a.err), a.extack,
				     injected ? ", fault injected" : "",
				     before.dump_len, after.dump_len);
			free(after.dump);
		}
		if (!g.known_gen) {
			/* Learn the generation again. */
			free(before.dump);
			if (dump_config(nl, &before) < 0)
				return -1;
			before_ok = 1;
			g.generation = before.have_gen ? before.gen : 0;
			g.known_gen = 1;
		}
	}
	free(before.dump);
	return 0;
}

/* conc, mutator: random requests, answers only have to come. */
static void worker_mutator(struct nl *nl, unsigned long n)
{
	struct msg m = { .b = mbuf };
	struct gen g = { 0 };
	struct answer a;

	for (unsigned long i = 0; i < n && !time_up(); i++) {
		mut_pct = chance(30) ? 0 : 5 + rn(40);
		gen_request(&m, &g);
		if (exchange(nl, &m, &a) < 0)
			return;
	}
}

/* conc, reader: dumps read slowly or abandoned half way, stats cleared. */
static void worker_reader(struct nl *nl, unsigned long n)
{
	struct msg m = { .b = mbuf };
	struct answer a;

	for (unsigned long i = 0; i < n && !time_up(); i++) {
		uint32_t seq = ++nl_seq;
		int r = rn(10);

		if (r < 6) {
			simple_request(&m, r < 4 ? PXEFAST_CMD_GET_CONFIG : PXEFAST_CMD_GET_SESSIONS);
			m.flags |= NLM_F_REQUEST | NLM_F_ACK;
			memset(&a, 0, sizeof(a));
			if (nl_send_raw(nl, &m, fam_id, seq) < 0)
				die("send");
			cnt->sent++;
			if (chance(30)) {
				/* Leave the dump after one message: close the socket. */
				nl_recv(nl, seq, &a, 0, 1);
				nl_close(nl);
				if (nl_open(nl) < 0)
					die("netlink socket");
				cnt->abandoned++;
				continue;
			}
			if (nl_recv(nl, seq, &a, 0, 0) < 0) {
				fail("dump without an answer in %d s", RECV_TIMEOUT_S);
				return;
			}
			if (a.err)
				cnt->refused++;
			else
				cnt->ok++;
		} else {
			simple_request(&m, PXEFAST_CMD_GET_STATS);
			if (chance(50))
				put(&m, PXEFAST_A_STATS_CLEAR, NULL, 0);
			mut_pct = 0;
			if (exchange(nl, &m, &a) < 0)
				return;
		}
	}
}

/*
 * conc, netns churn: a new namespace, configured, dumped, changed while a
 * dump is half read, then left (socket closed) so that it is torn down with
 * pxefast's state in it.
 */
static void worker_netns(struct nl *nl, unsigned long n)
{
	struct msg m = { .b = mbuf };
	struct gen g = { 0 };
	struct answer a;
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	unsigned long i = 0;

	if (home < 0)
		die("open /proc/self/ns/net");
	while (i < n && !time_up()) {
		struct nl inner = { .fd = -1, .rx = nl->rx };
		uint32_t seq;

		if (unshare(CLONE_NEWNET) < 0)
			die("unshare(CLONE_NEWNET)");
		if (nl_open(&inner) < 0)
			die("netlink socket");
		for (int k = 1 + rn(6); k > 0 && i < n; k--, i++) {
			mut_pct = chance(60) ? 0 : 5 + rn(30);
			n_ifs = 0;	/* no interfaces in there */
			msg_init(&m, PXEFAST_CMD_SET_CONFIG, 0);
			gen_set_config(&m, &g);
			if (exchange(&inner, &m, &a) < 0)
				return;
		}
		/* A dump left half way, then the namespace goes. */
		seq = ++nl_seq;
		simple_request(&m, chance(50) ? PXEFAST_CMD_GET_CONFIG : PXEFAST_CMD_GET_SESSIONS);
		m.flags |= NLM_F_REQUEST;
		if (nl_send_raw(&inner, &m, fam_id, seq) == 0) {
			cnt->sent++;
			i++;
			memset(&a, 0, sizeof(a));
			if (chance(50))
				nl_recv(&inner, seq, &a, 0, 1);
			cnt->abandoned++;
		}
		if (setns(home, CLONE_NEWNET) < 0)
			die("setns");
		nl_close(&inner);
		cnt->netns++;
	}
	close(home);
}

/* ------------------------------------------------------------------ main */

static struct counts *shared;

static void print_counts(const char *mode, struct counts *c, double secs)
{
	printf("%s: %s: %lu messages in %.0f s: %lu accepted, %lu refused, %lu faults injected, "
	       "%lu namespaces torn down, %lu dumps abandoned, %lu oracle failures\n",
	       prog, mode, c->sent, secs, c->ok, c->refused, c->faults, c->netns,
	       c->abandoned, c->oracle_fail);
	printf("%s: %s: errors:", prog, mode);
	for (int e = 1; e < 160; e++)
		if (c->err[e])
			printf(" %s=%lu", strerrorname_np(e) ?: "?", c->err[e]);
	printf("\n");
	fflush(stdout);
}

static void sum_into(struct counts *dst, const struct counts *src)
{
	dst->sent += src->sent;
	dst->ok += src->ok;
	dst->refused += src->refused;
	dst->faults += src->faults;
	dst->netns += src->netns;
	dst->abandoned += src->abandoned;
	dst->oracle_fail += src->oracle_fail;
	for (int e = 0; e < 160; e++)
		dst->err[e] += src->err[e];
}

static int family_alive(struct nl *nl)
{
	struct answer a;

	if (dump_config(nl, &a) < 0)
		return 0;
	free(a.dump);
	return 1;
}

static int run_conc(uint64_t seed, unsigned long n, int procs)
{
	pid_t pids[64];
	int bad = 0;

	for (int p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0)
			die("fork");
		if (pids[p] == 0) {
			struct nl nl = { .fd = -1 };
			unsigned long share = n / procs + (p < (int)(n % procs));

			cnt = &shared[1 + p];
			rng = seed ^ (0x51ed27ull * (p + 1));
			if (nl_open(&nl) < 0)
				die("netlink socket");
			if (p == procs - 1) {
				role = "conc netns churn";
				worker_netns(&nl, share);
			} else if (p % 2) {
				role = "conc reader";
				worker_reader(&nl, share);
			} else {
				role = "conc mutator";
				worker_mutator(&nl, share);
			}
			_exit(0);
		}
	}
	for (int p = 0; p < procs; p++) {
		int st;

		if (waitpid(pids[p], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "%s: conc worker %d ended badly (status %#x)\n", prog, p, st);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: %s [-s SEED] [-n MESSAGES] [-m seq|conc|fault|all] [-p PROCS]\n"
		"       [-t SECONDS] [-r ROOT] [-i IFNAME]... [-v]\n", prog);
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	unsigned long n = 10000;
	const char *mode = "all";
	int procs = 4, secs = 1800, opt, rc = 0;
	struct nl nl = { .fd = -1 };
	struct timespec t0, t1;
	struct counts total = { 0 };

	while ((opt = getopt(argc, argv, "s:n:m:p:t:r:i:v")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 'm': mode = optarg; break;
		case 'p': procs = atoi(optarg); break;
		case 't': secs = atoi(optarg); break;
		case 'r': tftp_root = optarg; break;
		case 'i':
			if (n_ifs == MAX_IFS || strlen(optarg) >= 16)
				return usage();
			ifnames[n_ifs++] = optarg;
			break;
		case 'v': verbose = 1; break;
		default: return usage();
		}
	}
	if (procs < 3 || procs > 64 || secs <= 0 ||
	    (strcmp(mode, "seq") && strcmp(mode, "conc") && strcmp(mode, "fault") &&
	     strcmp(mode, "all")))
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("%s: seed %llu (replay: -s %llu -n %lu -m %s -p %d)\n", prog,
	       (unsigned long long)seed, (unsigned long long)seed, n, mode, procs);

	shared = mmap(NULL, sizeof(struct counts) * 66, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	mbuf = malloc(MSG_CAP + 64);
	if (shared == MAP_FAILED || !mbuf)
		die("memory");
	cnt = &shared[0];
	rng = seed;
	deadline = time(NULL) + secs;
	signal(SIGPIPE, SIG_IGN);

	if (nl_open(&nl) < 0)
		die("netlink socket");
	if (resolve_family(&nl) < 0) {
		fprintf(stderr, "%s: family %s not registered\n", prog, PXEFAST_GENL_NAME);
		return 3;
	}
	if ((!strcmp(mode, "fault") || !strcmp(mode, "all")) && fail_nth_open() < 0) {
		if (!strcmp(mode, "fault")) {
			fprintf(stderr, "%s: no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)\n",
				prog);
			return 4;
		}
		printf("%s: no fail-nth here: fault phase skipped\n", prog);
	}

	if (!strcmp(mode, "seq") || !strcmp(mode, "all")) {
		unsigned long k = strcmp(mode, "all") ? n : n / 2;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (run_checked(&nl, k, 0) < 0)
			rc = 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		print_counts("seq", cnt, t1.tv_sec - t0.tv_sec);
		sum_into(&total, cnt);
		memset(cnt, 0, sizeof(*cnt));
	}
	if (!rc && (!strcmp(mode, "conc") || !strcmp(mode, "all"))) {
		unsigned long k = strcmp(mode, "all") ? n : n * 3 / 10;
		struct counts c = { 0 };

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (run_conc(rnd(), k, procs) < 0)
			rc = 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		for (int p = 1; p <= procs; p++)
			sum_into(&c, &shared[p]);
		print_counts("conc", &c, t1.tv_sec - t0.tv_sec);
		sum_into(&total, &c);
	}
	if (!rc && fail_nth_fd >= 0 && (!strcmp(mode, "fault") || !strcmp(mode, "all"))) {
		unsigned long k = strcmp(mode, "all") ? n : n - n / 2 - n * 3 / 10;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		role = "fault";
		if (run_checked(&nl, k, 1) < 0)
			rc = 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		print_counts("fault", cnt, t1.tv_sec - t0.tv_sec);
		if (k && !cnt->faults) {
			fprintf(stderr, "%s: fault mode injected no fault: is fail-nth "
				"filtered away from pxefast (debugfs failslab/fail_page_alloc)?\n", prog);
			rc = 1;
		}
		sum_into(&total, cnt);
	}
	if (!family_alive(&nl)) {
		fprintf(stderr, "%s: the family no longer answers a GET_CONFIG dump\n", prog);
		rc = 1;
	}
	if (total.oracle_fail)
		rc = 1;
	print_counts("total", &total, 0);
	printf("%s: %s (seed %llu)\n", prog, rc ? "FAILED" : "passed", (unsigned long long)seed);
	return rc;
}
