// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of "pxectl stats --prometheus" (no kernel needed): the
 * metric names, types and labels for a known set of counters, a label
 * value that needs escaping.  Prints the exposition of its last case on
 * stdout for prom_check.py to validate.
 */
#include <stdlib.h>
#include <string.h>
#include "pxectl.h"
#include "test.h"

static char *render(const struct stats *st, const char *netns)
{
	char *out = NULL;
	size_t len;
	FILE *o = open_memstream(&out, &len);

	stats_print_prometheus(o, st, netns);
	fclose(o);
	return out;
}

#define HAS_LINE(out, line) \
	CHECK(strstr(out, line "\n") && (strstr(out, line "\n") == out || \
	      strstr(out, line "\n")[-1] == '\n'), "missing line: %s", line)

int main(void)
{
	static struct stats st;
	char *out;

	/* Every counter the kernel sends, as it sends them. */
	for (int i = PXEFAST_STAT_PAD + 1; i < __PXEFAST_STAT_MAX; i++) {
		st.has[i] = true;
		st.c[i] = 1000 + (uint64_t)i;
	}
	st.c[PXEFAST_STAT_TFTP_SESSIONS] = 3;
	st.c[PXEFAST_STAT_TFTP_BYTES_TX] = 18446744073709551615ull;
	st.arch[st.narch++] = (struct arch_stat){ 7, 12, 10 };
	st.arch[st.narch++] = (struct arch_stat){ 0, 4, 4 };
	st.arch[st.narch++] = (struct arch_stat){ 4242, 1, 0 };

	out = render(&st, NULL);
	HAS_LINE(out, "# TYPE pxefast_dhcp_rx_total counter");
	HAS_LINE(out, "# HELP pxefast_dhcp_rx_total DHCP packets received on UDP 67 of served interfaces");
	HAS_LINE(out, "pxefast_dhcp_rx_total 1002");
	HAS_LINE(out, "# TYPE pxefast_tftp_sessions gauge");
	HAS_LINE(out, "pxefast_tftp_sessions 3");
	CHECK(!strstr(out, "pxefast_tftp_sessions_total"), "the gauge is named as a counter");
	HAS_LINE(out, "pxefast_tftp_bytes_tx_total 18446744073709551615");
	HAS_LINE(out, "# TYPE pxefast_arch_requests_total counter");
	HAS_LINE(out, "pxefast_arch_requests_total{arch=\"7\",arch_name=\"uefi-x64\"} 12");
	HAS_LINE(out, "pxefast_arch_answers_total{arch=\"0\",arch_name=\"bios\"} 4");
	HAS_LINE(out, "pxefast_arch_answers_total{arch=\"4242\",arch_name=\"\"} 0");
	for (int i = PXEFAST_STAT_PAD + 1; i < __PXEFAST_STAT_MAX; i++) {
		char want[64];

		snprintf(want, sizeof(want), " %llu\n",
			 (unsigned long long)st.c[i]);
		CHECK(strstr(out, want), "counter %d not printed", i);
	}
	free(out);

	/* Nothing from the kernel: nothing printed. */
	{
		static struct stats none;

		out = render(&none, NULL);
		CHECK(!out[0], "output without counters: %s", out);
		free(out);
	}

	/* A namespace label on every sample, escaped. */
	out = render(&st, "lab\"net\\1");
	HAS_LINE(out, "pxefast_dhcp_rx_total{netns=\"lab\\\"net\\\\1\"} 1002");
	HAS_LINE(out, "pxefast_arch_requests_total{netns=\"lab\\\"net\\\\1\",arch=\"7\",arch_name=\"uefi-x64\"} 12");
	free(out);

	/* The case handed to prom_check.py: netns label, plain name. */
	out = render(&st, "labnet");
	fputs(out, stdout);
	free(out);

	if (failures)
		fprintf(stderr, "test_stats: %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
