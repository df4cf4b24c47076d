// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: the configuration file format (pxefast.conf(5)): one object per
 * line, in the words of the verbs.  Parsing and canonical printing.
 */
#include <stdlib.h>
#include <string.h>
#include "pxectl.h"

#define MAX_WORDS 64

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

int tokenize(char *line, char **argv, int max)
{
	char *r = line, *w;
	int argc = 0;

	for (;;) {
		while (is_space(*r))
			r++;
		if (!*r || *r == '#')
			return argc;
		if (argc == max)
			return seterr("too many words on a line (at most %d)", max);
		argv[argc++] = w = r;
		if (*r != '"') {
			while (*r && !is_space(*r)) {
				if (*r == '"' || *r == '\\')
					return seterr("unexpected %c in a word "
						      "(quote it: \"...\")", *r);
				r++;
			}
			if (*r)
				*r++ = 0;
			continue;
		}
		for (r++;; r++) {
			if (!*r)
				return seterr("unterminated string");
			if (*r == '"')
				break;
			if (*r != '\\') {
				*w++ = *r;
				continue;
			}
			switch (*++r) {
			case '"': case '\\':
				*w++ = *r;
				break;
			case 'n':
				*w++ = '\n';
				break;
			case 't':
				*w++ = '\t';
				break;
			case 'x':
				if (hexval(r[1]) < 0 || hexval(r[2]) < 0 ||
				    (!hexval(r[1]) && !hexval(r[2])))
					return seterr("bad \\x escape in a string");
				*w++ = (char)(hexval(r[1]) << 4 | hexval(r[2]));
				r += 2;
				break;
			default:
				return seterr("unknown escape \\%c in a string "
					      "(\\\" \\\\ \\n \\t \\xHH)", *r ? *r : ' ');
			}
		}
		r++;
		*w = 0;
		if (*r && !is_space(*r))
			return seterr("a string must be followed by a space");
	}
}

static int check_count(unsigned int n, unsigned int max, const char *what)
{
	if (n >= max)
		return seterr("too many %s (at most %u)", what, max);
	return 0;
}

static int conf_arch(int argc, char **argv, struct pxe_config *c, int line)
{
	struct pxe_arch a = { .line = line };

	if (argc != 3 || (strcmp(argv[1], "enable") && strcmp(argv[1], "disable")))
		return seterr("expected: arch enable|disable ARCH");
	a.enabled = !strcmp(argv[1], "enable");
	if (parse_arch(argv[2], &a.code))
		return -1;
	for (unsigned int i = 0; i < c->narchs; i++)
		if (c->archs[i].code == a.code)
			return seterr("architecture %u listed twice (first on line %d)",
				      a.code, c->archs[i].line);
	if (check_count(c->narchs, PXEFAST_MAX_ARCHS, "architectures"))
		return -1;
	c->archs[c->narchs++] = a;
	return 0;
}

static int conf_menu(int argc, char **argv, struct pxe_config *c, int line)
{
	struct pxe_menu *m = &c->menu;
	struct pxe_menu_item *it;
	uint32_t type;

	if (argc >= 2 && !strcmp(argv[1], "item")) {
		if (argc != 4)
			return seterr("expected: menu item TYPE LABEL");
		if (parse_u32(argv[2], 0, 0xffff, &type, "menu item type") ||
		    check_count(m->nitems, PXEFAST_MAX_MENU_ITEMS, "menu items"))
			return -1;
		it = &m->items[m->nitems];
		memset(it, 0, sizeof(*it));
		if (set_str(&it->label, argv[3], PXEFAST_NAME_MAX, "label"))
			return -1;
		it->type = (uint16_t)type;
		it->line = line;
		m->nitems++;
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "prompt"))
		return seterr("expected: menu prompt TEXT [timeout N] "
			      "or menu item TYPE LABEL");
	if (m->line)
		return seterr("menu prompt given twice (first on line %d)", m->line);
	if (parse_menu_args(argc - 1, argv + 1, m))
		return -1;
	m->line = line;
	return 0;
}

int conf_parse_line(char *buf, int line, struct pxe_config *c)
{
	char *argv[MAX_WORDS];
	int argc = tokenize(buf, argv, MAX_WORDS);

	if (argc <= 0)
		return argc;
	if (!strcmp(argv[0], "dev")) {
		struct pxe_dev d;

		if (parse_dev_args(argc - 1, argv + 1, &d) ||
		    check_count(c->ndevs, PXEFAST_MAX_DEVS, "interfaces"))
			return -1;
		for (unsigned int i = 0; i < c->ndevs; i++)
			if ((d.name[0] && !strcmp(c->devs[i].name, d.name)) ||
			    (d.ifindex && c->devs[i].ifindex == d.ifindex))
				return seterr("interface listed twice (first on line %d)",
					      c->devs[i].line);
		d.line = line;
		c->devs[c->ndevs++] = d;
	} else if (!strcmp(argv[0], "tftp")) {
		if (c->tftp_line)
			return seterr("tftp given twice (first on line %d)",
				      c->tftp_line);
		if (parse_tftp_args(argc - 1, argv + 1, &c->tftp))
			return -1;
		c->tftp_line = line;
	} else if (!strcmp(argv[0], "dhcp")) {
		if (c->dhcp_line)
			return seterr("dhcp given twice (first on line %d)",
				      c->dhcp_line);
		if (parse_dhcp_args(argc - 1, argv + 1, &c->dhcp))
			return -1;
		c->dhcp_line = line;
	} else if (!strcmp(argv[0], "arch")) {
		return conf_arch(argc, argv, c, line);
	} else if (!strcmp(argv[0], "server")) {
		struct pxe_server s;

		if (parse_server_args(argc - 1, argv + 1, &s))
			return -1;
		for (unsigned int i = 0; i < c->nservers; i++) {
			if (c->servers[i].type == s.type) {
				free(s.label);
				return seterr("boot server type %u listed twice "
					      "(first on line %d)", s.type,
					      c->servers[i].line);
			}
		}
		if (check_count(c->nservers, PXEFAST_MAX_SERVERS, "boot servers")) {
			free(s.label);
			return -1;
		}
		s.line = line;
		c->servers[c->nservers++] = s;
	} else if (!strcmp(argv[0], "menu")) {
		return conf_menu(argc, argv, c, line);
	} else if (!strcmp(argv[0], "map")) {
		struct pxe_map m;

		if (parse_map_args(argc - 1, argv + 1, &m))
			return -1;
		if (!m.file) {
			map_free(&m);
			return seterr("map: needs a boot file (file F)");
		}
		if (c->nmaps >= PXEFAST_MAX_MAPS) {
			map_free(&m);
			return seterr("too many mappings (at most %d)",
				      PXEFAST_MAX_MAPS);
		}
		m.line = line;
		*config_add_map(c) = m;
	} else {
		return seterr("unknown object '%s' (dev, tftp, dhcp, arch, "
			      "server, menu, map)", argv[0]);
	}
	return 0;
}

int conf_errline;

int conf_parse(FILE *f, const char *name, struct pxe_config *c)
{
	char *buf = NULL;
	size_t cap = 0;
	int line = 0;

	conf_errline = 0;
	while (getline(&buf, &cap, f) >= 0) {
		line++;
		if (conf_parse_line(buf, line, c) < 0) {
			conf_errline = line;
			goto out;
		}
	}
	if (ferror(f)) {
		seterr("read error");
		conf_errline = line + 1;
	} else if (c->menu.nitems && !c->menu.prompt) {
		seterr("menu item without a menu prompt line");
		conf_errline = c->menu.items[0].line;
	} else if (c->menu.prompt && !c->menu.nitems) {
		seterr("menu without items (menu item TYPE LABEL)");
		conf_errline = c->menu.line;
	}
out:
	free(buf);
	if (conf_errline && name)
		fprintf(stderr, "%s:%d: %s\n", name, conf_errline, errbuf);
	return conf_errline ? -1 : 0;
}

/* ---- printing -------------------------------------------------------- */

void print_word(FILE *f, const char *s)
{
	const unsigned char *p;
	bool bare = *s && *s != '#';

	for (p = (const unsigned char *)s; *p && bare; p++)
		if (*p <= ' ' || *p == '"' || *p == '\\' || *p == 0x7f)
			bare = false;
	if (bare) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < ' ' || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void kv(FILE *f, const char *k, const char *v)
{
	fprintf(f, " %s ", k);
	print_word(f, v);
}

static void print_map(FILE *f, const struct pxe_map *m)
{
	char b[PREFIX_STR_MAX];

	fputs("map", f);
	if (m->has & MAP_ARCH)
		fprintf(f, " arch %u", m->arch);
	if (m->has & MAP_MAC)
		fprintf(f, " mac %s", fmt_mac(m->mac, b));
	if (m->has & MAP_MAC_PREFIX)
		fprintf(f, " mac-prefix %s",
			fmt_bytes(m->mac_prefix, m->mac_plen, b));
	if (m->has & MAP_UUID)
		fprintf(f, " uuid %s", fmt_uuid(m->uuid, b));
	if (m->has & MAP_UUID_PREFIX)
		fprintf(f, " uuid-prefix %s",
			fmt_bytes(m->uuid_prefix, m->uuid_plen, b));
	if (m->vendor_class)
		kv(f, "vendor-class", m->vendor_class);
	if (m->user_class)
		kv(f, "user-class", m->user_class);
	if (m->has & MAP_TYPE)
		fprintf(f, " type %u", m->type);
	if (m->has & MAP_LAYER)
		fprintf(f, " layer %u", m->layer);
	kv(f, "file", m->file ? m->file : "");
	if (m->next_server)
		fprintf(f, " next-server %s", fmt_ipv4(m->next_server, b));
	if (m->delay_ms)
		fprintf(f, " delay-ms %u", m->delay_ms);
	if (m->bis_file)
		kv(f, "bis-file", m->bis_file);
	if (m->label)
		kv(f, "label", m->label);
	fputc('\n', f);
}

int conf_print(FILE *f, const struct pxe_config *c)
{
	const struct pxe_tftp *t = &c->tftp;
	const struct pxe_dhcp *d = &c->dhcp;
	char b[64];

	for (unsigned int i = 0; i < c->ndevs; i++) {
		const struct pxe_dev *dv = &c->devs[i];

		if (dv->name[0]) {
			fputs("dev ", f);
			print_word(f, dv->name);
		} else {
			fprintf(f, "dev ifindex %u", dv->ifindex);
		}
		if (dv->addr)
			fprintf(f, " addr %s", fmt_ipv4(dv->addr, b));
		if (dv->xdp)
			fprintf(f, " xdp %s", xdp_mode_name(dv->xdp));
		if (dv->dhcp6)
			fputs(" dhcp6", f);
		if (ipv6_set(dv->addr6))
			fprintf(f, " addr6 %s", fmt_ipv6(dv->addr6, b));
		fputc('\n', f);
	}

	fprintf(f, "tftp %s", t->enabled ? "on" : "off");
	if (t->root)
		kv(f, "root", t->root);
	fprintf(f, " max-sessions %u max-per-client %u max-blksize %u"
		" max-window %u timeout-ms %u retries %u ports %u-%u"
		" idle-timeout-ms %u case-fold %s\n", t->max_sessions,
		t->max_per_client, t->max_blksize, t->max_window, t->timeout_ms,
		t->retries, t->port_min, t->port_max, t->idle_timeout_ms,
		t->case_fold ? "on" : "off");

	fprintf(f, "dhcp proxy %s boot-server %s discovery %s",
		d->proxy ? "on" : "off", d->boot_server ? "on" : "off",
		fmt_discovery(d->discovery, b, sizeof(b)));
	if (d->mcast_addr)
		fprintf(f, " mcast-addr %s", fmt_ipv4(d->mcast_addr, b));
	if (d->http_base)
		kv(f, "http-base", d->http_base);
	fputc('\n', f);

	for (unsigned int i = 0; i < c->narchs; i++)
		fprintf(f, "arch %s %u\n",
			c->archs[i].enabled ? "enable" : "disable",
			c->archs[i].code);

	for (unsigned int i = 0; i < c->nservers; i++) {
		const struct pxe_server *s = &c->servers[i];

		fprintf(f, "server %u", s->type);
		for (unsigned int j = 0; j < s->naddrs; j++)
			fprintf(f, "%s%s", j ? "," : " addr ",
				fmt_ipv4(s->addrs[j], b));
		if (s->label)
			kv(f, "label", s->label);
		fputc('\n', f);
	}

	if (c->menu.prompt) {
		fputs("menu", f);
		kv(f, "prompt", c->menu.prompt);
		fprintf(f, " timeout %u\n", c->menu.timeout);
		for (unsigned int i = 0; i < c->menu.nitems; i++) {
			fprintf(f, "menu item %u ", c->menu.items[i].type);
			print_word(f, c->menu.items[i].label);
			fputc('\n', f);
		}
	}

	for (unsigned int i = 0; i < c->nmaps; i++)
		print_map(f, &c->maps[i]);
	return ferror(f) ? -1 : 0;
}
