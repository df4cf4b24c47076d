// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: "sessions": the live TFTP transfers.
 */
#include <inttypes.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include "pxectl.h"

extern const char *netns_name;

static uint64_t u64_of(const struct nlattr *a)
{
	uint64_t v = 0;

	if (a && nla_len(a) >= 8)
		memcpy(&v, nla_data(a), 8);
	return v;
}

static uint32_t u32_of(const struct nlattr *a)
{
	return a && nla_len(a) >= 4 ? nla_get_u32((struct nlattr *)a) : 0;
}

static uint16_t u16_of(const struct nlattr *a)
{
	return a && nla_len(a) >= 2 ? nla_get_u16((struct nlattr *)a) : 0;
}

struct sess_state {
	unsigned int n;
};

static void one_session(struct nlattr **tb, struct sess_state *st)
{
	char addr[16], file[PXEFAST_PATH_MAX] = "";
	struct nlattr *f = tb[PXEFAST_SESSION_A_FILE];

	if (f)
		snprintf(file, sizeof(file), "%.*s", nla_len(f),
			 (char *)nla_data(f));
	fmt_ipv4(u32_of(tb[PXEFAST_SESSION_A_CLIENT_ADDR]), addr);
	if (json) {
		if (!st->n)
			json_open(stdout, NULL, '[');
		json_open(stdout, NULL, '{');
		json_str(stdout, "client_addr", addr);
		json_u64(stdout, "client_port", u16_of(tb[PXEFAST_SESSION_A_CLIENT_PORT]));
		json_u64(stdout, "server_port", u16_of(tb[PXEFAST_SESSION_A_SERVER_PORT]));
		json_str(stdout, "file", file);
		json_u64(stdout, "size", u64_of(tb[PXEFAST_SESSION_A_SIZE]));
		json_u64(stdout, "blksize", u16_of(tb[PXEFAST_SESSION_A_BLKSIZE]));
		json_u64(stdout, "window", u16_of(tb[PXEFAST_SESSION_A_WINDOW]));
		json_u64(stdout, "acked_blocks", u64_of(tb[PXEFAST_SESSION_A_ACKED_BLOCKS]));
		json_u64(stdout, "retransmits", u32_of(tb[PXEFAST_SESSION_A_RETRANSMITS]));
		json_u64(stdout, "age_ms", u64_of(tb[PXEFAST_SESSION_A_AGE_MS]));
		json_close(stdout);
	} else {
		char client[32];

		if (!st->n)
			printf("%-21s %-6s %10s %7s %6s %10s %7s %9s  %s\n",
			       "client", "port", "size", "blksize", "window",
			       "acked", "resent", "age", "file");
		snprintf(client, sizeof(client), "%s:%u", addr,
			 u16_of(tb[PXEFAST_SESSION_A_CLIENT_PORT]));
		printf("%-21s %-6u %10" PRIu64 " %7u %6u %10" PRIu64 " %7u %8.1fs  ",
		       client, u16_of(tb[PXEFAST_SESSION_A_SERVER_PORT]),
		       u64_of(tb[PXEFAST_SESSION_A_SIZE]),
		       u16_of(tb[PXEFAST_SESSION_A_BLKSIZE]),
		       u16_of(tb[PXEFAST_SESSION_A_WINDOW]),
		       u64_of(tb[PXEFAST_SESSION_A_ACKED_BLOCKS]),
		       u32_of(tb[PXEFAST_SESSION_A_RETRANSMITS]),
		       (double)u64_of(tb[PXEFAST_SESSION_A_AGE_MS]) / 1000.0);
		print_word(stdout, file);
		putchar('\n');
	}
	st->n++;
}

static int on_session(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		struct nlattr *tb[PXEFAST_SESSION_A_MAX + 1];

		if (nla_type(a) != PXEFAST_A_SESSION ||
		    nla_parse_nested(tb, PXEFAST_SESSION_A_MAX, a, NULL))
			continue;
		one_session(tb, arg);
	}
	return NL_OK;
}

int cmd_sessions(struct nl_ctx *ctx, int argc, char **argv)
{
	struct sess_state st = { 0 };
	struct nl_msg *msg;

	(void)argv;
	if (argc)
		return verb_usage_err();
	if (ctl_open(ctx, netns_name))
		return 1;
	msg = ctl_msg(ctx, PXEFAST_CMD_GET_SESSIONS, NLM_F_DUMP, 0);
	if (!msg) {
		fprintf(stderr, "pxectl: error: out of memory\n");
		return 1;
	}
	if (ctl_transact(ctx, msg, on_session, &st)) {
		if (json && st.n)
			json_end(stdout);
		ctl_error(ctx, "cannot list the sessions");
		return 1;
	}
	if (json) {
		if (!st.n)
			json_open(stdout, NULL, '[');
		json_end(stdout);
	}
	return fflush(stdout) ? 1 : 0;
}
