// SPDX-License-Identifier: GPL-2.0
/*
 * tftp_load: TFTP load generator for pxefast's benchmarks (make bench).
 *
 * Transfer mode (default): C concurrent sessions, N in all, one UDP socket
 * each, driven by one epoll loop.  Each session sends an RRQ with the
 * options asked for (blksize, windowsize, tsize), follows what the server
 * negotiates (no OACK: 512-byte lock-step), acknowledges windows as RFC 7440
 * says (the last block of each window; on a gap or a duplicate the last
 * in-order block, once), follows the block number through rollover,
 * retransmits its last packet on timeout, and compares every byte with the
 * local copy of the file (an mmap of -l PATH).
 *
 * Not-found mode (-E SECONDS): C requests in flight for names that do not
 * exist, a new one as soon as each ERROR arrives; counts ERRORs per second.
 *
 * Idle mode (-I SECONDS): open C sessions, wait for each OACK (or first
 * DATA), never acknowledge, hold the sockets open for SECONDS, then exit.
 * With -B (baseline), only open and bind the C sockets and send nothing:
 * the memory of the client's own sockets, to subtract from the idle figure.
 *
 * Output: one line of key=value pairs beginning with "RESULT"; in transfer
 * mode also one beginning with "CPU": the guest's busy CPU time during the
 * transfers and, with -S CPU, that of the server's CPU.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define OP_RRQ	1
#define OP_DATA	3
#define OP_ACK	4
#define OP_ERROR 5
#define OP_OACK	6

#define MAXPKT	65536

enum state { S_IDLE, S_WAIT_FIRST, S_DATA, S_DONE, S_FAILED };

struct session {
	int fd;
	enum state st;
	bool connected;
	uint16_t expect;		/* next block number wanted */
	uint64_t nblocks;		/* in-order blocks received */
	uint64_t bytes;
	unsigned int blksize, window, inwin;
	bool gap_acked;
	uint8_t last[600];		/* last packet sent, for retransmission */
	size_t last_len;
	struct sockaddr_in last_to;
	int retries;
	double t_start, t_end, deadline;
	char neg[96];			/* negotiated options, for the report */
};

static struct {
	struct sockaddr_in srv;
	const char *file;
	const char *local;
	int conc, total;
	unsigned int blksize, window;
	bool tsize;
	int timeout_ms, max_retries;
	double notfound_s, idle_s, limit_s;
	const uint8_t *map;
	uint64_t size;
	bool quiet;
	bool baseline;		/* -B: sockets only, no requests */
	int srv_cpu;		/* -S: the server's CPU, for its busy time */
} cfg = {
	.conc = 1, .total = 0, .timeout_ms = 1000, .max_retries = 8, .srv_cpu = -1,
	.limit_s = 600,
};

static int epfd;
static uint8_t buf[MAXPKT];

static void usage(void)
{
	fprintf(stderr,
		"usage: tftp_load -s ADDR [-p PORT] -f NAME -l LOCAL [-c CONC] [-n TOTAL]\n"
		"                 [-b BLKSIZE] [-w WINDOW] [-t] [-T TIMEOUT_MS] [-r RETRIES]\n"
		"                 [-L LIMIT_S] [-S SERVER_CPU]\n"
		"       tftp_load -s ADDR -E SECONDS [-c INFLIGHT]      not-found storm\n"
		"       tftp_load -s ADDR -f NAME -I SECONDS -c N [-b B] [-w W] [-B]   idle sessions\n");
	exit(2);
}

static int udp_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int sz = 4 << 20;
	struct sockaddr_in any = { .sin_family = AF_INET };

	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&any, sizeof(any)) < 0)
		die("bind");
	return fd;
}

static void send_last(struct session *s)
{
	ssize_t n;

	if (s->connected)
		n = send(s->fd, s->last, s->last_len, 0);
	else
		n = sendto(s->fd, s->last, s->last_len, 0,
			   (struct sockaddr *)&s->last_to, sizeof(s->last_to));
	if (n < 0 && errno != EAGAIN && errno != ENOBUFS && errno != ECONNREFUSED)
		die("send");
}

static size_t put_str(uint8_t *p, size_t off, const char *str)
{
	size_t l = strlen(str) + 1;

	memcpy(p + off, str, l);
	return off + l;
}

static void build_rrq(struct session *s, const char *name, bool opts)
{
	char v[16];
	size_t o = 2;

	s->last[0] = 0;
	s->last[1] = OP_RRQ;
	o = put_str(s->last, o, name);
	o = put_str(s->last, o, "octet");
	if (opts && cfg.blksize) {
		o = put_str(s->last, o, "blksize");
		snprintf(v, sizeof(v), "%u", cfg.blksize);
		o = put_str(s->last, o, v);
	}
	if (opts && cfg.window) {
		o = put_str(s->last, o, "windowsize");
		snprintf(v, sizeof(v), "%u", cfg.window);
		o = put_str(s->last, o, v);
	}
	if (opts && cfg.tsize) {
		o = put_str(s->last, o, "tsize");
		o = put_str(s->last, o, "0");
	}
	s->last_len = o;
	s->last_to = cfg.srv;
}

static void send_ack(struct session *s, uint16_t blk)
{
	s->last[0] = 0;
	s->last[1] = OP_ACK;
	s->last[2] = blk >> 8;
	s->last[3] = blk & 0xff;
	s->last_len = 4;
	s->inwin = 0;
	s->retries = 0;
	send_last(s);
}

static void arm(struct session *s, double t)
{
	s->deadline = t + cfg.timeout_ms / 1000.0;
}

static void start(struct session *s, const char *name, bool opts)
{
	struct epoll_event ev = { .events = EPOLLIN };

	memset(s, 0, sizeof(*s));
	s->fd = udp_socket();
	ev.data.ptr = s;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, s->fd, &ev) < 0)
		die("epoll_ctl");
	s->st = S_WAIT_FIRST;
	s->blksize = 512;
	s->window = 1;
	s->expect = 1;
	build_rrq(s, name, opts);
	s->t_start = now();
	arm(s, s->t_start);
	send_last(s);
}

static void finish(struct session *s, enum state st)
{
	s->st = st;
	s->t_end = now();
	epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	s->fd = -1;
}

/* Parse an OACK; returns false if it grants something not asked for. */
static bool parse_oack(struct session *s, const uint8_t *p, size_t n)
{
	size_t o = 2;
	int w = 0;

	s->neg[0] = 0;
	while (o < n) {
		const char *k = (const char *)p + o, *v;
		size_t kl = strnlen(k, n - o);

		if (o + kl >= n)
			return false;
		o += kl + 1;
		v = (const char *)p + o;
		kl = strnlen(v, n - o);
		if (o + kl >= n)
			return false;
		o += kl + 1;
		if (!strcasecmp(k, "blksize"))
			s->blksize = atoi(v);
		else if (!strcasecmp(k, "windowsize"))
			s->window = atoi(v);
		else if (!strcasecmp(k, "tsize") && cfg.map &&
			 strtoull(v, NULL, 10) != cfg.size)
			return false;
		w += snprintf(s->neg + w, sizeof(s->neg) - w, "%s%s:%s",
			      w ? "," : "", k, v);
		if (w >= (int)sizeof(s->neg))
			w = sizeof(s->neg) - 1;
	}
	return s->blksize >= 8 && s->blksize <= 65464 && s->window >= 1;
}

static bool connect_to(struct session *s, const struct sockaddr_in *from)
{
	if (connect(s->fd, (const struct sockaddr *)from, sizeof(*from)) < 0)
		return false;
	s->connected = true;
	return true;
}

/* A DATA packet for a transfer in progress. */
static void on_data(struct session *s, uint16_t blk, const uint8_t *d, size_t len,
		    double t)
{
	uint64_t off;

	if (blk != s->expect) {
		/* gap, or a duplicate of an acknowledged window */
		if (!s->gap_acked) {
			send_ack(s, (uint16_t)(s->expect - 1));
			s->gap_acked = true;
		}
		arm(s, t);
		return;
	}
	s->gap_acked = false;
	if (len > s->blksize) {
		finish(s, S_FAILED);
		return;
	}
	off = s->nblocks * s->blksize;
	if (off + len > cfg.size || memcmp(cfg.map + off, d, len)) {
		fprintf(stderr, "tftp_load: data mismatch at offset %llu\n",
			(unsigned long long)off);
		finish(s, S_FAILED);
		return;
	}
	s->nblocks++;
	s->bytes += len;
	s->expect++;
	s->inwin++;
	arm(s, t);
	if (len < s->blksize) {
		send_ack(s, blk);
		finish(s, s->bytes == cfg.size ? S_DONE : S_FAILED);
		if (s->st == S_FAILED)
			fprintf(stderr, "tftp_load: short transfer: %llu of %llu\n",
				(unsigned long long)s->bytes,
				(unsigned long long)cfg.size);
		return;
	}
	if (s->inwin >= s->window)
		send_ack(s, blk);
}

static void on_packet(struct session *s, const uint8_t *p, size_t n,
		      const struct sockaddr_in *from, double t)
{
	uint16_t op, blk;

	if (n < 4)
		return;
	op = p[0] << 8 | p[1];
	blk = p[2] << 8 | p[3];
	if (s->st == S_WAIT_FIRST) {
		if (op == OP_ERROR) {
			finish(s, S_FAILED);
			return;
		}
		if (!connect_to(s, from)) {
			finish(s, S_FAILED);
			return;
		}
		if (op == OP_OACK) {
			if (!parse_oack(s, p, n)) {
				fprintf(stderr, "tftp_load: bad OACK\n");
				finish(s, S_FAILED);
				return;
			}
			s->st = S_DATA;
			if (cfg.idle_s > 0)
				return;		/* never acknowledge */
			send_ack(s, 0);
			arm(s, t);
			return;
		}
		if (op == OP_DATA) {
			snprintf(s->neg, sizeof(s->neg), "none");
			s->st = S_DATA;
			if (cfg.idle_s > 0)
				return;
			on_data(s, blk, p + 4, n - 4, t);
			return;
		}
		return;
	}
	if (s->st != S_DATA || cfg.idle_s > 0)
		return;
	if (op == OP_DATA)
		on_data(s, blk, p + 4, n - 4, t);
	else if (op == OP_ERROR) {
		fprintf(stderr, "tftp_load: ERROR %u from the server mid-transfer\n", blk);
		finish(s, S_FAILED);
	}
}

static void drain(struct session *s, double t)
{
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (errno == ECONNREFUSED)
				continue;
			die("recvfrom");
		}
		on_packet(s, buf, n, &from, t);
		if (s->fd < 0)
			return;
	}
}

static void check_timeouts(struct session *s, double t)
{
	if (s->fd < 0 || t < s->deadline)
		return;
	if (++s->retries > cfg.max_retries) {
		fprintf(stderr, "tftp_load: session timed out (block %u)\n", s->expect);
		finish(s, S_FAILED);
		return;
	}
	send_last(s);
	arm(s, t);
}

static int run_transfers(void)
{
	struct session *ss = calloc(cfg.total, sizeof(*ss));
	struct epoll_event evs[256];
	int started = 0, active = 0, done = 0, failed = 0, i;
	double g0 = cpu_idle(-1), s0 = cpu_idle(cfg.srv_cpu);
	double t0 = now(), t1, *lat, p50, p99, g1, s1;
	uint64_t bytes = 0;
	const char *neg = "";

	if (!ss)
		die("calloc");
	for (i = 0; i < cfg.total; i++)
		ss[i].fd = -1;
	while (started < cfg.total || active) {
		int n, wait_ms;
		double t = now();

		while (active < cfg.conc && started < cfg.total) {
			start(&ss[started++], cfg.file, true);
			active++;
		}
		if (t - t0 > cfg.limit_s)
			break;
		wait_ms = cfg.timeout_ms / 4 > 0 ? cfg.timeout_ms / 4 : 1;
		n = epoll_wait(epfd, evs, 256, wait_ms);
		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		t = now();
		for (i = 0; i < n; i++)
			drain(evs[i].data.ptr, t);
		active = 0;
		for (i = 0; i < started; i++) {
			check_timeouts(&ss[i], t);
			if (ss[i].fd >= 0)
				active++;
		}
	}
	t1 = now();
	g1 = cpu_idle(-1);
	s1 = cpu_idle(cfg.srv_cpu);
	lat = calloc(cfg.total, sizeof(*lat));
	if (!lat)
		die("calloc");
	for (i = 0; i < cfg.total; i++) {
		if (ss[i].st == S_DONE) {
			lat[done++] = ss[i].t_end - ss[i].t_start;
			bytes += ss[i].bytes;
			neg = ss[i].neg;
		} else {
			failed++;
		}
	}
	p50 = percentile(lat, done, 0.5);
	p99 = percentile(lat, done, 0.99);
	printf("RESULT mode=transfer sessions=%d done=%d failed=%d bytes=%llu wall_s=%.4f "
	       "mbps=%.3f p50_s=%.4f p99_s=%.4f max_s=%.4f client_cpu_s=%.3f oack=%s\n",
	       cfg.total, done, failed, (unsigned long long)bytes, t1 - t0,
	       bytes / (t1 - t0) / 1e6, p50, p99,
	       done ? lat[done - 1] : 0, self_cpu(), neg[0] ? neg : "-");
	/* CPU busy time during the transfers: the guest's, and with -S the
	 * server's own CPU (whatever ran there: process, softirq, kthreads).
	 */
	printf("CPU guest_cpu_s=%.3f",
	       sysconf(_SC_NPROCESSORS_ONLN) * (t1 - t0) - (g1 - g0));
	if (cfg.srv_cpu >= 0)
		printf(" srv_cpu_s=%.3f", (t1 - t0) - (s1 - s0));
	printf("\n");
	return failed ? 1 : 0;
}

static int run_notfound(void)
{
	struct session *ss = calloc(cfg.conc, sizeof(*ss));
	struct epoll_event evs[256];
	uint64_t errors = 0, sent = 0, seq = 0;
	double t0 = now(), t;
	int i;

	if (!ss)
		die("calloc");
	for (i = 0; i < cfg.conc; i++) {
		char name[64];

		snprintf(name, sizeof(name), "absent-%d-%llu", getpid(),
			 (unsigned long long)seq++);
		start(&ss[i], name, false);
		sent++;
	}
	while ((t = now()) - t0 < cfg.notfound_s) {
		int n = epoll_wait(epfd, evs, 256, 20);

		t = now();
		for (i = 0; i < n; i++) {
			struct session *s = evs[i].data.ptr;
			ssize_t r;

			/* at most one reply per socket and turn: the clock is checked */
			if ((r = recv(s->fd, buf, sizeof(buf), 0)) >= 0) {
				char name[64];

				if (r < 4 || buf[1] != OP_ERROR)
					continue;
				errors++;
				snprintf(name, sizeof(name), "absent-%d-%llu", getpid(),
					 (unsigned long long)seq++);
				build_rrq(s, name, false);
				arm(s, t);
				send_last(s);
				sent++;
			}
		}
		for (i = 0; i < cfg.conc; i++) {
			if (t >= ss[i].deadline) {
				arm(&ss[i], t);
				send_last(&ss[i]);
				sent++;
			}
		}
	}
	t = now() - t0;
	printf("RESULT mode=notfound inflight=%d sent=%llu errors=%llu wall_s=%.3f rps=%.1f "
	       "client_cpu_s=%.3f\n",
	       cfg.conc, (unsigned long long)sent, (unsigned long long)errors, t,
	       errors / t, self_cpu());
	return errors ? 0 : 1;
}

static int run_idle(void)
{
	struct session *ss = calloc(cfg.conc, sizeof(*ss));
	struct epoll_event evs[256];
	double t0 = now(), t;
	int i, open_ = 0, batch = 64;

	if (!ss)
		die("calloc");
	/* start in batches so that no request is dropped for a full queue */
	for (i = 0; i < cfg.conc; i++) {
		if (cfg.baseline) {
			/* the sockets only: counted as open, nothing sent */
			ss[i].fd = udp_socket();
			ss[i].st = S_DATA;
			continue;
		}
		start(&ss[i], cfg.file, true);
		if ((i + 1) % batch == 0 || i + 1 == cfg.conc) {
			double tb = now();

			while (now() - tb < 10.0) {
				int j, n = epoll_wait(epfd, evs, 256, 50), pending = 0;

				for (j = 0; j < n; j++)
					drain(evs[j].data.ptr, now());
				for (j = 0; j <= i; j++)
					pending += ss[j].st == S_WAIT_FIRST;
				if (!pending)
					break;
			}
		}
	}
	for (i = 0; i < cfg.conc; i++)
		open_ += ss[i].st == S_DATA;
	printf("IDLE open=%d of %d after %.2fs\n", open_, cfg.conc, now() - t0);
	fflush(stdout);
	t = now();
	while (now() - t < cfg.idle_s)
		epoll_wait(epfd, evs, 256, 100);
	printf("RESULT mode=idle sessions=%d open=%d\n", cfg.conc, open_);
	return 0;
}

int main(int argc, char **argv)
{
	int c, port = 69;
	const char *srv = NULL;

	while ((c = getopt(argc, argv, "s:p:f:l:c:n:b:w:tT:r:E:I:L:qBS:")) != -1) {
		switch (c) {
		case 's': srv = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'f': cfg.file = optarg; break;
		case 'l': cfg.local = optarg; break;
		case 'c': cfg.conc = atoi(optarg); break;
		case 'n': cfg.total = atoi(optarg); break;
		case 'b': cfg.blksize = atoi(optarg); break;
		case 'w': cfg.window = atoi(optarg); break;
		case 't': cfg.tsize = true; break;
		case 'T': cfg.timeout_ms = atoi(optarg); break;
		case 'r': cfg.max_retries = atoi(optarg); break;
		case 'E': cfg.notfound_s = atof(optarg); break;
		case 'I': cfg.idle_s = atof(optarg); break;
		case 'L': cfg.limit_s = atof(optarg); break;
		case 'q': cfg.quiet = true; break;
		case 'B': cfg.baseline = true; break;
		case 'S': cfg.srv_cpu = atoi(optarg); break;
		default: usage();
		}
	}
	if (!srv || cfg.conc < 1 || cfg.timeout_ms < 1)
		usage();
	cfg.srv.sin_family = AF_INET;
	cfg.srv.sin_port = htons(port);
	if (inet_pton(AF_INET, srv, &cfg.srv.sin_addr) != 1)
		usage();
	if (!cfg.total)
		cfg.total = cfg.conc;
	signal(SIGPIPE, SIG_IGN);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		die("epoll_create1");
	if (cfg.notfound_s > 0)
		return run_notfound();
	if (!cfg.file)
		usage();
	if (cfg.idle_s > 0)
		return run_idle();
	if (!cfg.local)
		usage();
	{
		int fd = open(cfg.local, O_RDONLY);
		struct stat st;

		if (fd < 0 || fstat(fd, &st) < 0)
			die(cfg.local);
		cfg.size = st.st_size;
		if (cfg.size) {
			cfg.map = mmap(NULL, cfg.size, PROT_READ, MAP_SHARED, fd, 0);
			if (cfg.map == MAP_FAILED)
				die("mmap");
		}
		close(fd);
	}
	return run_transfers();
}
