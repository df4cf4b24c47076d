// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: "sessions": the live TFTP transfers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include "pxectl.h"

extern const char *netns_name;

/* A transfer's attributes: JSON members and the columns of the table. */
static const struct field session_fields[] = {
	{ PXEFAST_SESSION_A_CLIENT_ADDR,  "client_addr",  "client",	F_INET, 15 },
	{ PXEFAST_SESSION_A_IFINDEX,	  "ifindex",	  "dev",	F_IFINDEX, 8 },
	{ PXEFAST_SESSION_A_CLIENT_PORT,  "client_port",  "cport",	F_U16, 5 },
	{ PXEFAST_SESSION_A_SERVER_PORT,  "server_port",  "sport",	F_U16, 5 },
	{ PXEFAST_SESSION_A_SIZE,	  "size",	  "size",	F_U64, 10 },
	{ PXEFAST_SESSION_A_BLKSIZE,	  "blksize",	  "blksize",	F_U16, 7 },
	{ PXEFAST_SESSION_A_WINDOW,	  "window",	  "window",	F_U16, 6 },
	{ PXEFAST_SESSION_A_ACKED_BLOCKS, "acked_blocks", "acked",	F_U64, 10 },
	{ PXEFAST_SESSION_A_RETRANSMITS,  "retransmits",  "resent",	F_U32, 6 },
	{ PXEFAST_SESSION_A_AGE_MS,	  "age_ms",	  "age",	F_AGE, 8 },
	{ PXEFAST_SESSION_A_FILE,	  "file",	  "file",	F_STR, 0 },
};

#define NFIELDS (sizeof(session_fields) / sizeof(session_fields[0]))

struct sess_state {
	FILE *out;		/* the listing, written out once complete */
	unsigned int n;
};

static void one_session(struct nlattr **tb, struct sess_state *st)
{
	/* An IPv6 client's address prints where an IPv4 one would. */
	if (!tb[PXEFAST_SESSION_A_CLIENT_ADDR])
		tb[PXEFAST_SESSION_A_CLIENT_ADDR] = tb[PXEFAST_SESSION_A_CLIENT_ADDR6];
	if (json) {
		if (!st->n)
			json_open(st->out, NULL, '[');
		json_open(st->out, NULL, '{');
		fields_json(st->out, session_fields, NFIELDS, tb);
		json_close(st->out);
	} else {
		if (!st->n)
			fields_text_header(st->out, session_fields, NFIELDS);
		fields_text_row(st->out, session_fields, NFIELDS, tb);
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

/* Dumps interrupted by transfers starting or ending are read again. */
#define DUMP_TRIES 20

int cmd_sessions(struct nl_ctx *ctx, int argc, char **argv)
{
	struct sess_state st;
	char *buf = NULL;
	size_t len = 0;
	int err = 0;

	(void)argv;
	if (argc)
		return verb_usage_err();
	if (ctl_open(ctx, netns_name))
		return 1;
	for (int tries = 0; tries < DUMP_TRIES; tries++) {
		struct nl_msg *msg;

		st = (struct sess_state){ .out = open_memstream(&buf, &len) };
		msg = st.out ? ctl_msg(ctx, PXEFAST_CMD_GET_SESSIONS, NLM_F_DUMP, 0) : NULL;
		if (!msg) {
			if (st.out)
				fclose(st.out);
			free(buf);
			fprintf(stderr, "pxectl: error: out of memory\n");
			return 1;
		}
		err = ctl_transact(ctx, msg, on_session, &st);
		if (json) {
			if (!st.n)
				json_open(st.out, NULL, '[');
			json_end(st.out);
		}
		fclose(st.out);
		if (err != -EAGAIN)
			break;
		free(buf);
		buf = NULL;
	}
	if (err) {
		free(buf);
		ctl_error(ctx, "cannot list the sessions");
		return 1;
	}
	fwrite(buf, 1, len, stdout);
	free(buf);
	return fflush(stdout) ? 1 : 0;
}
