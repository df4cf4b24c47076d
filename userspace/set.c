// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: setconf and the change verbs (dev, tftp, dhcp, arch, server,
 * map, menu), each a read-modify-write of the whole configuration with a
 * compare-and-swap on its generation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pxectl.h"

extern const char *netns_name;

#define CAS_TRIES 10

/* ---- setconf ----------------------------------------------------------- */

static void report_set_error(const struct nl_ctx *ctx, const struct enc_map *em,
			     const char *file)
{
	const struct enc_range *r = ctx->has_offs ? enc_map_find(em, ctx->offs) : NULL;
	const char *msg = ctx->msg[0] ? ctx->msg : strerror(ctx->err);

	if (r && r->line && file)
		fprintf(stderr, "%s:%d: %s\n", file, r->line, msg);
	else if (r && r->line)
		fprintf(stderr, "pxectl: error: %s (line %d)\n", msg, r->line);
	else
		ctl_error(ctx, "cannot set the configuration");
}

int cmd_setconf(struct nl_ctx *ctx, int argc, char **argv)
{
	struct pxe_config *c = config_new();
	struct enc_map em = { 0 };
	const char *name;
	FILE *f;
	int err;

	if (argc != 1) {
		fprintf(stderr, "usage: pxectl setconf FILE|-\n");
		config_free(c);
		return 1;
	}
	if (!strcmp(argv[0], "-")) {
		f = stdin;
		name = "<stdin>";
	} else {
		f = fopen(argv[0], "r");
		name = argv[0];
		if (!f) {
			fprintf(stderr, "pxectl: error: %s: %s\n", argv[0],
				strerror(errno));
			config_free(c);
			return 1;
		}
	}
	err = conf_parse(f, name, c);
	if (f != stdin)
		fclose(f);
	if (err || ctl_open(ctx, netns_name)) {
		config_free(c);
		return 1;
	}
	err = config_set(ctx, c, false, &em, NULL);
	if (err)
		report_set_error(ctx, &em, name);
	enc_map_free(&em);
	config_free(c);
	return err ? 1 : 0;
}

/* ---- edits --------------------------------------------------------------- */

enum edit_op {
	DEV_ADD, DEV_DEL, TFTP_SET, DHCP_SET, ARCH_SET, SERVER_ADD, SERVER_DEL,
	MAP_ADD, MAP_DEL, MENU_SET, MENU_ITEM_ADD, MENU_ITEM_DEL, MENU_CLEAR,
};

struct edit {
	enum edit_op op;
	int argc;
	char **argv;
	struct pxe_dev dev;
	struct pxe_server server;
	struct pxe_map map;
	uint16_t code;
	bool enable;
	struct pxe_menu_item item;
	unsigned int nitems;
	struct pxe_menu_item items[PXEFAST_MAX_MENU_ITEMS];
};

static int edit_fail(const char *fmt, const char *arg)
{
	fputs("pxectl: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return -1;
}

static int apply_dev(struct pxe_config *c, struct edit *e)
{
	for (unsigned int i = 0; i < c->ndevs; i++) {
		struct pxe_dev *d = &c->devs[i];

		if (strcmp(d->name, e->dev.name))
			continue;
		if (e->op == DEV_DEL) {
			memmove(d, d + 1, (c->ndevs - i - 1) * sizeof(*d));
			c->ndevs--;
		} else {
			d->addr = e->dev.addr;
		}
		return 0;
	}
	if (e->op == DEV_DEL)
		return edit_fail("interface %s is not served", e->dev.name);
	if (c->ndevs == PXEFAST_MAX_DEVS)
		return edit_fail("too many interfaces%s", "");
	c->devs[c->ndevs++] = e->dev;
	return 0;
}

static int apply_arch(struct pxe_config *c, struct edit *e)
{
	unsigned int i;

	for (i = 0; i < c->narchs; i++)
		if (c->archs[i].code == e->code)
			break;
	if (e->enable) {
		/* Architectures not listed are enabled. */
		if (i < c->narchs) {
			memmove(&c->archs[i], &c->archs[i + 1],
				(c->narchs - i - 1) * sizeof(c->archs[0]));
			c->narchs--;
		}
		return 0;
	}
	if (i == c->narchs) {
		if (c->narchs == PXEFAST_MAX_ARCHS)
			return edit_fail("too many architectures%s", "");
		c->narchs++;
	}
	c->archs[i].code = e->code;
	c->archs[i].enabled = false;
	c->archs[i].line = 0;
	return 0;
}

static int apply_server(struct pxe_config *c, struct edit *e)
{
	char t[8];

	snprintf(t, sizeof(t), "%u", e->server.type);
	for (unsigned int i = 0; i < c->nservers; i++) {
		struct pxe_server *s = &c->servers[i];

		if (s->type != e->server.type)
			continue;
		free(s->label);
		if (e->op == SERVER_DEL) {
			memmove(s, s + 1, (c->nservers - i - 1) * sizeof(*s));
			c->nservers--;
		} else {
			*s = e->server;
			s->label = s->label ? xstrdup(s->label) : NULL;
		}
		return 0;
	}
	if (e->op == SERVER_DEL)
		return edit_fail("no boot server of type %s", t);
	if (c->nservers == PXEFAST_MAX_SERVERS)
		return edit_fail("too many boot servers%s", "");
	c->servers[c->nservers] = e->server;
	c->servers[c->nservers].label =
		e->server.label ? xstrdup(e->server.label) : NULL;
	c->nservers++;
	return 0;
}

static char *dup0(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int apply_map(struct pxe_config *c, struct edit *e)
{
	struct pxe_map *m = NULL;

	for (unsigned int i = 0; i < c->nmaps; i++) {
		if (!map_same_match(&c->maps[i], &e->map))
			continue;
		m = &c->maps[i];
		map_free(m);
		if (e->op == MAP_DEL) {
			memmove(m, m + 1, (c->nmaps - i - 1) * sizeof(*m));
			c->nmaps--;
			return 0;
		}
		break;
	}
	if (e->op == MAP_DEL)
		return edit_fail("no mapping with these match fields%s", "");
	if (!m) {
		if (c->nmaps >= PXEFAST_MAX_MAPS)
			return edit_fail("too many mappings%s", "");
		m = config_add_map(c);
	}
	*m = e->map;
	m->vendor_class = dup0(e->map.vendor_class);
	m->user_class = dup0(e->map.user_class);
	m->file = dup0(e->map.file);
	m->bis_file = dup0(e->map.bis_file);
	m->label = dup0(e->map.label);
	return 0;
}

static struct pxe_menu_item *find_item(struct pxe_menu *m, uint16_t type)
{
	for (unsigned int i = 0; i < m->nitems; i++)
		if (m->items[i].type == type)
			return &m->items[i];
	return NULL;
}

static int add_item(struct pxe_menu *m, const struct pxe_menu_item *in)
{
	struct pxe_menu_item *it = find_item(m, in->type);

	if (!it) {
		if (m->nitems == PXEFAST_MAX_MENU_ITEMS)
			return edit_fail("too many menu items (at most 32)%s", "");
		it = &m->items[m->nitems++];
		it->label = NULL;
	}
	free(it->label);
	it->type = in->type;
	it->label = xstrdup(in->label);
	it->line = 0;
	return 0;
}

static int apply_menu(struct pxe_config *c, struct edit *e)
{
	struct pxe_menu *m = &c->menu;
	struct pxe_menu_item *it;
	char t[8];

	switch (e->op) {
	case MENU_CLEAR:
		menu_clear(m);
		return 0;
	case MENU_SET:
		if (parse_menu_args(e->argc, e->argv, m))
			return edit_fail("%s", errbuf);
		for (unsigned int i = 0; i < e->nitems; i++)
			if (add_item(m, &e->items[i]))
				return -1;
		if (!m->prompt)
			return edit_fail("there is no menu yet: give it a prompt "
					 "(menu set prompt TEXT item TYPE LABEL)%s", "");
		if (!m->nitems)
			return edit_fail("a menu needs at least one item "
					 "(menu set prompt TEXT item TYPE LABEL)%s", "");
		return 0;
	case MENU_ITEM_ADD:
		if (!m->prompt)
			return edit_fail("there is no menu: create one with "
					 "\"menu set prompt TEXT item TYPE LABEL\"%s", "");
		return add_item(m, &e->item);
	default:
		snprintf(t, sizeof(t), "%u", e->item.type);
		it = find_item(m, e->item.type);
		if (!it)
			return edit_fail("no menu item of type %s", t);
		if (m->nitems == 1)
			return edit_fail("the menu needs at least one item: "
					 "remove the whole menu with \"menu clear\"%s", "");
		free(it->label);
		memmove(it, it + 1, (size_t)(&m->items[m->nitems] - it - 1) * sizeof(*it));
		m->nitems--;
		return 0;
	}
}

static int apply(struct pxe_config *c, struct edit *e)
{
	switch (e->op) {
	case DEV_ADD:
	case DEV_DEL:
		return apply_dev(c, e);
	case TFTP_SET:
		if (parse_tftp_args(e->argc, e->argv, &c->tftp))
			return edit_fail("%s", errbuf);
		return 0;
	case DHCP_SET:
		if (parse_dhcp_args(e->argc, e->argv, &c->dhcp))
			return edit_fail("%s", errbuf);
		return 0;
	case ARCH_SET:
		return apply_arch(c, e);
	case SERVER_ADD:
	case SERVER_DEL:
		return apply_server(c, e);
	case MAP_ADD:
	case MAP_DEL:
		return apply_map(c, e);
	default:
		return apply_menu(c, e);
	}
}

/* ---- verb parsing -------------------------------------------------------- */

static int usage_err(const char *usage)
{
	fprintf(stderr, "usage: pxectl %s\n", usage);
	return -1;
}

static int syntax(void)
{
	fprintf(stderr, "pxectl: error: %s\n", errbuf);
	return -1;
}

static int parse_menu_verb(int argc, char **argv, struct edit *e)
{
	uint32_t n;

	if (argc >= 1 && !strcmp(argv[0], "clear") && argc == 1) {
		e->op = MENU_CLEAR;
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[0], "item")) {
		if (!strcmp(argv[1], "add") && argc == 4) {
			e->op = MENU_ITEM_ADD;
			if (parse_u32(argv[2], 0, 0xffff, &n, "menu item type"))
				return syntax();
			if (strlen(argv[3]) >= PXEFAST_NAME_MAX)
				return edit_fail("label too long%s", "");
			e->item.type = (uint16_t)n;
			e->item.label = argv[3];
			return 0;
		}
		if (!strcmp(argv[1], "del") && argc == 3) {
			e->op = MENU_ITEM_DEL;
			if (parse_u32(argv[2], 0, 0xffff, &n, "menu item type"))
				return syntax();
			e->item.type = (uint16_t)n;
			return 0;
		}
		return usage_err("menu item add TYPE LABEL | menu item del TYPE");
	}
	if (argc >= 2 && !strcmp(argv[0], "set")) {
		struct pxe_menu scratch = { 0 };
		int i, k = 0;

		e->op = MENU_SET;
		e->argv = argv + 1;
		/* "item TYPE LABEL" words go to e->items, the rest stays */
		for (i = 1; i < argc; i++) {
			if (strcmp(argv[i], "item")) {
				e->argv[k++] = argv[i];
				if (i + 1 < argc && strcmp(argv[i], "item"))
					e->argv[k++] = argv[++i];
				continue;
			}
			if (i + 2 >= argc)
				return usage_err("menu set ... item TYPE LABEL");
			if (e->nitems == PXEFAST_MAX_MENU_ITEMS)
				return edit_fail("too many menu items%s", "");
			if (parse_u32(argv[i + 1], 0, 0xffff, &n, "menu item type"))
				return syntax();
			if (strlen(argv[i + 2]) >= PXEFAST_NAME_MAX)
				return edit_fail("label too long%s", "");
			e->items[e->nitems].type = (uint16_t)n;
			e->items[e->nitems++].label = argv[i + 2];
			i += 2;
		}
		e->argc = k;
		if (parse_menu_args(e->argc, e->argv, &scratch)) {
			menu_clear(&scratch);
			return syntax();
		}
		menu_clear(&scratch);
		return 0;
	}
	return usage_err("menu set [prompt TEXT] [timeout N] [item TYPE LABEL]... |\n"
			 "       menu item add TYPE LABEL | menu item del TYPE | menu clear");
}

static int parse_verb(int argc, char **argv, struct edit *e)
{
	const char *obj = argv[0];
	const char *sub = argc > 1 ? argv[1] : "";

	memset(e, 0, sizeof(*e));
	e->argc = argc - 2;
	e->argv = argv + 2;
	if (!strcmp(obj, "dev")) {
		if (!strcmp(sub, "add") && argc >= 3)
			e->op = DEV_ADD;
		else if (!strcmp(sub, "del") && argc == 3)
			e->op = DEV_DEL;
		else
			return usage_err("dev add IFACE [addr A.B.C.D] | dev del IFACE");
		if (parse_dev_args(e->argc, e->argv, &e->dev))
			return syntax();
		if (!e->dev.name[0])
			return usage_err("dev add IFACE [addr A.B.C.D] | dev del IFACE");
		return 0;
	}
	if (!strcmp(obj, "tftp") || !strcmp(obj, "dhcp")) {
		struct pxe_tftp t = { 0 };
		struct pxe_dhcp d;
		int err;

		if (strcmp(sub, "set") || argc < 3)
			return usage_err(!strcmp(obj, "tftp") ?
				"tftp set [on|off] [root DIR] [max-sessions N] "
				"[max-per-client N] [max-blksize N] [max-window N] "
				"[timeout-ms N] [retries N] [ports MIN-MAX] "
				"[idle-timeout-ms N] [case-fold on|off]" :
				"dhcp set [proxy on|off] [boot-server on|off] "
				"[discovery FLAGS] [mcast-addr A.B.C.D|none]");
		if (!strcmp(obj, "tftp")) {
			e->op = TFTP_SET;
			tftp_default(&t);
			err = parse_tftp_args(e->argc, e->argv, &t);
			free(t.root);
		} else {
			e->op = DHCP_SET;
			dhcp_default(&d);
			err = parse_dhcp_args(e->argc, e->argv, &d);
		}
		return err ? syntax() : 0;
	}
	if (!strcmp(obj, "arch")) {
		if (argc != 3 || (strcmp(sub, "enable") && strcmp(sub, "disable")))
			return usage_err("arch enable|disable ARCH");
		e->op = ARCH_SET;
		e->enable = !strcmp(sub, "enable");
		return parse_arch(argv[2], &e->code) ? syntax() : 0;
	}
	if (!strcmp(obj, "server")) {
		if (!strcmp(sub, "add") && argc >= 3) {
			e->op = SERVER_ADD;
		} else if (!strcmp(sub, "del") && argc == 3) {
			e->op = SERVER_DEL;
		} else {
			return usage_err("server add TYPE [addr A[,B...]] [label L] | "
					 "server del TYPE");
		}
		return parse_server_args(e->argc, e->argv, &e->server) ? syntax() : 0;
	}
	if (!strcmp(obj, "map")) {
		if (!strcmp(sub, "add") && argc >= 3) {
			e->op = MAP_ADD;
		} else if (!strcmp(sub, "del")) {
			e->op = MAP_DEL;
		} else {
			return usage_err("map add [arch A] [mac M] [uuid U] "
					 "[vendor-class S] [user-class S] [type T] "
					 "[layer L] file F [next-server A] "
					 "[bis-file F] [label L]\n"
					 "       map del [arch A] [mac M] [uuid U] "
					 "[vendor-class S] [user-class S] [type T] [layer L]");
		}
		if (parse_map_args(e->argc, e->argv, &e->map))
			return syntax();
		if (e->op == MAP_ADD && !e->map.file)
			return edit_fail("map add: needs a boot file (file F)%s", "");
		return 0;
	}
	if (!strcmp(obj, "menu"))
		return parse_menu_verb(argc - 1, argv + 1, e);
	fprintf(stderr, "pxectl: error: unknown command '%s' (see pxectl -h)\n", obj);
	return -1;
}

int cmd_change(struct nl_ctx *ctx, int argc, char **argv)
{
	struct edit e;
	int err = 0, tries;

	if (parse_verb(argc, argv, &e))
		return 1;
	srand((unsigned int)getpid());
	if (ctl_open(ctx, netns_name))
		goto out_fail;
	for (tries = 0; tries < CAS_TRIES; tries++) {
		struct pxe_config *c;

		err = config_get(ctx, &c);
		if (err) {
			ctl_error(ctx, "cannot read the configuration");
			goto out_fail;
		}
		if (apply(c, &e)) {
			config_free(c);
			goto out_fail;
		}
		err = config_set(ctx, c, true, NULL, NULL);
		config_free(c);
		if (err != -ESTALE)
			break;
		/* someone else changed it meanwhile: back off a little */
		usleep((useconds_t)(1000 * (tries + 1) + rand() % 5000));
	}
	if (err == -ESTALE) {
		fprintf(stderr, "pxectl: error: the configuration kept changing "
			"(gave up after %d attempts)\n", CAS_TRIES);
		goto out_fail;
	}
	if (err) {
		ctl_error(ctx, "cannot set the configuration");
		goto out_fail;
	}
	map_free(&e.map);
	free(e.server.label);
	return 0;
out_fail:
	map_free(&e.map);
	free(e.server.label);
	return 1;
}
