// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: "show" (text or JSON) and "showconf" (the file format).
 */
#include <string.h>
#include "pxectl.h"

extern const char *netns_name;

enum {
	S_DEV = 1 << 0, S_TFTP = 1 << 1, S_DHCP = 1 << 2, S_ARCH = 1 << 3,
	S_SERVER = 1 << 4, S_MAP = 1 << 5, S_MENU = 1 << 6, S_ALL = 0x7f,
};

static const char *const section_names[] = {
	"dev", "tftp", "dhcp", "arch", "server", "map", "menu",
};

static const char *onoff(bool b)
{
	return b ? "on" : "off";
}

static void arch_text(FILE *f, uint16_t code)
{
	const char *n = arch_name(code);

	if (n)
		fprintf(f, "%u (%s)", code, n);
	else
		fprintf(f, "%u", code);
}

/* ---- text ---------------------------------------------------------------- */

static void text_map(FILE *f, const struct pxe_map *m)
{
	char b[PREFIX_STR_MAX];
	bool any = false;

	fputs("map:", f);
	if (m->has & MAP_MAC) {
		fprintf(f, " mac %s", fmt_mac(m->mac, b));
		any = true;
	}
	if (m->has & MAP_MAC_PREFIX) {
		fprintf(f, " mac-prefix %s",
			fmt_bytes(m->mac_prefix, m->mac_plen, b));
		any = true;
	}
	if (m->has & MAP_UUID) {
		fprintf(f, " uuid %s", fmt_uuid(m->uuid, b));
		any = true;
	}
	if (m->has & MAP_UUID_PREFIX) {
		fprintf(f, " uuid-prefix %s",
			fmt_bytes(m->uuid_prefix, m->uuid_plen, b));
		any = true;
	}
	if (m->user_class) {
		fputs(" user-class ", f);
		print_word(f, m->user_class);
		any = true;
	}
	if (m->vendor_class) {
		fputs(" vendor-class ", f);
		print_word(f, m->vendor_class);
		any = true;
	}
	if (m->has & MAP_ARCH) {
		fputs(" arch ", f);
		arch_text(f, m->arch);
		any = true;
	}
	if (m->has & MAP_TYPE) {
		fprintf(f, " type %u", m->type);
		any = true;
	}
	if (m->has & MAP_LAYER)
		fprintf(f, " layer %u", m->layer);
	if (!any)
		fputs(" (default)", f);
	fputs(" -> ", f);
	print_word(f, m->file ? m->file : "");
	if (m->next_server)
		fprintf(f, " next-server %s", fmt_ipv4(m->next_server, b));
	if (m->delay_ms)
		fprintf(f, " delay-ms %u", m->delay_ms);
	if (m->bis_file) {
		fputs(" bis-file ", f);
		print_word(f, m->bis_file);
	}
	if (m->label) {
		fputs(" label ", f);
		print_word(f, m->label);
	}
	fputc('\n', f);
}

/* A blank line between sections, as wg(8) does. */
static void section(FILE *f, bool *first)
{
	if (!*first)
		fputc('\n', f);
	*first = false;
}

static void show_text(FILE *f, const struct pxe_config *c, unsigned int sel)
{
	const struct pxe_tftp *t = &c->tftp;
	const struct pxe_dhcp *d = &c->dhcp;
	bool first = true;
	char b[64];

	if (sel == S_ALL) {
		section(f, &first);
		fprintf(f, "generation: %u\n", c->generation);
	}
	if (sel & S_DEV) {
		for (unsigned int i = 0; i < c->ndevs; i++) {
			const struct pxe_dev *dv = &c->devs[i];

			section(f, &first);
			fputs("interface: ", f);
			print_word(f, dv->name[0] ? dv->name : "?");
			fprintf(f, " (ifindex %u)\n", dv->ifindex);
			if (dv->addr)
				fprintf(f, "  address: %s\n", fmt_ipv4(dv->addr, b));
			else
				fprintf(f, "  address: (its primary IPv4 address)\n");
			fprintf(f, "  xdp: %s", xdp_mode_name(dv->xdp));
			if (dv->xdp && dv->name[0] &&
			    xdp_attached_mode(dv->name) != dv->xdp)
				fputs(" (program not attached: pxectl dev add "
				      "or setconf attaches it)", f);
			fputc('\n', f);
			fprintf(f, "  dhcp6: %s\n", dv->dhcp6 ? "on" : "off");
			if (ipv6_set(dv->addr6))
				fprintf(f, "  address6: %s\n",
					fmt_ipv6(dv->addr6, b));
			else
				fprintf(f, "  address6: (its first global IPv6 address)\n");
		}
		if (!c->ndevs) {
			section(f, &first);
			fprintf(f, "interface: (none: nothing is served)\n");
		}
	}
	if (sel & S_TFTP) {
		section(f, &first);
		fprintf(f, "tftp: %s\n", onoff(t->enabled));
		fputs("  root: ", f);
		if (t->root)
			print_word(f, t->root);
		else
			fputs("(none)", f);
		fprintf(f, "\n  max sessions: %u, per client: %u\n"
			"  max blksize: %u, max window: %u\n"
			"  timeout: %u ms, retries: %u, idle timeout: %u ms\n"
			"  ports: %u-%u\n  case fold: %s\n", t->max_sessions,
			t->max_per_client, t->max_blksize, t->max_window,
			t->timeout_ms, t->retries, t->idle_timeout_ms, t->port_min,
			t->port_max, onoff(t->case_fold));
	}
	if (sel & S_DHCP) {
		section(f, &first);
		fprintf(f, "dhcp:\n  proxy: %s\n  boot server: %s\n"
			"  discovery: %s\n", onoff(d->proxy), onoff(d->boot_server),
			fmt_discovery(d->discovery, b, sizeof(b)));
		if (d->mcast_addr)
			fprintf(f, "  multicast address: %s\n",
				fmt_ipv4(d->mcast_addr, b));
		if (d->http_base) {
			fputs("  HTTP base: ", f);
			print_word(f, d->http_base);
			fputc('\n', f);
		}
	}
	if ((sel & S_ARCH) && (c->narchs || sel == S_ARCH)) {
		section(f, &first);
		for (unsigned int i = 0; i < c->narchs; i++) {
			fputs("architecture: ", f);
			arch_text(f, c->archs[i].code);
			fprintf(f, ": %s\n", c->archs[i].enabled ? "enabled" : "disabled");
		}
		fputs("other architectures: enabled\n", f);
	}
	if (sel & S_SERVER) {
		for (unsigned int i = 0; i < c->nservers; i++) {
			const struct pxe_server *s = &c->servers[i];

			section(f, &first);
			fprintf(f, "boot server: type %u", s->type);
			if (s->label) {
				fputc(' ', f);
				print_word(f, s->label);
			}
			fputs("\n  addresses: ", f);
			for (unsigned int j = 0; j < s->naddrs; j++)
				fprintf(f, "%s%s", j ? ", " : "",
					fmt_ipv4(s->addrs[j], b));
			if (!s->naddrs)
				fputs("(this host)", f);
			fputc('\n', f);
		}
	}
	if (sel & S_MENU) {
		if (c->menu.prompt) {
			section(f, &first);
			fputs("menu: ", f);
			print_word(f, c->menu.prompt);
			if (c->menu.timeout == 255)
				fputs("\n  timeout: wait for a key\n", f);
			else
				fprintf(f, "\n  timeout: %u s\n", c->menu.timeout);
			for (unsigned int i = 0; i < c->menu.nitems; i++) {
				fprintf(f, "  item %u: ", c->menu.items[i].type);
				print_word(f, c->menu.items[i].label);
				fputc('\n', f);
			}
		} else if (sel == S_MENU) {
			fputs("menu: (none)\n", f);
		}
	}
	if ((sel & S_MAP) && c->nmaps) {
		section(f, &first);
		for (unsigned int i = 0; i < c->nmaps; i++)
			text_map(f, &c->maps[i]);
	}
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_ip(FILE *f, const char *key, uint32_t a)
{
	char b[16];

	json_str(f, key, fmt_ipv4(a, b));
}

static void json_arch(FILE *f, const char *key, uint16_t code)
{
	const char *n = arch_name(code);

	json_u64(f, key, code);
	if (n) {
		char k[64];

		snprintf(k, sizeof(k), "%s_name", key);
		json_str(f, k, n);
	}
}

static void json_map(FILE *f, const struct pxe_map *m)
{
	char b[PREFIX_STR_MAX];

	json_open(f, NULL, '{');
	if (m->has & MAP_ARCH)
		json_arch(f, "arch", m->arch);
	if (m->has & MAP_MAC)
		json_str(f, "mac", fmt_mac(m->mac, b));
	if (m->has & MAP_MAC_PREFIX)
		json_str(f, "mac_prefix", fmt_bytes(m->mac_prefix, m->mac_plen, b));
	if (m->has & MAP_UUID)
		json_str(f, "uuid", fmt_uuid(m->uuid, b));
	if (m->has & MAP_UUID_PREFIX)
		json_str(f, "uuid_prefix",
			 fmt_bytes(m->uuid_prefix, m->uuid_plen, b));
	if (m->delay_ms)
		json_u64(f, "delay_ms", m->delay_ms);
	if (m->vendor_class)
		json_str(f, "vendor_class", m->vendor_class);
	if (m->user_class)
		json_str(f, "user_class", m->user_class);
	if (m->has & MAP_TYPE)
		json_u64(f, "type", m->type);
	if (m->has & MAP_LAYER)
		json_u64(f, "layer", m->layer);
	json_str(f, "file", m->file ? m->file : "");
	if (m->next_server)
		json_ip(f, "next_server", m->next_server);
	if (m->bis_file)
		json_str(f, "bis_file", m->bis_file);
	if (m->label)
		json_str(f, "label", m->label);
	json_close(f);
}

static void show_json(FILE *f, const struct pxe_config *c, unsigned int sel)
{
	const struct pxe_tftp *t = &c->tftp;
	const struct pxe_dhcp *d = &c->dhcp;
	char b6[46];

	json_open(f, NULL, '{');
	json_u64(f, "generation", c->generation);
	if (sel & S_DEV) {
		json_open(f, "devs", '[');
		for (unsigned int i = 0; i < c->ndevs; i++) {
			json_open(f, NULL, '{');
			json_str(f, "name", c->devs[i].name);
			json_u64(f, "ifindex", c->devs[i].ifindex);
			if (c->devs[i].addr)
				json_ip(f, "addr", c->devs[i].addr);
			json_str(f, "xdp", xdp_mode_name(c->devs[i].xdp));
			json_str(f, "xdp_attached",
				 xdp_mode_name(xdp_attached_mode(c->devs[i].name)));
			json_bool(f, "dhcp6", c->devs[i].dhcp6);
			if (ipv6_set(c->devs[i].addr6))
				json_str(f, "addr6",
					 fmt_ipv6(c->devs[i].addr6, b6));
			json_close(f);
		}
		json_close(f);
	}
	if (sel & S_TFTP) {
		json_open(f, "tftp", '{');
		json_bool(f, "enabled", t->enabled);
		if (t->root)
			json_str(f, "root", t->root);
		json_u64(f, "max_sessions", t->max_sessions);
		json_u64(f, "max_per_client", t->max_per_client);
		json_u64(f, "max_blksize", t->max_blksize);
		json_u64(f, "max_window", t->max_window);
		json_u64(f, "timeout_ms", t->timeout_ms);
		json_u64(f, "retries", t->retries);
		json_u64(f, "port_min", t->port_min);
		json_u64(f, "port_max", t->port_max);
		json_u64(f, "idle_timeout_ms", t->idle_timeout_ms);
		json_bool(f, "case_fold", t->case_fold);
		json_close(f);
	}
	if (sel & S_DHCP) {
		json_open(f, "dhcp", '{');
		json_bool(f, "proxy", d->proxy);
		json_bool(f, "boot_server", d->boot_server);
		json_u64(f, "discovery", d->discovery);
		json_open(f, "discovery_flags", '[');
		for (int i = 0; i < 4; i++)
			if (d->discovery & (1 << i))
				json_str(f, NULL, discovery_flag_name(i));
		json_close(f);
		if (d->mcast_addr)
			json_ip(f, "mcast_addr", d->mcast_addr);
		if (d->http_base)
			json_str(f, "http_base", d->http_base);
		json_close(f);
	}
	if (sel & S_ARCH) {
		json_open(f, "archs", '[');
		for (unsigned int i = 0; i < c->narchs; i++) {
			json_open(f, NULL, '{');
			json_arch(f, "code", c->archs[i].code);
			json_bool(f, "enabled", c->archs[i].enabled);
			json_close(f);
		}
		json_close(f);
	}
	if (sel & S_SERVER) {
		json_open(f, "servers", '[');
		for (unsigned int i = 0; i < c->nservers; i++) {
			const struct pxe_server *s = &c->servers[i];

			json_open(f, NULL, '{');
			json_u64(f, "type", s->type);
			json_open(f, "addrs", '[');
			for (unsigned int j = 0; j < s->naddrs; j++)
				json_ip(f, NULL, s->addrs[j]);
			json_close(f);
			if (s->label)
				json_str(f, "label", s->label);
			json_close(f);
		}
		json_close(f);
	}
	if ((sel & S_MENU) && c->menu.prompt) {
		json_open(f, "menu", '{');
		json_str(f, "prompt", c->menu.prompt);
		json_u64(f, "timeout", c->menu.timeout);
		json_open(f, "items", '[');
		for (unsigned int i = 0; i < c->menu.nitems; i++) {
			json_open(f, NULL, '{');
			json_u64(f, "type", c->menu.items[i].type);
			json_str(f, "label", c->menu.items[i].label);
			json_close(f);
		}
		json_close(f);
		json_close(f);
	}
	if (sel & S_MAP) {
		json_open(f, "maps", '[');
		for (unsigned int i = 0; i < c->nmaps; i++)
			json_map(f, &c->maps[i]);
		json_close(f);
	}
	json_end(f);
}

int cmd_show(struct nl_ctx *ctx, int argc, char **argv)
{
	struct pxe_config *c;
	unsigned int sel = 0;

	for (int i = 0; i < argc; i++) {
		size_t k;

		for (k = 0; k < sizeof(section_names) / sizeof(section_names[0]); k++)
			if (!strcmp(argv[i], section_names[k]) ||
			    (!strcmp(argv[i], "devs") && k == 0) ||
			    (!strcmp(argv[i], "maps") && k == 5) ||
			    (!strcmp(argv[i], "servers") && k == 4))
				break;
		if (k == sizeof(section_names) / sizeof(section_names[0]))
			return verb_usage_err();
		sel |= 1u << k;
	}
	if (!sel)
		sel = S_ALL;
	if (ctl_open(ctx, netns_name))
		return 1;
	if (config_get(ctx, &c)) {
		ctl_error(ctx, "cannot read the configuration");
		return 1;
	}
	if (json)
		show_json(stdout, c, sel);
	else
		show_text(stdout, c, sel);
	config_free(c);
	return fflush(stdout) ? 1 : 0;
}

int cmd_showconf(struct nl_ctx *ctx, int argc, char **argv)
{
	struct pxe_config *c;
	int err;

	(void)argv;
	if (argc)
		return verb_usage_err();
	if (ctl_open(ctx, netns_name))
		return 1;
	if (config_get(ctx, &c)) {
		ctl_error(ctx, "cannot read the configuration");
		return 1;
	}
	err = conf_print(stdout, c);
	config_free(c);
	return err || fflush(stdout) ? 1 : 0;
}
