// SPDX-License-Identifier: GPL-2.0
/*
 * pxf_nl: a minimal generic netlink client for pxefast's selftests, written
 * against include/uapi/linux/pxefast.h only (independent of pxectl), so the
 * kernel side can be tested on its own.  Works in the caller's netns.
 *
 *   pxf_nl family            print the family id, version and multicast groups
 *   pxf_nl devs              GET_CONFIG dump: "generation N", "dev NAME ifindex N"
 *   pxf_nl set [-n] [-g GEN] [IFNAME...]
 *                            SET_CONFIG with exactly these served interfaces;
 *                            -g: compare-and-swap against generation GEN;
 *                            -n: PXEFAST_A_DRY_RUN (check, apply nothing)
 *   pxf_nl stats             GET_STATS: one "stat ID VALUE" line per counter
 *   pxf_nl extra CMD ATTR    command CMD (config, set, stats or sessions;
 *                            set as a dry run) with an empty top-level
 *                            attribute of type ATTR it does not take: the
 *                            kernel's per-command policy must refuse it
 *
 * Exit status: 0 ok, 1 the kernel refused (errno and extack message printed
 * on stderr), 2 usage or local error, 3 family not registered.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pxefast.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define BUF_SIZE	65536

static int nl_fd = -1;
static uint32_t nl_seq;
static unsigned char rx_buf[BUF_SIZE];

struct req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	unsigned char attrs[4096];
};

static struct nlattr *attr_put(struct nlmsghdr *nlh, uint16_t type,
			       const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void nest_end(struct nlmsghdr *nlh, struct nlattr *nest)
{
	nest->nla_len = (char *)nlh + nlh->nlmsg_len - (char *)nest;
}

static void req_init(struct req *r, uint16_t family, uint8_t cmd, uint16_t flags)
{
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = family;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh.nlmsg_seq = ++nl_seq;
	r->genl.cmd = cmd;
	r->genl.version = 1;
}

static void nl_open(void)
{
	int one = 1;

	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0) {
		perror("pxf_nl: socket");
		exit(2);
	}
	/* Best effort: older kernels lack extended acks. */
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
}

static void nl_send(struct req *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(nl_fd, r, r->nlh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		perror("pxf_nl: sendto");
		exit(2);
	}
}

/* Print an NLMSG_ERROR's errno and extack message; return the errno (>= 0). */
static int nl_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const struct nlattr *a;
	size_t off;
	int len;

	if (!e->error)
		return 0;
	fprintf(stderr, "pxf_nl: kernel: %s", strerror(-e->error));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
		len = (int)nlh->nlmsg_len - (int)NLMSG_HDRLEN - (int)off;
		a = (const struct nlattr *)((const char *)e + NLA_ALIGN(off));
		while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
		       a->nla_len <= len) {
			if (a->nla_type == NLMSGERR_ATTR_MSG)
				fprintf(stderr, ": %.*s", (int)(a->nla_len - NLA_HDRLEN),
					(const char *)a + NLA_HDRLEN);
			len -= NLA_ALIGN(a->nla_len);
			a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
		}
	}
	fputc('\n', stderr);
	return -e->error;
}

typedef void (*msg_cb)(const struct nlattr *attrs, int len, void *arg);

/* Receive until the ack / NLMSG_DONE of the last request.  0 or an errno. */
static int nl_recv(msg_cb cb, void *arg)
{
	for (;;) {
		ssize_t n = recv(nl_fd, rx_buf, sizeof(rx_buf), 0);
		struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("pxf_nl: recv");
			exit(2);
		}
		for (nlh = (struct nlmsghdr *)rx_buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != nl_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return nl_error(nlh);
			if (cb) {
				const char *p = (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
				int len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

				cb((const struct nlattr *)p, len, arg);
			}
			if (!(nlh->nlmsg_flags & NLM_F_MULTI) && !(arg && *(int *)arg == -1))
				return 0;
		}
	}
}

#define for_each_attr(a, head, len, rem) \
	for ((a) = (head), (rem) = (len); \
	     (rem) >= NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN && (a)->nla_len <= (rem); \
	     (rem) -= NLA_ALIGN((a)->nla_len), \
	     (a) = (const struct nlattr *)((const char *)(a) + NLA_ALIGN((a)->nla_len)))

static const void *attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static uint32_t attr_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	memcpy(&v, attr_data(a), attr_len(a) < 4 ? attr_len(a) : 4);
	return v;
}

struct family_info {
	int mode;		/* -1: wait for the ack after the reply */
	uint16_t id;
	uint32_t version;
	char groups[512];
};

static void family_cb(const struct nlattr *attrs, int len, void *arg)
{
	struct family_info *fi = arg;
	const struct nlattr *a, *g, *ga;
	int rem, grem, garem;

	for_each_attr(a, attrs, len, rem) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case CTRL_ATTR_FAMILY_ID:
			fi->id = *(const uint16_t *)attr_data(a);
			break;
		case CTRL_ATTR_VERSION:
			fi->version = attr_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			for_each_attr(g, (const struct nlattr *)attr_data(a), attr_len(a), grem)
				for_each_attr(ga, (const struct nlattr *)attr_data(g),
					      attr_len(g), garem)
					if ((ga->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_NAME) {
						strncat(fi->groups, " ",
							sizeof(fi->groups) - strlen(fi->groups) - 1);
						strncat(fi->groups, attr_data(ga),
							sizeof(fi->groups) - strlen(fi->groups) - 1);
					}
			break;
		}
	}
}

static struct family_info resolve_family(void)
{
	struct family_info fi = { .mode = 0 };
	struct req r;
	int err;

	req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	attr_put(&r.nlh, CTRL_ATTR_FAMILY_NAME, PXEFAST_GENL_NAME,
		 sizeof(PXEFAST_GENL_NAME));
	nl_send(&r);
	fi.mode = -1;
	err = nl_recv(family_cb, &fi);
	if (err || !fi.id) {
		fprintf(stderr, "pxf_nl: family %s not registered\n", PXEFAST_GENL_NAME);
		exit(3);
	}
	return fi;
}

struct dump_state {
	int mode;
	int msgs;
};

static void devs_cb(const struct nlattr *attrs, int len, void *arg)
{
	const struct nlattr *a, *d;
	struct dump_state *st = arg;
	int rem, drem;

	for_each_attr(a, attrs, len, rem) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case PXEFAST_A_GENERATION:
			if (!st->msgs)
				printf("generation %u\n", attr_u32(a));
			break;
		case PXEFAST_A_DEV: {
			const char *name = "";
			uint32_t ifindex = 0;

			for_each_attr(d, (const struct nlattr *)attr_data(a), attr_len(a), drem) {
				if ((d->nla_type & NLA_TYPE_MASK) == PXEFAST_DEV_A_IFINDEX)
					ifindex = attr_u32(d);
				else if ((d->nla_type & NLA_TYPE_MASK) == PXEFAST_DEV_A_IFNAME)
					name = attr_data(d);
			}
			printf("dev %s ifindex %u\n", name[0] ? name : "-", ifindex);
			break;
		}
		}
	}
	st->msgs++;
}

static void stats_cb(const struct nlattr *attrs, int len, void *arg)
{
	const struct nlattr *a, *s;
	int rem, srem;

	(void)arg;
	for_each_attr(a, attrs, len, rem) {
		if ((a->nla_type & NLA_TYPE_MASK) != PXEFAST_A_STATS)
			continue;
		for_each_attr(s, (const struct nlattr *)attr_data(a), attr_len(a), srem) {
			uint64_t v = 0;

			if (attr_len(s) == 8)
				memcpy(&v, attr_data(s), 8);
			else
				continue;
			printf("stat %u %llu\n", s->nla_type & NLA_TYPE_MASK,
			       (unsigned long long)v);
		}
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: pxf_nl family | devs | set [-n] [-g GEN] [IFNAME...] | stats |\n"
		"              extra config|set|stats|sessions ATTR\n");
	return 2;
}

/* CMD with an empty attribute @attr_arg besides what it needs. */
static int extra(uint16_t family, const char *cmd, const char *attr_arg)
{
	static const struct {
		const char *name;
		uint8_t cmd;
		uint16_t flags;
	} cmds[] = {
		{ "config", PXEFAST_CMD_GET_CONFIG, NLM_F_DUMP },
		{ "set", PXEFAST_CMD_SET_CONFIG, NLM_F_ACK },
		{ "stats", PXEFAST_CMD_GET_STATS, NLM_F_ACK },
		{ "sessions", PXEFAST_CMD_GET_SESSIONS, NLM_F_DUMP },
	};
	unsigned long attr;
	struct req r;
	char *end;
	size_t i;
	int mode = -1;

	attr = strtoul(attr_arg, &end, 0);
	if (*end || !attr || attr > (unsigned long)NLA_TYPE_MASK)
		return usage();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i].name))
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0]))
		return usage();
	req_init(&r, family, cmds[i].cmd, cmds[i].flags);
	/* A set that got through would only be checked, not applied. */
	if (cmds[i].cmd == PXEFAST_CMD_SET_CONFIG)
		attr_put(&r.nlh, PXEFAST_A_DRY_RUN, NULL, 0);
	attr_put(&r.nlh, (uint16_t)attr, NULL, 0);
	nl_send(&r);
	return nl_recv(NULL, &mode) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct family_info fi;
	struct req r;
	int i, err;

	if (argc < 2)
		return usage();
	nl_open();
	fi = resolve_family();

	if (!strcmp(argv[1], "family")) {
		printf("id %u version %u groups%s\n", fi.id, fi.version, fi.groups);
		return 0;
	}
	if (!strcmp(argv[1], "devs")) {
		struct dump_state st = { 0, 0 };

		req_init(&r, fi.id, PXEFAST_CMD_GET_CONFIG, NLM_F_DUMP);
		nl_send(&r);
		err = nl_recv(devs_cb, &st);
		return err ? 1 : 0;
	}
	if (!strcmp(argv[1], "set")) {
		i = 2;
		req_init(&r, fi.id, PXEFAST_CMD_SET_CONFIG, NLM_F_ACK);
		if (argc > 2 && !strcmp(argv[2], "-n")) {
			attr_put(&r.nlh, PXEFAST_A_DRY_RUN, NULL, 0);
			argv++;
			argc--;
		}
		if (argc > 3 && !strcmp(argv[2], "-g")) {
			char *end;
			unsigned long g = strtoul(argv[3], &end, 0);

			if (*end || g > UINT32_MAX)
				return usage();
			uint32_t g32 = g;

			attr_put(&r.nlh, PXEFAST_A_GENERATION, &g32, sizeof(g32));
			i = 4;
		}
		for (; i < argc; i++) {
			struct nlattr *nest;

			if (strlen(argv[i]) >= 16 ||
			    r.nlh.nlmsg_len + 64 > sizeof(r))
				return usage();
			nest = attr_put(&r.nlh, PXEFAST_A_DEV | NLA_F_NESTED, NULL, 0);
			attr_put(&r.nlh, PXEFAST_DEV_A_IFNAME, argv[i], strlen(argv[i]) + 1);
			nest_end(&r.nlh, nest);
		}
		nl_send(&r);
		{
			struct dump_state st = { -1, 0 };

			/* The reply (new generation) comes before the ack. */
			err = nl_recv(devs_cb, &st);
		}
		return err ? 1 : 0;
	}
	if (!strcmp(argv[1], "extra") && argc == 4)
		return extra(fi.id, argv[2], argv[3]);
	if (!strcmp(argv[1], "stats")) {
		int mode = -1;

		req_init(&r, fi.id, PXEFAST_CMD_GET_STATS, NLM_F_ACK);
		nl_send(&r);
		err = nl_recv(stats_cb, &mode);
		return err ? 1 : 0;
	}
	return usage();
}
