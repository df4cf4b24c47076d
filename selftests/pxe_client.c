// SPDX-License-Identifier: GPL-2.0
/*
 * pxe_client: send the DHCP packets real PXE firmware sends and print the
 * replies, for pxefast's selftests.  Also a mutation fuzzer (-F).
 *
 * Profiles replay the options captured from real firmware booting under
 * QEMU (the profile table below lists them per client): SeaBIOS's iPXE
 * ROM, OVMF's EDK2 PxeBcDxe, iPXE's EFI build, and a plain non-PXE DHCP
 * client.  "edk2-http" is EDK2's HttpBootDxe (UEFI HTTP boot) as its
 * source builds the DISCOVER (HttpBootDhcp4.c: HttpBootBuildDhcp4Options,
 * edk2-stable202211, what Debian 12's OVMF is).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BOOTP_FIXED	236
#define MAGIC		0x63825363

struct pkt {
	uint8_t b[1500];
	size_t len;
};

struct opts {
	const char *iface;
	const char *profile;
	int type;			/* DHCP message type */
	uint16_t dport, sport;
	struct in_addr dst, server_id, ciaddr, reqip;
	uint8_t mac[6];
	uint8_t uuid[16];
	bool have_uuid;
	int arch;			/* -1: profile's */
	int item_type, item_layer;	/* -1: none */
	bool bcast_flag;
	int wait_ms;
	int count;			/* replies to collect */
	bool expect_none;
	long fuzz;
	unsigned int seed;
	uint32_t xid;
	const char *user_class;		/* overrides the profile's 77 */
	bool rfc3004;
};

static void die(const char *msg)
{
	perror(msg);
	exit(2);
}

static void put_opt(struct pkt *p, uint8_t code, const void *data, size_t len)
{
	if (p->len + 2 + len > sizeof(p->b)) {
		fprintf(stderr, "packet too long\n");
		exit(2);
	}
	p->b[p->len++] = code;
	p->b[p->len++] = (uint8_t)len;
	memcpy(p->b + p->len, data, len);
	p->len += len;
}

static void put_u8(struct pkt *p, uint8_t code, uint8_t v)
{
	put_opt(p, code, &v, 1);
}

static void put_u16(struct pkt *p, uint8_t code, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	put_opt(p, code, b, 2);
}

/* Build the request the chosen firmware would send. */
static void build(const struct opts *o, struct pkt *p)
{
	bool ipxe = !strncmp(o->profile, "ipxe", 4);
	bool http = !strcmp(o->profile, "edk2-http");
	bool edk2 = !strcmp(o->profile, "edk2") || http;
	bool plain = !strcmp(o->profile, "plain");
	int arch = o->arch >= 0 ? o->arch :
		   !strcmp(o->profile, "ipxe-bios") ? 0 : http ? 16 : 7;
	uint32_t magic = htonl(MAGIC);
	char vclass[64];

	memset(p, 0, sizeof(*p));
	p->b[0] = 1;			/* BOOTREQUEST */
	p->b[1] = 1;			/* Ethernet */
	p->b[2] = 6;
	memcpy(p->b + 4, &o->xid, 4);
	if (o->bcast_flag || edk2)
		p->b[10] = 0x80;
	memcpy(p->b + 12, &o->ciaddr, 4);
	memcpy(p->b + 28, o->mac, 6);
	memcpy(p->b + BOOTP_FIXED, &magic, 4);
	p->len = BOOTP_FIXED + 4;

	put_u8(p, 53, o->type);
	if (o->server_id.s_addr)
		put_opt(p, 54, &o->server_id, 4);
	if (o->reqip.s_addr)
		put_opt(p, 50, &o->reqip, 4);
	if (plain) {
		static const uint8_t prl[] = { 1, 3, 6, 15, 28, 51, 58, 59 };

		put_opt(p, 55, prl, sizeof(prl));
		put_opt(p, 60, "udhcp 1.35.0", 12);
		p->b[p->len++] = 255;
		return;
	}
	put_u16(p, 57, (edk2 && o->type != 1) ? 65280 : 1472);
	if (ipxe) {
		static const uint8_t prl[] = { 1, 3, 6, 7, 12, 15, 17, 26, 43,
					       60, 66, 67, 119, 128, 129, 130,
					       131, 132, 133, 134, 135, 175, 203 };
		static const uint8_t ipxe_encap[] = { 177, 5, 1, 0x80, 0x86,
						      0x10, 0x0e, 16, 1, 1 };

		put_u16(p, 93, arch);
		put_opt(p, 94, arch ? "\x01\x03\x0a" : "\x01\x02\x01", 3);
		snprintf(vclass, sizeof(vclass), "PXEClient:Arch:%05d:UNDI:%s",
			 arch, arch ? "003010" : "002001");
		put_opt(p, 60, vclass, strlen(vclass));
		if (!o->user_class)
			put_opt(p, 77, "iPXE", 4);
		put_opt(p, 55, prl, sizeof(prl));
		put_opt(p, 175, ipxe_encap, sizeof(ipxe_encap));
		{
			uint8_t cid[7] = { 1 };

			memcpy(cid + 1, o->mac, 6);
			put_opt(p, 61, cid, sizeof(cid));
		}
	} else if (http) {
		/*
		 * 27 codes; HttpBootDxe never writes the 25th, so it is
		 * whatever its stack held (0 here).
		 */
		static const uint8_t prl[] = { 1, 2, 3, 4, 5, 6, 12, 13, 15,
					       17, 18, 22, 23, 28, 40, 41, 42,
					       43, 50, 51, 54, 58, 59, 60, 0,
					       67, 97 };

		put_opt(p, 55, prl, sizeof(prl));
	} else {
		static const uint8_t prl[] = { 1, 2, 3, 4, 5, 6, 12, 13, 15,
					       17, 18, 22, 23, 28, 40, 41, 42,
					       43, 50, 51, 54, 58, 59, 60, 66,
					       67, 97, 128, 129, 130, 131, 132,
					       133, 134, 135 };

		put_opt(p, 55, prl, sizeof(prl));
	}
	if (o->user_class && *o->user_class) {
		uint8_t uc[130];
		size_t l = strlen(o->user_class);

		if (l > 128)
			l = 128;
		if (o->rfc3004) {
			uc[0] = (uint8_t)l;
			memcpy(uc + 1, o->user_class, l);
			put_opt(p, 77, uc, l + 1);
		} else {
			put_opt(p, 77, o->user_class, l);
		}
	}
	{
		uint8_t u[17] = { 0 };

		memcpy(u + 1, o->uuid, 16);
		put_opt(p, 97, u, sizeof(u));
	}
	if (edk2) {
		put_opt(p, 94, "\x01\x03\x00", 3);
		put_u16(p, 93, arch);
		snprintf(vclass, sizeof(vclass), "%s:Arch:%05d:UNDI:003000",
			 http ? "HTTPClient" : "PXEClient", arch);
		put_opt(p, 60, vclass, strlen(vclass));
	}
	if (o->item_type >= 0) {
		uint8_t v[8] = { 71, 4, o->item_type >> 8, o->item_type & 0xff,
				 o->item_layer >> 8, o->item_layer & 0xff, 255 };

		put_opt(p, 43, v, 7);
	}
	p->b[p->len++] = 255;
}

/* Mutate a copy of @base: the kinds of damage a parser must survive. */
static void mutate(const struct pkt *base, struct pkt *p)
{
	size_t i, n;

	*p = *base;
	switch (rand() % 8) {
	case 0:	/* truncate anywhere */
		p->len = rand() % (base->len + 1);
		break;
	case 1:	/* flip bytes in the options */
		n = 1 + rand() % 8;
		for (i = 0; i < n; i++)
			p->b[BOOTP_FIXED + 4 + rand() % (p->len - BOOTP_FIXED - 4)] ^=
				1 << (rand() % 8);
		break;
	case 2:	/* an option length pointing past the end */
		for (i = BOOTP_FIXED + 4; i + 1 < p->len;) {
			if (p->b[i] == 0 || p->b[i] == 255)
				break;
			if (rand() % 4 == 0) {
				p->b[i + 1] = 0xff - rand() % 16;
				break;
			}
			i += 2 + p->b[i + 1];
		}
		break;
	case 3:	/* header fields */
		p->b[1] = rand() % 4;
		p->b[2] = rand() % 32;
		break;
	case 4:	/* cookie */
		p->b[BOOTP_FIXED + rand() % 4] ^= 0x55;
		break;
	case 5:	/* no END, options run to the end of the datagram */
		p->len--;
		break;
	case 6:	/* random garbage after the cookie */
		for (i = BOOTP_FIXED + 4; i < p->len; i++)
			p->b[i] = rand();
		break;
	default: /* random bytes anywhere, any length */
		p->len = rand() % sizeof(p->b);
		for (i = 0; i < p->len; i++)
			if (rand() % 4 == 0)
				p->b[i] = rand();
		break;
	}
}

static void print_hex(const uint8_t *d, size_t n)
{
	while (n--)
		printf("%02x", *d++);
}

/* Print a reply as key=value lines, one block per reply. */
static void print_reply(const uint8_t *b, size_t len, const struct sockaddr_in *from,
			struct in_addr dst)
{
	struct in_addr a;
	size_t i;

	printf("from=%s:%u\n", inet_ntoa(from->sin_addr), ntohs(from->sin_port));
	printf("to=%s\n", inet_ntoa(dst));
	printf("len=%zu\n", len);
	if (len < BOOTP_FIXED + 4) {
		printf("short=1\n\n");
		return;
	}
	printf("op=%u\n", b[0]);
	printf("flags=%04x\n", b[10] << 8 | b[11]);
	memcpy(&a, b + 16, 4);
	printf("yiaddr=%s\n", inet_ntoa(a));
	memcpy(&a, b + 20, 4);
	printf("siaddr=%s\n", inet_ntoa(a));
	printf("chaddr=%02x:%02x:%02x:%02x:%02x:%02x\n", b[28], b[29], b[30],
	       b[31], b[32], b[33]);
	printf("file=%.128s\n", (const char *)b + 108);
	for (i = BOOTP_FIXED + 4; i < len;) {
		uint8_t code = b[i], olen;
		const uint8_t *d;

		if (code == 0) {
			i++;
			continue;
		}
		if (code == 255 || i + 1 >= len)
			break;
		olen = b[i + 1];
		d = b + i + 2;
		if (i + 2 + olen > len) {
			printf("badopt=%u\n", code);
			break;
		}
		switch (code) {
		case 53:
			printf("msgtype=%u\n", d[0]);
			break;
		case 54:
			memcpy(&a, d, 4);
			printf("server-id=%s\n", inet_ntoa(a));
			break;
		case 60:
			printf("vendor-class=%.*s\n", olen, d);
			break;
		case 67:
			printf("opt67=%.*s\n", olen, d);
			break;
		case 97:
			printf("uuid=");
			print_hex(d, olen);
			printf("\n");
			break;
		case 43: {
			size_t j = 0;

			while (j + 1 < olen && d[j] != 255) {
				printf("opt43.%u=", d[j]);
				print_hex(d + j + 2, d[j + 1]);
				printf("\n");
				j += 2 + d[j + 1];
			}
			break;
		}
		default:
			printf("opt%u=", code);
			print_hex(d, olen);
			printf("\n");
		}
		i += 2 + olen;
	}
	printf("\n");
	fflush(stdout);
}

static int parse_mac(const char *s, uint8_t *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

static int parse_uuid(const char *s, uint8_t *u)
{
	int i;

	for (i = 0; i < 16; i++) {
		if (*s == '-')
			s++;
		if (sscanf(s, "%2hhx", &u[i]) != 1)
			return -1;
		s += 2;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: pxe_client -i IFACE [-p ipxe-bios|edk2|edk2-http|ipxe-efi|plain]\n"
		"  [-t discover|request|inform] [-d DPORT] [-S SPORT] [-s DST]\n"
		"  [-e SERVER_ID] [-c CIADDR] [-r REQUESTED_IP] [-m MAC] [-u UUID]\n"
		"  [-a ARCH]\n"
		"  [-I TYPE:LAYER] [-U USERCLASS [-3]] [-B] [-w MS] [-C COUNT]\n"
		"  [-n] [-F N [-R SEED]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = {
		.profile = "ipxe-bios", .type = 1, .dport = 67, .sport = 68,
		.mac = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 },
		.arch = -1, .item_type = -1, .wait_ms = 2000, .count = 1,
		.seed = 1,
	};
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct pkt p;
	int fd, c, one = 1, got = 0;

	o.dst.s_addr = htonl(INADDR_BROADCAST);
	while ((c = getopt(argc, argv, "i:p:t:d:S:s:e:c:r:m:u:a:I:U:3Bw:C:nF:R:")) != -1) {
		switch (c) {
		case 'i': o.iface = optarg; break;
		case 'p': o.profile = optarg; break;
		case 't':
			o.type = !strcmp(optarg, "request") ? 3 :
				 !strcmp(optarg, "inform") ? 8 : 1;
			break;
		case 'd': o.dport = atoi(optarg); break;
		case 'S': o.sport = atoi(optarg); break;
		case 's': if (!inet_aton(optarg, &o.dst)) usage(); break;
		case 'e': if (!inet_aton(optarg, &o.server_id)) usage(); break;
		case 'c': if (!inet_aton(optarg, &o.ciaddr)) usage(); break;
		case 'r': if (!inet_aton(optarg, &o.reqip)) usage(); break;
		case 'm': if (parse_mac(optarg, o.mac)) usage(); break;
		case 'u': if (parse_uuid(optarg, o.uuid)) usage(); o.have_uuid = true; break;
		case 'a': o.arch = atoi(optarg); break;
		case 'I':
			if (sscanf(optarg, "%i:%i", &o.item_type, &o.item_layer) != 2)
				usage();
			break;
		case 'U': o.user_class = optarg; break;
		case '3': o.rfc3004 = true; break;
		case 'B': o.bcast_flag = true; break;
		case 'w': o.wait_ms = atoi(optarg); break;
		case 'C': o.count = atoi(optarg); break;
		case 'n': o.expect_none = true; break;
		case 'F': o.fuzz = atol(optarg); break;
		case 'R': o.seed = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (!o.iface)
		usage();
	srand(o.seed);
	o.xid = (uint32_t)rand() ^ (uint32_t)getpid();

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o.iface, strlen(o.iface) + 1))
		die("setsockopt");
	sin.sin_port = htons(o.sport);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("bind");
	sin.sin_addr = o.dst;
	sin.sin_port = htons(o.dport);

	build(&o, &p);
	if (o.fuzz) {
		struct pkt m;
		long i, sent = 0;

		for (i = 0; i < o.fuzz; i++) {
			mutate(&p, &m);
			if (sendto(fd, m.b, m.len, 0, (struct sockaddr *)&sin,
				   sizeof(sin)) == (ssize_t)m.len)
				sent++;
			else if (errno != ENOBUFS && errno != EAGAIN)
				die("sendto");
		}
		printf("fuzzed=%ld sent=%ld\n", o.fuzz, sent);
		return 0;
	}
	if (sendto(fd, p.b, p.len, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("sendto");

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint8_t buf[2048], cbuf[256];
		struct sockaddr_in from;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct in_addr dst = { 0 };
		struct cmsghdr *cm;
		ssize_t n;

		if (poll(&pfd, 1, o.wait_ms) <= 0)
			break;
		n = recvmsg(fd, &mh, 0);
		if (n < 0)
			die("recvmsg");
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO)
				dst = ((struct in_pktinfo *)CMSG_DATA(cm))->ipi_addr;
		/* Only answers to this request. */
		if (n < BOOTP_FIXED || buf[0] != 2 || memcmp(buf + 4, &o.xid, 4))
			continue;
		print_reply(buf, n, &from, dst);
		if (++got >= o.count)
			break;
	}
	close(fd);
	if (o.expect_none)
		return got ? 1 : 0;
	return got ? 0 : 1;
}
