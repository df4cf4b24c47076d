// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: "stats": read the counters and the per-architecture counts
 * (stats_fmt.c prints them).
 */
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include "pxectl.h"

extern const char *netns_name;

static uint64_t get_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	if (nla_len(a) >= 8)
		memcpy(&v, nla_data(a), 8);
	else if (nla_len(a) >= 4)
		v = nla_get_u32((struct nlattr *)a);
	return v;
}

static int on_stats(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct stats *st = arg;
	struct nlattr *a, *b;
	int rem, rem2;

	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		if (nla_type(a) == PXEFAST_A_STATS) {
			nla_for_each_nested(b, a, rem2) {
				int t = nla_type(b);

				if (t > PXEFAST_STAT_PAD && t < __PXEFAST_STAT_MAX) {
					st->has[t] = true;
					st->c[t] = get_u64(b);
				}
			}
		} else if (nla_type(a) == PXEFAST_A_ARCH_STATS &&
			   st->narch < sizeof(st->arch) / sizeof(st->arch[0])) {
			struct nlattr *tb[PXEFAST_ARCH_STAT_MAX + 1];
			struct arch_stat *as = &st->arch[st->narch];

			if (nla_parse_nested(tb, PXEFAST_ARCH_STAT_MAX, a, NULL) ||
			    !tb[PXEFAST_ARCH_STAT_CODE])
				continue;
			as->code = nla_get_u16(tb[PXEFAST_ARCH_STAT_CODE]);
			as->requests = tb[PXEFAST_ARCH_STAT_REQUESTS] ?
				get_u64(tb[PXEFAST_ARCH_STAT_REQUESTS]) : 0;
			as->answers = tb[PXEFAST_ARCH_STAT_ANSWERS] ?
				get_u64(tb[PXEFAST_ARCH_STAT_ANSWERS]) : 0;
			st->narch++;
		}
	}
	return NL_OK;
}

int cmd_stats(struct nl_ctx *ctx, int argc, char **argv)
{
	static struct stats st;
	struct nl_msg *msg;
	bool clear = false, prom = false;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "clear") && !clear)
			clear = true;
		else if (!strcmp(argv[i], "--prometheus") && !prom)
			prom = true;
		else
			return verb_usage_err();
	}
	if (prom && json) {
		fprintf(stderr, "pxectl: error: -j and --prometheus are two "
			"output formats: pick one\n");
		return 1;
	}
	if (ctl_open(ctx, netns_name))
		return 1;
	msg = ctl_msg(ctx, PXEFAST_CMD_GET_STATS, 0, 0);
	if (!msg || (clear && nla_put_flag(msg, PXEFAST_A_STATS_CLEAR) < 0)) {
		fprintf(stderr, "pxectl: error: out of memory\n");
		return 1;
	}
	if (ctl_transact(ctx, msg, on_stats, &st)) {
		ctl_error(ctx, "cannot read the counters");
		return 1;
	}
	if (prom)
		stats_print_prometheus(stdout, &st, netns_name);
	else if (json)
		stats_print_json(stdout, &st);
	else
		stats_print_text(stdout, &st);
	return fflush(stdout) ? 1 : 0;
}
