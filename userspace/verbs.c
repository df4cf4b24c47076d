// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: the verb table.  One entry per command: its words, the usage of
 * its arguments, a line of help and its handler.  The table drives -h,
 * the usage printed with an error, dispatch and, through "pxectl help
 * verbs", the bash completion.
 */
#include <string.h>
#include "pxectl.h"

/* The match fields of a mapping, as map add, replace and del take them. */
#define MAP_MATCH_USAGE "[arch A] [mac M] [mac-prefix P] [uuid U] " \
	"[uuid-prefix P] [vendor-class S] [user-class S] [type T] [layer L]"

static const struct verb verbs[] = {
	{ "show", "[dev|tftp|dhcp|arch|server|map|menu]...",
	  "show the configuration", cmd_show, 0, VERB_JSON },
	{ "showconf", "",
	  "print the configuration as a pxefast.conf file", cmd_showconf, 0, 0 },
	{ "setconf", "[--check] FILE|-",
	  "replace the configuration with a file's, atomically; --check: "
	  "only check it", cmd_setconf, 0, 0 },
	{ "dev add", "IFACE [addr A.B.C.D]",
	  "serve PXE clients on an interface", cmd_change, DEV_ADD, 0 },
	{ "dev del", "IFACE",
	  "stop serving an interface", cmd_change, DEV_DEL, 0 },
	{ "tftp set", "[on|off] [root DIR] [max-sessions N] [max-per-client N] "
	  "[max-blksize N] [max-window N] [timeout-ms N] [retries N] "
	  "[ports MIN-MAX] [idle-timeout-ms N] [case-fold on|off]",
	  "change TFTP settings", cmd_change, TFTP_SET, 0 },
	{ "dhcp set", "[proxy on|off] [boot-server on|off] [discovery FLAGS] "
	  "[mcast-addr A.B.C.D|none] [http-base URL|none]",
	  "change proxy DHCP and boot server settings", cmd_change, DHCP_SET, 0 },
	{ "arch enable", "ARCH",
	  "answer clients of an architecture", cmd_change, ARCH_ENABLE, 0 },
	{ "arch disable", "ARCH",
	  "ignore clients of an architecture", cmd_change, ARCH_DISABLE, 0 },
	{ "arch list", "",
	  "list the architecture names", cmd_arch_list, 0, 0 },
	{ "server add", "TYPE [addr A[,B...]] [label L]",
	  "add a boot server type (fails if it exists)", cmd_change, SERVER_ADD, 0 },
	{ "server replace", "TYPE [addr A[,B...]] [label L]",
	  "add a boot server type or replace it", cmd_change, SERVER_REPLACE, 0 },
	{ "server del", "TYPE",
	  "remove a boot server type", cmd_change, SERVER_DEL, 0 },
	{ "map add", MAP_MATCH_USAGE " file F [next-server A] [delay-ms N] "
	  "[bis-file F] [label L]",
	  "add an NBP mapping (fails if one has the same match)", cmd_change,
	  MAP_ADD, 0 },
	{ "map replace", MAP_MATCH_USAGE " file F [next-server A] [delay-ms N] "
	  "[bis-file F] [label L]",
	  "add an NBP mapping or replace the one with the same match",
	  cmd_change, MAP_REPLACE, 0 },
	{ "map del", MAP_MATCH_USAGE,
	  "remove the mapping with exactly these match fields", cmd_change,
	  MAP_DEL, 0 },
	{ "menu set", "[prompt TEXT] [timeout N] [item TYPE LABEL]...",
	  "create or change the boot menu", cmd_change, MENU_SET, 0 },
	{ "menu item add", "TYPE LABEL",
	  "add a menu item or relabel it", cmd_change, MENU_ITEM_ADD, 0 },
	{ "menu item del", "TYPE",
	  "remove a menu item", cmd_change, MENU_ITEM_DEL, 0 },
	{ "menu clear", "",
	  "remove the menu", cmd_change, MENU_CLEAR, 0 },
	{ "xdp list", "",
	  "list the interfaces of every named namespace with pxefast's XDP "
	  "program attached", cmd_xdp_list, 0, 0 },
	{ "xdp unload", "",
	  "unload the module unless XDP programs still call it (modprobe -r "
	  "runs this)", cmd_xdp_unload, 0, 0 },
	{ "stats", "[clear] [--prometheus]",
	  "print (and clear) the counters; --prometheus: in the Prometheus "
	  "text format", cmd_stats, 0, VERB_JSON },
	{ "sessions", "",
	  "list the live TFTP transfers", cmd_sessions, 0, VERB_JSON },
	{ "monitor", "",
	  "print events until interrupted", cmd_monitor, 0, VERB_JSON },
	{ "help", "[verbs]",
	  "this help; \"verbs\": one verb and its arguments per line",
	  cmd_help, 0, 0 },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

const struct verb *current_verb;

/* Number of words of @v matched by @argv, or 0 when they differ. */
static int verb_match(const struct verb *v, int argc, char **argv)
{
	const char *w = v->words;
	int n = 0;

	while (*w) {
		size_t len = strcspn(w, " ");

		if (n == argc || strlen(argv[n]) != len ||
		    strncmp(argv[n], w, len))
			return 0;
		n++;
		w += len;
		w += strspn(w, " ");
	}
	return n;
}

/* Whether @v's first word is @obj. */
static bool verb_object_is(const struct verb *v, const char *obj)
{
	size_t len = strcspn(v->words, " ");

	return strlen(obj) == len && !strncmp(v->words, obj, len);
}

#define USAGE_WIDTH 78

/* Length of one usage element at @a: a word or a [bracketed group]. */
static size_t usage_elem(const char *a)
{
	size_t i = 0;
	int depth = 0;

	for (; a[i] && (depth || a[i] != ' '); i++) {
		if (a[i] == '[')
			depth++;
		else if (a[i] == ']' && depth)
			depth--;
	}
	return i;
}

/* "LEAD WORDS ARGS [-j]", the arguments wrapped under themselves. */
static void verb_line(FILE *f, const char *lead, const struct verb *v)
{
	int col = fprintf(f, "%s%s", lead, v->words), indent = col + 1;
	const char *a = v->args;

	while (*a) {
		size_t len = usage_elem(a);

		if (col + 1 + (int)len > USAGE_WIDTH && col > indent)
			col = fprintf(f, "\n%*s", indent - 1, "") - 1;
		col += fprintf(f, " %.*s", (int)len, a);
		a += len;
		a += strspn(a, " ");
	}
	if (v->flags & VERB_JSON)
		fputs(" [-j]", f);
	fputc('\n', f);
}

void usage(FILE *f)
{
	fputs("usage: pxectl [-n NETNS] [-j] VERB [ARGS]\n\n", f);
	for (size_t i = 0; i < NVERBS; i++) {
		verb_line(f, "  ", &verbs[i]);
		fprintf(f, "        %s\n", verbs[i].help);
	}
	fputs("\n"
	      "  -n NETNS   act in network namespace NETNS (/var/run/netns/NETNS)\n"
	      "  -j         JSON output (show, stats, sessions, monitor)\n"
	      "  -h         this help;  -V  version\n"
	      "\n"
	      "See pxectl(8) and pxefast.conf(5).\n", f);
}

int verb_usage_err(void)
{
	const struct verb *cur = current_verb;
	const char *lead = "usage: pxectl ";

	if (!cur) {
		usage(stderr);
		return 1;
	}
	/* The verb's own usage, then its siblings' ("map add" -> map *). */
	verb_line(stderr, lead, cur);
	for (size_t i = 0; i < NVERBS; i++) {
		char obj[32];

		snprintf(obj, sizeof(obj), "%.*s", (int)strcspn(cur->words, " "),
			 cur->words);
		if (&verbs[i] != cur && verb_object_is(&verbs[i], obj))
			verb_line(stderr, "   or: pxectl ", &verbs[i]);
	}
	return 1;
}

int cmd_help(struct nl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	if (argc == 1 && !strcmp(argv[0], "verbs")) {
		for (size_t i = 0; i < NVERBS; i++)
			printf("%s\t%s%s\n", verbs[i].words, verbs[i].args,
			       verbs[i].flags & VERB_JSON ? " -j" : "");
		return 0;
	}
	if (argc)
		return verb_usage_err();
	usage(stdout);
	return 0;
}

/* Remove -j/--json from a verb's arguments, setting the flag. */
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

int verb_run(struct nl_ctx *ctx, int argc, char **argv)
{
	const struct verb *best = NULL, *obj = NULL;
	int best_n = 0;

	for (size_t i = 0; i < NVERBS; i++) {
		int n = verb_match(&verbs[i], argc, argv);

		if (n > best_n) {
			best = &verbs[i];
			best_n = n;
		}
		if (!obj && verb_object_is(&verbs[i], argv[0]))
			obj = &verbs[i];
	}
	if (!best) {
		if (obj) {
			/* A known object with a wrong or missing sub-verb. */
			current_verb = obj;
			return verb_usage_err();
		}
		fprintf(stderr, "pxectl: error: unknown verb '%s'\n", argv[0]);
		usage(stderr);
		return 1;
	}
	current_verb = best;
	argc -= best_n;
	argv += best_n;
	if (best->flags & VERB_JSON)
		argc = strip_json(argc, argv);
	return best->run(ctx, argc, argv);
}
