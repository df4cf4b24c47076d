// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: the counters' one table and how "stats" prints them: text, JSON
 * (-j) and the Prometheus text exposition format (--prometheus).  No
 * netlink here, so the host unit test prints the same way.
 */
#include <inttypes.h>
#include <string.h>
#include "pxectl.h"

/*
 * enum pxefast_stat.  The name is printed as is by "stats", with '_' for
 * '-' in JSON, and as pxefast_NAME_total (a gauge: pxefast_NAME) with the
 * help text in the Prometheus format.
 */
static const struct stat_desc {
	const char *name;
	bool gauge;
	const char *help;
} stat_descs[__PXEFAST_STAT_MAX] = {
	[PXEFAST_STAT_DHCP_RX]		= { "dhcp-rx", false,
		"DHCP packets received on UDP 67 of served interfaces" },
	[PXEFAST_STAT_DHCP_PXE_RX]	= { "dhcp-pxe-rx", false,
		"DHCP packets received on UDP 67 from PXE clients" },
	[PXEFAST_STAT_DHCP_OFFER_TX]	= { "dhcp-offer-tx", false,
		"Proxy DHCP answers sent from UDP 67" },
	[PXEFAST_STAT_BOOT_RX]		= { "boot-rx", false,
		"Boot server requests received on UDP 4011" },
	[PXEFAST_STAT_BOOT_ACK_TX]	= { "boot-ack-tx", false,
		"Boot server DHCPACKs sent from UDP 4011" },
	[PXEFAST_STAT_DROP_MALFORMED]	= { "drop-malformed", false,
		"DHCP packets dropped: bad header, options, lengths or magic cookie" },
	[PXEFAST_STAT_DROP_HTYPE]	= { "drop-htype", false,
		"DHCP packets dropped: hardware type not Ethernet or bad hlen" },
	[PXEFAST_STAT_DROP_ARCH]	= { "drop-arch", false,
		"PXE requests not answered: client architecture disabled" },
	[PXEFAST_STAT_DROP_NO_MAP]	= { "drop-no-map", false,
		"PXE requests not answered: no mapping matched" },
	[PXEFAST_STAT_DROP_NO_BIS]	= { "drop-no-bis", false,
		"PXE requests not answered: BIS credentials asked, none configured" },
	[PXEFAST_STAT_DROP_NO_ADDR]	= { "drop-no-addr", false,
		"PXE requests not answered: no server address on the interface" },
	[PXEFAST_STAT_TX_ERRORS]	= { "tx-errors", false,
		"Replies that could not be built or sent" },
	[PXEFAST_STAT_TFTP_RRQ_RX]	= { "tftp-rrq-rx", false,
		"TFTP read requests received" },
	[PXEFAST_STAT_TFTP_WRQ_RX]	= { "tftp-wrq-rx", false,
		"TFTP write requests received (refused: read-only server)" },
	[PXEFAST_STAT_TFTP_OACK_TX]	= { "tftp-oack-tx", false,
		"TFTP option acknowledgements sent" },
	[PXEFAST_STAT_TFTP_DATA_TX]	= { "tftp-data-tx", false,
		"TFTP DATA packets sent" },
	[PXEFAST_STAT_TFTP_BYTES_TX]	= { "tftp-bytes-tx", false,
		"TFTP file bytes sent" },
	[PXEFAST_STAT_TFTP_RETRANSMITS]	= { "tftp-retransmits", false,
		"TFTP DATA packets sent again" },
	[PXEFAST_STAT_TFTP_DONE]	= { "tftp-done", false,
		"TFTP transfers completed" },
	[PXEFAST_STAT_TFTP_FAILED]	= { "tftp-failed", false,
		"TFTP transfers that failed" },
	[PXEFAST_STAT_TFTP_ERR_NOT_FOUND] = { "tftp-err-not-found", false,
		"TFTP ERROR packets sent: file not found" },
	[PXEFAST_STAT_TFTP_ERR_ACCESS]	= { "tftp-err-access", false,
		"TFTP ERROR packets sent: access violation" },
	[PXEFAST_STAT_TFTP_ERR_BUSY]	= { "tftp-err-busy", false,
		"TFTP ERROR packets sent: a transfer limit was reached" },
	[PXEFAST_STAT_TFTP_ERR_ILLEGAL]	= { "tftp-err-illegal", false,
		"TFTP ERROR packets sent: illegal TFTP operation" },
	[PXEFAST_STAT_TFTP_CLIENT_ERR]	= { "tftp-client-err", false,
		"TFTP ERROR packets received from clients" },
	[PXEFAST_STAT_TFTP_TIMEOUTS]	= { "tftp-timeouts", false,
		"TFTP transfers ended by the retry limit or the idle timeout" },
	[PXEFAST_STAT_TFTP_SESSIONS]	= { "tftp-sessions", true,
		"TFTP transfers in progress" },
	[PXEFAST_STAT_DHCP_BAD_OPTIONS]	= { "dhcp-bad-options", false,
		"DHCP options ignored as unusable (malformed 97, odd 93...)" },
	[PXEFAST_STAT_DHCP_DELAY_DROPS]	= { "dhcp-delay-drops", false,
		"delayed DHCP replies dropped: the queue was full" },
	[PXEFAST_STAT_TFTP_SIZE_PROBES]	= { "tftp-size-probes", false,
		"TFTP transfers the client ended after the OACK's tsize" },
	[PXEFAST_STAT_XDP_DHCP_TX]	= { "xdp-dhcp-tx", false,
		"Proxy DHCP answers sent at XDP (XDP_TX; unseen by tcpdump)" },
	[PXEFAST_STAT_XDP_DHCP_PASS]	= { "xdp-dhcp-pass", false,
		"UDP 67 packets XDP left to the stack (not PXE, local DHCP server...)" },
	[PXEFAST_STAT_XDP_BOOT_TX]	= { "xdp-boot-tx", false,
		"Boot server answers sent at XDP (XDP_TX; unseen by tcpdump)" },
	[PXEFAST_STAT_XDP_BOOT_PASS]	= { "xdp-boot-pass", false,
		"UDP 4011 packets XDP left to the stack" },
	[PXEFAST_STAT_XDP_FALLBACK]	= { "xdp-fallback", false,
		"PXE requests left to the netfilter path: reply too large for the frame, or delayed" },
	[PXEFAST_STAT_DHCP_HTTP_RX]	= { "dhcp-http-rx", false,
		"DHCP packets received on UDP 67 from UEFI HTTP boot clients" },
	[PXEFAST_STAT_DROP_NO_URL]	= { "drop-no-url", false,
		"HTTP boot requests not answered: the mapping gives no URL" },
	[PXEFAST_STAT_TFTP6_RRQ_RX]	= { "tftp6-rrq-rx", false,
		"TFTP read requests received over IPv6 (also in tftp-rrq-rx)" },
	[PXEFAST_STAT_DHCP6_RX]		= { "dhcp6-rx", false,
		"DHCPv6 messages received on UDP 547 on interfaces served over DHCPv6" },
	[PXEFAST_STAT_DHCP6_BOOT_RX]	= { "dhcp6-boot-rx", false,
		"DHCPv6 messages received on UDP 4011 over IPv6" },
	[PXEFAST_STAT_DHCP6_ADVERTISE_TX] = { "dhcp6-advertise-tx", false,
		"DHCPv6 proxy Advertises sent (to Solicits)" },
	[PXEFAST_STAT_DHCP6_REPLY_TX]	= { "dhcp6-reply-tx", false,
		"DHCPv6 Replies sent (UDP 4011, Information-Requests)" },
	[PXEFAST_STAT_DHCP6_DROP_MALFORMED] = { "dhcp6-drop-malformed", false,
		"DHCPv6 messages dropped: truncated, bad options, UDP length or checksum" },
	[PXEFAST_STAT_DHCP6_RELAY_RX]	= { "dhcp6-relay-rx", false,
		"DHCPv6 Relay-forwards received on UDP 547 (also in dhcp6-rx)" },
};

/* The counter's name with '-' replaced by @sep ("stat-N" when unknown). */
static const char *stat_key(int i, char sep, char *buf, size_t len)
{
	if (i < __PXEFAST_STAT_MAX && stat_descs[i].name)
		snprintf(buf, len, "%s", stat_descs[i].name);
	else
		snprintf(buf, len, "stat-%d", i);
	for (char *p = buf; *p; p++)
		if (*p == '-')
			*p = sep;
	return buf;
}

void stats_print_text(FILE *f, const struct stats *st)
{
	char key[40];

	for (int i = 0; i < __PXEFAST_STAT_MAX; i++)
		if (st->has[i])
			fprintf(f, "%-20s %" PRIu64 "\n",
				stat_key(i, '-', key, sizeof(key)), st->c[i]);
	if (!st->narch)
		return;
	fprintf(f, "\n%-28s %12s %12s\n", "architecture", "requests", "answers");
	for (unsigned int i = 0; i < st->narch; i++) {
		const char *n = arch_name(st->arch[i].code);
		char name[40];

		snprintf(name, sizeof(name), n ? "%u (%s)" : "%u%s",
			 st->arch[i].code, n ? n : "");
		fprintf(f, "%-28s %12" PRIu64 " %12" PRIu64 "\n", name,
			st->arch[i].requests, st->arch[i].answers);
	}
}

void stats_print_json(FILE *f, const struct stats *st)
{
	char key[40];

	json_open(f, NULL, '{');
	json_open(f, "counters", '{');
	for (int i = 0; i < __PXEFAST_STAT_MAX; i++)
		if (st->has[i])
			json_u64(f, stat_key(i, '_', key, sizeof(key)), st->c[i]);
	json_close(f);
	json_open(f, "archs", '[');
	for (unsigned int i = 0; i < st->narch; i++) {
		const char *n = arch_name(st->arch[i].code);

		json_open(f, NULL, '{');
		json_u64(f, "code", st->arch[i].code);
		if (n)
			json_str(f, "code_name", n);
		json_u64(f, "requests", st->arch[i].requests);
		json_u64(f, "answers", st->arch[i].answers);
		json_close(f);
	}
	json_close(f);
	json_end(f);
}

/* A label value: backslash, double quote and newline escaped. */
static void prom_label_value(FILE *f, const char *v)
{
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

static void prom_head(FILE *f, const char *metric, const char *type,
		      const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", metric, help, metric, type);
}

/* "{netns="N",extra}" or "{extra}" or nothing. */
static void prom_labels(FILE *f, const char *netns, const struct arch_stat *a)
{
	const char *n;

	if (!netns && !a)
		return;
	fputc('{', f);
	if (netns) {
		fputs("netns=", f);
		prom_label_value(f, netns);
	}
	if (a) {
		n = arch_name(a->code);
		fprintf(f, "%sarch=\"%u\",arch_name=", netns ? "," : "", a->code);
		prom_label_value(f, n ? n : "");
	}
	fputc('}', f);
}

void stats_print_prometheus(FILE *f, const struct stats *st, const char *netns)
{
	static const struct {
		const char *suffix, *help;
		size_t off;
	} per_arch[] = {
		{ "arch_requests_total",
		  "PXE requests received, by client architecture (RFC 4578 option 93)",
		  offsetof(struct arch_stat, requests) },
		{ "arch_answers_total",
		  "PXE requests answered, by client architecture (RFC 4578 option 93)",
		  offsetof(struct arch_stat, answers) },
	};
	char key[40], metric[64];

	for (int i = 0; i < __PXEFAST_STAT_MAX; i++) {
		bool known = stat_descs[i].name != NULL;
		bool gauge = known && stat_descs[i].gauge;

		if (!st->has[i])
			continue;
		snprintf(metric, sizeof(metric), "pxefast_%s%s",
			 stat_key(i, '_', key, sizeof(key)), gauge ? "" : "_total");
		if (known) {
			prom_head(f, metric, gauge ? "gauge" : "counter",
				  stat_descs[i].help);
		} else {
			char help[64];

			snprintf(help, sizeof(help), "Counter %d of the kernel "
				 "(unknown to this pxectl)", i);
			prom_head(f, metric, "counter", help);
		}
		fputs(metric, f);
		prom_labels(f, netns, NULL);
		fprintf(f, " %" PRIu64 "\n", st->c[i]);
	}
	if (!st->narch)
		return;
	for (size_t k = 0; k < sizeof(per_arch) / sizeof(per_arch[0]); k++) {
		snprintf(metric, sizeof(metric), "pxefast_%s", per_arch[k].suffix);
		prom_head(f, metric, "counter", per_arch[k].help);
		for (unsigned int i = 0; i < st->narch; i++) {
			const struct arch_stat *a = &st->arch[i];
			uint64_t v;

			memcpy(&v, (const char *)a + per_arch[k].off, sizeof(v));
			fputs(metric, f);
			prom_labels(f, netns, a);
			fprintf(f, " %" PRIu64 "\n", v);
		}
	}
}
