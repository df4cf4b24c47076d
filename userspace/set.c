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

/*
 * Set @c with pxefast's XDP program attached where it asks for XDP mode
 * and detached elsewhere: attached before (so that the module never
 * expects a program that is not there), detached after.  Return: 0, a
 * negative errno from the kernel (the attach undone), or 1 when attaching
 * failed (reported).
 */
static int config_set_xdp(struct nl_ctx *ctx, const struct pxe_config *c,
			  unsigned int flags, struct enc_map *em)
{
	struct xdp_undo undo;
	int err;

	if (xdp_attach_all(c, &undo))
		return 1;
	err = config_set(ctx, c, flags, em, NULL);
	if (err)
		xdp_undo(&undo);
	else
		xdp_prune(c);
	return err;
}

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

/*
 * setconf [--check] FILE: with --check the kernel builds and checks the
 * configuration as for a real set (PXEFAST_A_DRY_RUN) and applies nothing.
 */
int cmd_setconf(struct nl_ctx *ctx, int argc, char **argv)
{
	struct pxe_config *c;
	struct enc_map em = { 0 };
	unsigned int flags = 0;
	const char *name;
	FILE *f;
	int err;

	if (argc == 2 && !strcmp(argv[0], "--check")) {
		flags = SET_DRY_RUN;
		argc--;
		argv++;
	}
	if (argc != 1)
		return verb_usage_err();
	c = config_new();
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
	if (flags & SET_DRY_RUN)
		err = config_set(ctx, c, flags, &em, NULL);
	else
		err = config_set_xdp(ctx, c, flags, &em);
	if (err > 0) {
		/* XDP attach refused, already reported */
	} else if (err) {
		report_set_error(ctx, &em, name);
	} else {
		report_set_warnings(ctx, &em, name);
	}
	if (!err && (flags & SET_DRY_RUN))
		printf("%s: OK\n", name);
	enc_map_free(&em);
	config_free(c);
	return err ? 1 : 0;
}

/* ---- edits --------------------------------------------------------------- */

struct edit {
	enum edit_op op;
	int argc;
	char **argv;
	struct pxe_dev dev;
	struct pxe_server server;
	struct pxe_map map;
	uint16_t code;
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
			d->xdp = e->dev.xdp;
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
	if (e->op == ARCH_ENABLE) {
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
		if (e->op == SERVER_ADD)
			return edit_fail("boot server type %s exists already "
					 "(use \"server replace\")", t);
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
		if (e->op == MAP_ADD)
			return edit_fail("a mapping with these match fields exists "
					 "already (use \"map replace\")%s", "");
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
	case ARCH_ENABLE:
	case ARCH_DISABLE:
		return apply_arch(c, e);
	case SERVER_ADD:
	case SERVER_REPLACE:
	case SERVER_DEL:
		return apply_server(c, e);
	case MAP_ADD:
	case MAP_REPLACE:
	case MAP_DEL:
		return apply_map(c, e);
	default:
		return apply_menu(c, e);
	}
}

/* ---- verb parsing -------------------------------------------------------- */

static int syntax(void)
{
	fprintf(stderr, "pxectl: error: %s\n", errbuf);
	return -1;
}

static int usage_fail(void)
{
	verb_usage_err();
	return -1;
}

static int parse_item_type(const char *s, uint16_t *type)
{
	uint32_t n;

	if (parse_u32(s, 0, 0xffff, &n, "menu item type"))
		return syntax();
	*type = (uint16_t)n;
	return 0;
}

static int parse_item_label(char *s, char **label)
{
	if (strlen(s) >= PXEFAST_NAME_MAX)
		return edit_fail("label too long (at most %s bytes)", "127");
	*label = s;
	return 0;
}

/* "menu set": "item TYPE LABEL" words go to e->items, the rest stays. */
static int parse_menu_set(int argc, char **argv, struct edit *e)
{
	struct pxe_menu scratch = { 0 };
	int i, k = 0, err;

	if (!argc)
		return usage_fail();
	e->argv = argv;
	for (i = 0; i < argc; i++) {
		struct pxe_menu_item *it;

		if (strcmp(argv[i], "item")) {
			e->argv[k++] = argv[i];
			if (i + 1 < argc)
				e->argv[k++] = argv[++i];
			continue;
		}
		if (i + 2 >= argc)
			return usage_fail();
		if (e->nitems == PXEFAST_MAX_MENU_ITEMS)
			return edit_fail("too many menu items (at most %s)", "32");
		it = &e->items[e->nitems++];
		if (parse_item_type(argv[i + 1], &it->type) ||
		    parse_item_label(argv[i + 2], &it->label))
			return -1;
		i += 2;
	}
	e->argc = k;
	err = parse_menu_args(e->argc, e->argv, &scratch);
	menu_clear(&scratch);
	return err ? syntax() : 0;
}

/* Check a change verb's arguments before anything is read or sent. */
static int parse_verb(int argc, char **argv, struct edit *e)
{
	struct pxe_tftp t = { 0 };
	struct pxe_dhcp d = { 0 };
	int err;

	memset(e, 0, sizeof(*e));
	e->op = current_verb->op;
	e->argc = argc;
	e->argv = argv;
	switch (e->op) {
	case DEV_ADD:
	case DEV_DEL:
		if (!argc || (e->op == DEV_DEL && argc != 1))
			return usage_fail();
		if (parse_dev_args(argc, argv, &e->dev))
			return syntax();
		return e->dev.name[0] ? 0 : usage_fail();
	case TFTP_SET:
		if (!argc)
			return usage_fail();
		tftp_default(&t);
		err = parse_tftp_args(argc, argv, &t);
		free(t.root);
		return err ? syntax() : 0;
	case DHCP_SET:
		if (!argc)
			return usage_fail();
		dhcp_default(&d);
		err = parse_dhcp_args(argc, argv, &d);
		free(d.http_base);
		return err ? syntax() : 0;
	case ARCH_ENABLE:
	case ARCH_DISABLE:
		if (argc != 1)
			return usage_fail();
		return parse_arch(argv[0], &e->code) ? syntax() : 0;
	case SERVER_ADD:
	case SERVER_REPLACE:
	case SERVER_DEL:
		if (!argc || (e->op == SERVER_DEL && argc != 1))
			return usage_fail();
		return parse_server_args(argc, argv, &e->server) ? syntax() : 0;
	case MAP_ADD:
	case MAP_REPLACE:
	case MAP_DEL:
		if (e->op != MAP_DEL && !argc)
			return usage_fail();
		if (parse_map_args(argc, argv, &e->map))
			return syntax();
		if (e->op != MAP_DEL && !e->map.file)
			return edit_fail("map %s: needs a boot file (file F)",
					 e->op == MAP_ADD ? "add" : "replace");
		return 0;
	case MENU_SET:
		return parse_menu_set(argc, argv, e);
	case MENU_ITEM_ADD:
		if (argc != 2)
			return usage_fail();
		return parse_item_type(argv[0], &e->item.type) ||
		       parse_item_label(argv[1], &e->item.label);
	case MENU_ITEM_DEL:
		if (argc != 1)
			return usage_fail();
		return parse_item_type(argv[0], &e->item.type);
	case MENU_CLEAR:
		return argc ? usage_fail() : 0;
	}
	return usage_fail();
}

int cmd_arch_list(struct nl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argv;
	if (argc)
		return verb_usage_err();
	arch_list(stdout);
	return 0;
}

int cmd_change(struct nl_ctx *ctx, int argc, char **argv)
{
	struct enc_map em = { 0 };
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
		err = config_set_xdp(ctx, c, SET_CAS, &em);
		config_free(c);
		if (err > 0)
			goto out_fail;
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
	report_set_warnings(ctx, &em, NULL);
	enc_map_free(&em);
	map_free(&e.map);
	free(e.server.label);
	return 0;
out_fail:
	enc_map_free(&em);
	map_free(&e.map);
	free(e.server.label);
	return 1;
}
