// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: configure the pxefast kernel module (proxy DHCP, PXE boot server,
 * TFTP) over generic netlink.  Global options and command dispatch.
 */
#include <stdlib.h>
#include <string.h>
#include "pxectl.h"

const char *netns_name;
bool json;

static void usage(FILE *f)
{
	fputs(
"usage: pxectl [-n NETNS] [-j] COMMAND [ARGS]\n"
"\n"
"  show [dev|tftp|dhcp|arch|server|map|menu]   show the configuration\n"
"  showconf                                    print it as a pxefast.conf file\n"
"  setconf FILE|-                              replace it with a file's, atomically\n"
"  dev add IFACE [addr A.B.C.D] | dev del IFACE\n"
"  tftp set [on|off] [root DIR] [max-sessions N] [max-per-client N]\n"
"           [max-blksize N] [max-window N] [timeout-ms N] [retries N]\n"
"           [ports MIN-MAX] [idle-timeout-ms N] [case-fold on|off]\n"
"  dhcp set [proxy on|off] [boot-server on|off] [discovery FLAGS]\n"
"           [mcast-addr A.B.C.D|none]\n"
"  arch enable|disable ARCH | arch list\n"
"  server add TYPE [addr A[,B...]] [label L] | server del TYPE\n"
"  map add [arch A] [mac M] [uuid U] [vendor-class S] [user-class S]\n"
"          [type T] [layer L] file F [next-server A] [bis-file F] [label L]\n"
"  map del [arch A] [mac M] [uuid U] [vendor-class S] [user-class S]\n"
"          [type T] [layer L]\n"
"  menu set [prompt TEXT] [timeout N] [item TYPE LABEL]...\n"
"  menu item add TYPE LABEL | menu item del TYPE | menu clear\n"
"  stats [clear]                               counters\n"
"  sessions                                    live TFTP transfers\n"
"  monitor                                     print events until killed\n"
"\n"
"  -n NETNS   act in network namespace NETNS (/var/run/netns/NETNS)\n"
"  -j         JSON output (show, stats, sessions, monitor)\n"
"  -h         this help;  -V  version\n"
"\n"
"See pxectl(8) and pxefast.conf(5).\n", f);
}

/* Remove -j/--json from a command's arguments, setting the flag. */
static int strip_json(int argc, char **argv)
{
	int k = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			json = true;
		else
			argv[k++] = argv[i];
	}
	return k;
}

int main(int argc, char **argv)
{
	struct nl_ctx ctx = { 0 };
	const char *cmd;
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
	cmd = argv[i];
	argc -= i + 1;
	argv += i + 1;

	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	} else if (!strcmp(cmd, "show")) {
		ret = cmd_show(&ctx, strip_json(argc, argv), argv);
	} else if (!strcmp(cmd, "showconf")) {
		ret = cmd_showconf(&ctx, argc, argv);
	} else if (!strcmp(cmd, "setconf")) {
		ret = cmd_setconf(&ctx, argc, argv);
	} else if (!strcmp(cmd, "stats")) {
		ret = cmd_stats(&ctx, strip_json(argc, argv), argv);
	} else if (!strcmp(cmd, "sessions")) {
		ret = cmd_sessions(&ctx, strip_json(argc, argv), argv);
	} else if (!strcmp(cmd, "monitor")) {
		ret = cmd_monitor(&ctx, strip_json(argc, argv), argv);
	} else if (!strcmp(cmd, "arch") && argc == 1 && !strcmp(argv[0], "list")) {
		arch_list(stdout);
		ret = 0;
	} else if (!strcmp(cmd, "dev") || !strcmp(cmd, "tftp") ||
		   !strcmp(cmd, "dhcp") || !strcmp(cmd, "arch") ||
		   !strcmp(cmd, "server") || !strcmp(cmd, "map") ||
		   !strcmp(cmd, "menu")) {
		ret = cmd_change(&ctx, argc + 1, argv - 1);
	} else {
		fprintf(stderr, "pxectl: error: unknown command '%s'\n", cmd);
		usage(stderr);
		ret = 1;
	}
	ctl_close(&ctx);
	return ret;
}
