// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: "monitor": one line per event of the "events" multicast group.
 */
#include <inttypes.h>
#include <string.h>
#include <net/if.h>
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

static uint64_t u64_of(const struct nlattr *a)
{
	uint64_t v = 0;

	if (nla_len(a) >= 8)
		memcpy(&v, nla_data(a), 8);
	return v;
}

static void one_event(struct nlattr **tb)
{
	uint8_t type = tb[PXEFAST_EVENT_A_TYPE] ?
		nla_get_u8(tb[PXEFAST_EVENT_A_TYPE]) : 0;
	char name[16], b[40], ifname[IF_NAMESIZE] = "";
	const char *ev;
	struct nlattr *a;

	if (type < sizeof(event_names) / sizeof(event_names[0]))
		ev = event_names[type];
	else
		ev = (snprintf(name, sizeof(name), "event-%u", type), name);

	if (json) {
		json_open(stdout, NULL, '{');
		json_str(stdout, "event", ev);
	} else {
		fputs(ev, stdout);
	}
	if ((a = tb[PXEFAST_EVENT_A_IFINDEX]) && nla_len(a) >= 4) {
		uint32_t idx = nla_get_u32(a);

		if_indextoname(idx, ifname);
		if (json) {
			json_u64(stdout, "ifindex", idx);
			if (ifname[0])
				json_str(stdout, "dev", ifname);
		} else if (ifname[0]) {
			printf(" dev %s", ifname);
		} else {
			printf(" ifindex %u", idx);
		}
	}
	if ((a = tb[PXEFAST_EVENT_A_MAC]) && nla_len(a) == 6) {
		fmt_mac(nla_data(a), b);
		if (json)
			json_str(stdout, "mac", b);
		else
			printf(" mac %s", b);
	}
	if ((a = tb[PXEFAST_EVENT_A_ADDR]) && nla_len(a) >= 4) {
		fmt_ipv4(nla_get_u32(a), b);
		if (json)
			json_str(stdout, "addr", b);
		else
			printf(" addr %s", b);
	}
	if ((a = tb[PXEFAST_EVENT_A_ARCH]) && nla_len(a) >= 2) {
		uint16_t code = nla_get_u16(a);
		const char *n = arch_name(code);

		if (json) {
			json_u64(stdout, "arch", code);
			if (n)
				json_str(stdout, "arch_name", n);
		} else {
			printf(n ? " arch %u (%s)" : " arch %u", code, n);
		}
	}
	if ((a = tb[PXEFAST_EVENT_A_FILE])) {
		char file[PXEFAST_PATH_MAX];

		snprintf(file, sizeof(file), "%.*s", nla_len(a), (char *)nla_data(a));
		if (json) {
			json_str(stdout, "file", file);
		} else {
			fputs(" file ", stdout);
			print_word(stdout, file);
		}
	}
	if ((a = tb[PXEFAST_EVENT_A_BYTES])) {
		if (json)
			json_u64(stdout, "bytes", u64_of(a));
		else
			printf(" bytes %" PRIu64, u64_of(a));
	}
	if ((a = tb[PXEFAST_EVENT_A_DURATION_MS])) {
		if (json)
			json_u64(stdout, "duration_ms", u64_of(a));
		else
			printf(" duration %" PRIu64 "ms", u64_of(a));
	}
	if ((a = tb[PXEFAST_EVENT_A_ERROR]) && nla_len(a) >= 2) {
		if (json)
			json_u64(stdout, "error", nla_get_u16(a));
		else
			printf(" error %u", nla_get_u16(a));
	}
	if ((a = tb[PXEFAST_EVENT_A_GENERATION]) && nla_len(a) >= 4) {
		if (json)
			json_u64(stdout, "generation", nla_get_u32(a));
		else
			printf(" generation %u", nla_get_u32(a));
	}
	if (json) {
		json_end(stdout);
	} else {
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
