// SPDX-License-Identifier: GPL-2.0
/*
 * dhcp_load: proxy DHCP load generator for pxefast's benchmarks.
 *
 * Sends PXE DHCPDISCOVERs as an iPXE BIOS ROM does (options 53, 57, 93 = 0,
 * 94, 60 "PXEClient:Arch:00000:UNDI:002001", 77 "iPXE", 55, 97), each from a
 * random MAC with its own xid, broadcast to port 67 from 0.0.0.0:68, for T
 * seconds.  With -R RATE they go out at that rate (open loop); without, as
 * fast as the window of -o outstanding requests allows (a request not
 * answered within -W ms is given up and replaced), in batches of up to -b
 * (sendmmsg/recvmmsg: fewer system calls per request, so that one client
 * CPU offers more load).  Replies are matched by
 * xid; an answer counts when it is a DHCPOFFER with yiaddr 0.0.0.0 and
 * option 60 "PXEClient" (a proxy offer).
 *
 * Output: one line of key=value pairs beginning with "RESULT", and one
 * beginning with "CPU": the guest's busy CPU time during the run and, with
 * -S CPU, that of the server's CPU (whatever ran there: the server process,
 * softirq work, NAPI threads), from which the server's CPU time per answer
 * follows whether or not this load generator is the bottleneck.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
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

#include "common.h"

#define SLOTS	65536			/* xid low 16 bits index the table */
#define BATCH_MAX 64			/* requests or replies per system call */
#define PKT_MAX	1500

struct slot {
	double sent;			/* 0: free */
	uint32_t xid;
};

static struct slot tab[SLOTS];
static double *lat;
static size_t nlat, cap_lat;

static size_t opt(uint8_t *p, size_t o, uint8_t code, const void *d, uint8_t len)
{
	p[o++] = code;
	p[o++] = len;
	memcpy(p + o, d, len);
	return o + len;
}

/* One DISCOVER as an iPXE BIOS ROM sends it. */
static size_t discover(uint8_t *p, uint32_t xid, const uint8_t mac[6])
{
	static const uint8_t prl[] = { 1, 3, 6, 7, 12, 15, 17, 26, 43, 60, 66, 67,
				       119, 128, 129, 130, 131, 132, 133, 134, 135,
				       175, 203 };
	static const char vc[] = "PXEClient:Arch:00000:UNDI:002001";
	uint8_t guid[17] = { 0 };
	uint8_t u8;
	size_t o;

	memset(p, 0, 300);
	p[0] = 1;			/* BOOTREQUEST */
	p[1] = 1;			/* Ethernet */
	p[2] = 6;
	memcpy(p + 4, &xid, 4);
	p[10] = 0x80;			/* broadcast flag */
	memcpy(p + 28, mac, 6);
	p[236] = 99; p[237] = 130; p[238] = 83; p[239] = 99;
	o = 240;
	u8 = 1;
	o = opt(p, o, 53, &u8, 1);
	o = opt(p, o, 57, "\x05\xc0", 2);			/* 1472 */
	o = opt(p, o, 93, "\x00\x00", 2);			/* x86 BIOS */
	o = opt(p, o, 94, "\x01\x02\x01", 3);			/* UNDI 2.1 */
	o = opt(p, o, 60, vc, sizeof(vc) - 1);
	o = opt(p, o, 77, "iPXE", 4);
	o = opt(p, o, 55, prl, sizeof(prl));
	memcpy(guid + 1, mac, 6);				/* type 0 + UUID */
	memcpy(guid + 7, mac, 6);
	o = opt(p, o, 97, guid, sizeof(guid));
	p[o++] = 255;
	while (o < 300)
		p[o++] = 0;
	return o;
}

/* A proxy offer: BOOTREPLY, yiaddr 0, type OFFER, option 60 PXEClient. */
static bool proxy_offer(const uint8_t *p, size_t n)
{
	size_t o = 240;
	bool offer = false, pxe = false;

	if (n < 241 || p[0] != 2 || p[236] != 99 || p[237] != 130 ||
	    p[238] != 83 || p[239] != 99)
		return false;
	if (p[16] | p[17] | p[18] | p[19])
		return false;
	while (o < n && p[o] != 255) {
		uint8_t c = p[o], l;

		if (c == 0) {
			o++;
			continue;
		}
		if (o + 1 >= n)
			return false;
		l = p[o + 1];
		if (o + 2 + l > n)
			return false;
		if (c == 53 && l == 1 && p[o + 2] == 2)
			offer = true;
		if (c == 60 && l >= 9 && !memcmp(p + o + 2, "PXEClient", 9))
			pxe = true;
		o += 2 + l;
	}
	return offer && pxe;
}

int main(int argc, char **argv)
{
	const char *iface = NULL;
	double secs = 5, rate = 0, wait_s = 0.2, t0, t, next_send, p50, p99;
	double g0, s0, g1, s1;
	int outstanding = 64, c, fd, on = 1, inflight = 0, srv_cpu = -1;
	uint64_t sent = 0, good = 0, other = 0, lost = 0;
	uint32_t seq = 0, base;
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(68) };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(67),
				  .sin_addr.s_addr = INADDR_BROADCAST };
	static uint8_t pkts[BATCH_MAX][PKT_MAX], rpkts[BATCH_MAX][PKT_MAX];
	struct mmsghdr msgs[BATCH_MAX], rmsgs[BATCH_MAX];
	struct iovec iovs[BATCH_MAX], riovs[BATCH_MAX];
	uint32_t xids[BATCH_MAX];
	int sz = 4 << 20, batch = 32;

	while ((c = getopt(argc, argv, "i:T:R:o:W:S:b:")) != -1) {
		switch (c) {
		case 'i': iface = optarg; break;
		case 'T': secs = atof(optarg); break;
		case 'R': rate = atof(optarg); break;
		case 'o': outstanding = atoi(optarg); break;
		case 'W': wait_s = atoi(optarg) / 1000.0; break;
		case 'S': srv_cpu = atoi(optarg); break;
		case 'b': batch = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: dhcp_load [-i IFACE] [-T SECONDS] [-R RATE | -o OUTSTANDING] [-W WAIT_MS] [-S SERVER_CPU] [-b BATCH]\n");
			return 2;
		}
	}
	if (outstanding < 1 || outstanding > SLOTS / 2)
		outstanding = 64;
	if (batch < 1 || batch > BATCH_MAX)
		batch = 32;
	srandom(getpid() ^ (unsigned int)time(NULL));
	base = (uint32_t)random() << 16;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (iface && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface, strlen(iface) + 1) < 0)
		die("SO_BINDTODEVICE");
	if (bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		die("bind 0.0.0.0:68");
	for (c = 0; c < BATCH_MAX; c++) {
		riovs[c] = (struct iovec) { .iov_base = rpkts[c], .iov_len = PKT_MAX };
		rmsgs[c].msg_hdr = (struct msghdr) { .msg_iov = &riovs[c], .msg_iovlen = 1 };
	}
	cap_lat = 1 << 16;
	lat = malloc(cap_lat * sizeof(*lat));
	if (!lat)
		die("malloc");

	g0 = cpu_idle(-1);
	s0 = cpu_idle(srv_cpu);
	t0 = next_send = now();
	while ((t = now()) - t0 < secs) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int timeout_ms = 1;

		/* send what the rate or the window allows, a batch at a time */
		for (;;) {
			int k = 0, got, i;

			while (k < batch &&
			       (rate > 0 ? t >= next_send : inflight + k < outstanding)) {
				struct slot *sl = &tab[seq & (SLOTS - 1)];
				uint8_t mac[6];
				uint32_t r;

				if (sl->sent) {	/* its slot is still waited for */
					sl->sent = 0;
					lost++;
					inflight--;
				}
				xids[k] = base | (seq & 0xffff);
				seq++;
				r = random();
				mac[0] = 0x02;
				mac[1] = 0x42;
				memcpy(mac + 2, &r, 4);
				iovs[k].iov_base = pkts[k];
				iovs[k].iov_len = discover(pkts[k], htonl(xids[k]), mac);
				msgs[k].msg_hdr = (struct msghdr) {
					.msg_name = &to, .msg_namelen = sizeof(to),
					.msg_iov = &iovs[k], .msg_iovlen = 1,
				};
				k++;
				if (rate > 0)
					next_send += 1.0 / rate;
			}
			if (!k)
				break;
			t = now();
			got = sendmmsg(fd, msgs, k, 0);
			if (got < 0) {
				if (errno != EAGAIN && errno != ENOBUFS)
					die("sendmmsg");
				got = 0;
			}
			for (i = 0; i < got; i++) {
				struct slot *sl = &tab[xids[i] & (SLOTS - 1)];

				sl->sent = t;
				sl->xid = xids[i];
			}
			sent += got;
			inflight += got;
			seq -= k - got;		/* not sent: their numbers again */
			if (got < k)
				break;
		}
		if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR)
			die("poll");
		for (;;) {
			int n = recvmmsg(fd, rmsgs, batch, MSG_DONTWAIT, NULL), i;

			if (n <= 0)
				break;
			t = now();
			for (i = 0; i < n; i++) {
				const uint8_t *pkt = rpkts[i];
				size_t len = rmsgs[i].msg_len;
				struct slot *sl;
				uint32_t xid;

				if (len < 240 || pkt[0] != 2)
					continue;	/* not a BOOTREPLY */
				memcpy(&xid, pkt + 4, 4);
				xid = ntohl(xid);
				sl = &tab[xid & (SLOTS - 1)];
				if (!sl->sent || sl->xid != xid || !proxy_offer(pkt, len)) {
					other++;
					continue;
				}
				if (nlat == cap_lat) {
					cap_lat *= 2;
					lat = realloc(lat, cap_lat * sizeof(*lat));
					if (!lat)
						die("realloc");
				}
				lat[nlat++] = t - sl->sent;
				sl->sent = 0;
				good++;
				inflight--;
			}
			if (n < batch)
				break;
		}
		/* give up on requests not answered in time */
		if (rate <= 0 && inflight >= outstanding) {
			uint32_t i;

			t = now();
			for (i = seq - outstanding * 2; i != seq; i++) {
				struct slot *sl = &tab[i & (SLOTS - 1)];

				if (sl->sent && t - sl->sent > wait_s) {
					sl->sent = 0;
					lost++;
					inflight--;
				}
			}
		}
	}
	t = now() - t0;
	g1 = cpu_idle(-1);
	s1 = cpu_idle(srv_cpu);
	p50 = percentile(lat, nlat, 0.5);
	p99 = percentile(lat, nlat, 0.99);
	printf("RESULT mode=dhcp sent=%llu offers=%llu other=%llu lost=%llu wall_s=%.3f "
	       "aps=%.1f p50_ms=%.3f p99_ms=%.3f\n",
	       (unsigned long long)sent, (unsigned long long)good,
	       (unsigned long long)other, (unsigned long long)lost, t, good / t,
	       p50 * 1e3, p99 * 1e3);
	printf("CPU guest_cpu_s=%.3f", sysconf(_SC_NPROCESSORS_ONLN) * t - (g1 - g0));
	if (srv_cpu >= 0)
		printf(" srv_cpu_s=%.3f", t - (s1 - s0));
	printf("\n");
	return good ? 0 : 1;
}
