// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: "stats": the counters and the per-architecture counts.
 */
#include <inttypes.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include "pxectl.h"

extern const char *netns_name;

/* Names of enum pxefast_stat, as printed ('-' becomes '_' in JSON). */
static const char *const stat_names[__PXEFAST_STAT_MAX] = {
	[PXEFAST_STAT_DHCP_RX]			= "dhcp-rx",
	[PXEFAST_STAT_DHCP_PXE_RX]		= "dhcp-pxe-rx",
	[PXEFAST_STAT_DHCP_OFFER_TX]		= "dhcp-offer-tx",
	[PXEFAST_STAT_BOOT_RX]			= "boot-rx",
	[PXEFAST_STAT_BOOT_ACK_TX]		= "boot-ack-tx",
	[PXEFAST_STAT_DROP_MALFORMED]		= "drop-malformed",
	[PXEFAST_STAT_DROP_HTYPE]		= "drop-htype",
	[PXEFAST_STAT_DROP_ARCH]		= "drop-arch",
	[PXEFAST_STAT_DROP_NO_MAP]		= "drop-no-map",
	[PXEFAST_STAT_DROP_NO_BIS]		= "drop-no-bis",
	[PXEFAST_STAT_DROP_NO_ADDR]		= "drop-no-addr",
	[PXEFAST_STAT_TX_ERRORS]		= "tx-errors",
	[PXEFAST_STAT_TFTP_RRQ_RX]		= "tftp-rrq-rx",
	[PXEFAST_STAT_TFTP_WRQ_RX]		= "tftp-wrq-rx",
	[PXEFAST_STAT_TFTP_OACK_TX]		= "tftp-oack-tx",
	[PXEFAST_STAT_TFTP_DATA_TX]		= "tftp-data-tx",
	[PXEFAST_STAT_TFTP_BYTES_TX]		= "tftp-bytes-tx",
	[PXEFAST_STAT_TFTP_RETRANSMITS]		= "tftp-retransmits",
	[PXEFAST_STAT_TFTP_DONE]		= "tftp-done",
	[PXEFAST_STAT_TFTP_FAILED]		= "tftp-failed",
	[PXEFAST_STAT_TFTP_ERR_NOT_FOUND]	= "tftp-err-not-found",
	[PXEFAST_STAT_TFTP_ERR_ACCESS]		= "tftp-err-access",
	[PXEFAST_STAT_TFTP_ERR_BUSY]		= "tftp-err-busy",
	[PXEFAST_STAT_TFTP_ERR_ILLEGAL]		= "tftp-err-illegal",
	[PXEFAST_STAT_TFTP_CLIENT_ERR]		= "tftp-client-err",
	[PXEFAST_STAT_TFTP_TIMEOUTS]		= "tftp-timeouts",
	[PXEFAST_STAT_TFTP_SESSIONS]		= "tftp-sessions",
	[PXEFAST_STAT_DHCP_BAD_OPTIONS]		= "dhcp-bad-options",
	[PXEFAST_STAT_DHCP_DELAY_DROPS]		= "dhcp-delay-drops",
	[PXEFAST_STAT_TFTP_SIZE_PROBES]		= "tftp-size-probes",
};

struct arch_stat {
	uint16_t code;
	uint64_t requests, answers;
};

struct stats {
	bool has[__PXEFAST_STAT_MAX];
	uint64_t c[__PXEFAST_STAT_MAX];
	unsigned int narch;
	struct arch_stat arch[1024];
};

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

static void print_text(const struct stats *st)
{
	for (int i = 0; i < __PXEFAST_STAT_MAX; i++)
		if (st->has[i] && stat_names[i])
			printf("%-20s %" PRIu64 "\n", stat_names[i], st->c[i]);
		else if (st->has[i])
			printf("stat-%-15d %" PRIu64 "\n", i, st->c[i]);
	if (!st->narch)
		return;
	printf("\n%-28s %12s %12s\n", "architecture", "requests", "answers");
	for (unsigned int i = 0; i < st->narch; i++) {
		const char *n = arch_name(st->arch[i].code);
		char name[40];

		snprintf(name, sizeof(name), n ? "%u (%s)" : "%u%s",
			 st->arch[i].code, n ? n : "");
		printf("%-28s %12" PRIu64 " %12" PRIu64 "\n", name,
		       st->arch[i].requests, st->arch[i].answers);
	}
}

static void print_json(const struct stats *st)
{
	json_open(stdout, NULL, '{');
	json_open(stdout, "counters", '{');
	for (int i = 0; i < __PXEFAST_STAT_MAX; i++) {
		char key[40];

		if (!st->has[i])
			continue;
		if (stat_names[i]) {
			snprintf(key, sizeof(key), "%s", stat_names[i]);
			for (char *p = key; *p; p++)
				if (*p == '-')
					*p = '_';
		} else {
			snprintf(key, sizeof(key), "stat_%d", i);
		}
		json_u64(stdout, key, st->c[i]);
	}
	json_close(stdout);
	json_open(stdout, "archs", '[');
	for (unsigned int i = 0; i < st->narch; i++) {
		const char *n = arch_name(st->arch[i].code);

		json_open(stdout, NULL, '{');
		json_u64(stdout, "code", st->arch[i].code);
		if (n)
			json_str(stdout, "code_name", n);
		json_u64(stdout, "requests", st->arch[i].requests);
		json_u64(stdout, "answers", st->arch[i].answers);
		json_close(stdout);
	}
	json_close(stdout);
	json_end(stdout);
}

int cmd_stats(struct nl_ctx *ctx, int argc, char **argv)
{
	static struct stats st;
	struct nl_msg *msg;
	bool clear = false;

	if (argc == 1 && !strcmp(argv[0], "clear")) {
		clear = true;
	} else if (argc) {
		return verb_usage_err();
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
	if (json)
		print_json(&st);
	else
		print_text(&st);
	return fflush(stdout) ? 1 : 0;
}
