// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: configure the pxefast kernel module (proxy DHCP, PXE boot server,
 * TFTP) over generic netlink.  Global options; the verbs are in verbs.c.
 */
#include <stdlib.h>
#include <string.h>
#include "pxectl.h"

const char *netns_name;
bool json;

int main(int argc, char **argv)
{
	struct nl_ctx ctx = { 0 };
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "-n") || !strcmp(o, "--netns")) {
			if (++i == argc) {
				fprintf(stderr, "pxectl: error: %s needs a "
					"namespace name\n", o);
				return 1;
			}
			netns_name = argv[i];
		} else if (!strncmp(o, "-n", 2)) {
			netns_name = o + 2;
		} else if (!strcmp(o, "-j") || !strcmp(o, "--json")) {
			json = true;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(o, "-V") || !strcmp(o, "--version")) {
			printf("pxectl %s\n", PXECTL_VERSION);
			return 0;
		} else if (!strcmp(o, "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "pxectl: error: unknown option '%s'\n", o);
			usage(stderr);
			return 1;
		}
	}
	if (i == argc) {
		usage(stderr);
		return 1;
	}
	ret = verb_run(&ctx, argc - i, argv + i);
	ctl_close(&ctx);
	return ret;
}
