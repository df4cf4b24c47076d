// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: "monitor": one line per event of the "events" multicast group.
 */
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include "pxectl.h"

extern const char *netns_name;

static const char *const event_names[] = {
	[PXEFAST_EVENT_UNSPEC]		= "unknown",
	[PXEFAST_EVENT_CLIENT_SEEN]	= "client-seen",
	[PXEFAST_EVENT_OFFER_SENT]	= "offer-sent",
	[PXEFAST_EVENT_ACK_SENT]	= "ack-sent",
	[PXEFAST_EVENT_TRANSFER_DONE]	= "transfer-done",
	[PXEFAST_EVENT_TRANSFER_FAILED]	= "transfer-failed",
	[PXEFAST_EVENT_CONFIG_CHANGED]	= "config-changed",
};

/* An event's attributes, in the order they are printed. */
static const struct field event_fields[] = {
	{ PXEFAST_EVENT_A_IFINDEX,	"ifindex",	"dev",		F_IFINDEX, 0 },
	{ PXEFAST_EVENT_A_MAC,		"mac",		"mac",		F_MAC, 0 },
	{ PXEFAST_EVENT_A_ADDR,		"addr",		"addr",		F_INET, 0 },
	{ PXEFAST_EVENT_A_ARCH,		"arch",		"arch",		F_ARCH, 0 },
	{ PXEFAST_EVENT_A_FILE,		"file",		"file",		F_STR, 0 },
	{ PXEFAST_EVENT_A_BYTES,	"bytes",	"bytes",	F_U64, 0 },
	{ PXEFAST_EVENT_A_DURATION_MS,	"duration_ms",	"duration",	F_MS, 0 },
	{ PXEFAST_EVENT_A_ERROR,	"error",	"error",	F_U16, 0 },
	{ PXEFAST_EVENT_A_GENERATION,	"generation",	"generation",	F_U32, 0 },
};

#define NFIELDS (sizeof(event_fields) / sizeof(event_fields[0]))

static void one_event(struct nlattr **tb)
{
	uint8_t type = tb[PXEFAST_EVENT_A_TYPE] ?
		nla_get_u8(tb[PXEFAST_EVENT_A_TYPE]) : 0;
	char name[16];
	const char *ev;

	if (type < sizeof(event_names) / sizeof(event_names[0]))
		ev = event_names[type];
	else
		ev = (snprintf(name, sizeof(name), "event-%u", type), name);

	/* An IPv6 client's address prints where an IPv4 one would. */
	if (!tb[PXEFAST_EVENT_A_ADDR])
		tb[PXEFAST_EVENT_A_ADDR] = tb[PXEFAST_EVENT_A_ADDR6];
	if (json) {
		json_open(stdout, NULL, '{');
		json_str(stdout, "event", ev);
		fields_json(stdout, event_fields, NFIELDS, tb);
		json_end(stdout);
	} else {
		fputs(ev, stdout);
		fields_text_inline(stdout, event_fields, NFIELDS, tb);
		putchar('\n');
		fflush(stdout);
	}
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *a;
	int rem;

	(void)arg;
	if (gh->cmd != PXEFAST_CMD_EVENT)
		return NL_SKIP;
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		struct nlattr *tb[PXEFAST_EVENT_A_MAX + 1];

		if (nla_type(a) != PXEFAST_A_EVENT ||
		    nla_parse_nested(tb, PXEFAST_EVENT_A_MAX, a, NULL))
			continue;
		one_event(tb);
	}
	return NL_OK;
}

int cmd_monitor(struct nl_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return verb_usage_err();
	if (ctl_open(ctx, netns_name) || ctl_subscribe(ctx, PXEFAST_MCGRP_EVENTS))
		return 1;
	nl_socket_set_buffer_size(ctx->sk, 4 << 20, 0);
	ctl_monitor(ctx, on_event, NULL);
	return 1;
}
