// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: the in-memory configuration model and the parsers of each
 * object's words, shared by the verbs and the configuration file.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "pxectl.h"

void tftp_default(struct pxe_tftp *t)
{
	free(t->root);
	memset(t, 0, sizeof(*t));
	t->max_sessions = PXEFAST_TFTP_MAX_SESSIONS_DEFAULT;
	t->max_per_client = PXEFAST_TFTP_MAX_PER_CLIENT_DEFAULT;
	t->max_blksize = PXEFAST_TFTP_MAX_BLKSIZE_DEFAULT;
	t->max_window = PXEFAST_TFTP_MAX_WINDOW_DEFAULT;
	t->timeout_ms = PXEFAST_TFTP_TIMEOUT_MS_DEFAULT;
	t->retries = PXEFAST_TFTP_RETRIES_DEFAULT;
	t->port_min = PXEFAST_TFTP_PORTS_DEFAULT_MIN;
	t->port_max = PXEFAST_TFTP_PORTS_DEFAULT_MAX;
	t->idle_timeout_ms = PXEFAST_TFTP_IDLE_TIMEOUT_MS_DEFAULT;
}

void dhcp_default(struct pxe_dhcp *d)
{
	free(d->http_base);
	memset(d, 0, sizeof(*d));
	d->proxy = true;
	d->boot_server = true;
}

void menu_clear(struct pxe_menu *m)
{
	free(m->prompt);
	for (unsigned int i = 0; i < m->nitems; i++)
		free(m->items[i].label);
	memset(m, 0, sizeof(*m));
}

struct pxe_config *config_new(void)
{
	struct pxe_config *c = xcalloc(1, sizeof(*c));

	tftp_default(&c->tftp);
	dhcp_default(&c->dhcp);
	return c;
}

void map_free(struct pxe_map *m)
{
	free(m->vendor_class);
	free(m->user_class);
	free(m->file);
	free(m->bis_file);
	free(m->label);
	memset(m, 0, sizeof(*m));
}

void config_free(struct pxe_config *c)
{
	if (!c)
		return;
	free(c->tftp.root);
	free(c->dhcp.http_base);
	menu_clear(&c->menu);
	for (unsigned int i = 0; i < c->nservers; i++)
		free(c->servers[i].label);
	for (unsigned int i = 0; i < c->nmaps; i++)
		map_free(&c->maps[i]);
	free(c->maps);
	free(c);
}

struct pxe_map *config_add_map(struct pxe_config *c)
{
	if (c->nmaps == c->maps_cap) {
		unsigned int cap = c->maps_cap ? c->maps_cap * 2 : 64;
		struct pxe_map *n = realloc(c->maps, cap * sizeof(*n));

		if (!n)
			return xmalloc(SIZE_MAX);	/* reports and exits */
		c->maps = n;
		c->maps_cap = cap;
	}
	memset(&c->maps[c->nmaps], 0, sizeof(c->maps[0]));
	return &c->maps[c->nmaps++];
}

static int streq0(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* Same match fields with the same values: the same mapping. */
bool map_same_match(const struct pxe_map *a, const struct pxe_map *b)
{
	return a->has == b->has &&
	       (!(a->has & MAP_ARCH) || a->arch == b->arch) &&
	       (!(a->has & MAP_MAC) || !memcmp(a->mac, b->mac, 6)) &&
	       (!(a->has & MAP_UUID) || !memcmp(a->uuid, b->uuid, 16)) &&
	       (!(a->has & MAP_MAC_PREFIX) || (a->mac_plen == b->mac_plen &&
		!memcmp(a->mac_prefix, b->mac_prefix, a->mac_plen))) &&
	       (!(a->has & MAP_UUID_PREFIX) || (a->uuid_plen == b->uuid_plen &&
		!memcmp(a->uuid_prefix, b->uuid_prefix, a->uuid_plen))) &&
	       streq0(a->vendor_class, b->vendor_class) &&
	       streq0(a->user_class, b->user_class) &&
	       (!(a->has & MAP_TYPE) || a->type == b->type) &&
	       (!(a->has & MAP_LAYER) || a->layer == b->layer);
}

/* Fetch the value after keyword argv[*i]. */
static const char *value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		seterr("%s: missing value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

#define NEXT(v)	do { if (!((v) = value(argc, argv, &i))) return -1; } while (0)

static const char *const xdp_modes[] = {
	[PXEFAST_XDP_OFF]	= "off",
	[PXEFAST_XDP_GENERIC]	= "generic",
	[PXEFAST_XDP_NATIVE]	= "native",
};

const char *xdp_mode_name(uint8_t mode)
{
	return mode <= PXEFAST_XDP_MODE_MAX ? xdp_modes[mode] : "?";
}

/* true when @s names an XDP mode (then in *mode) */
bool xdp_mode_parse(const char *s, uint8_t *mode)
{
	for (uint8_t m = 0; m <= PXEFAST_XDP_MODE_MAX; m++) {
		if (!strcmp(s, xdp_modes[m])) {
			*mode = m;
			return true;
		}
	}
	return false;
}

int parse_dev_args(int argc, char **argv, struct pxe_dev *d)
{
	const char *v;
	int i = 0;

	memset(d, 0, sizeof(*d));
	if (argc < 1)
		return seterr("dev: missing interface name");
	if (!strcmp(argv[0], "ifindex")) {
		NEXT(v);
		if (parse_u32(v, 1, UINT32_MAX, &d->ifindex, "ifindex"))
			return -1;
	} else {
		if (!argv[0][0] || strlen(argv[0]) >= IF_NAMESIZE)
			return seterr("dev: '%s' is not an interface name",
				      argv[0]);
		strcpy(d->name, argv[0]);
	}
	for (i++; i < argc; i++) {
		if (!strcmp(argv[i], "addr")) {
			NEXT(v);
			if (!strcmp(v, "default"))
				d->addr = 0;
			else if (parse_ipv4(v, &d->addr, "addr"))
				return -1;
			else if (!d->addr)
				return seterr("addr: 0.0.0.0 is not a unicast address");
		} else if (!strcmp(argv[i], "dhcp6")) {
			d->dhcp6 = true;
		} else if (!strcmp(argv[i], "addr6")) {
			NEXT(v);
			if (!strcmp(v, "default"))
				memset(d->addr6, 0, sizeof(d->addr6));
			else if (parse_ipv6(v, d->addr6, "addr6"))
				return -1;
			else if (!ipv6_set(d->addr6))
				return seterr("addr6: :: is not a unicast address");
		} else if (!strcmp(argv[i], "xdp")) {
			/* "xdp" alone is generic mode: it works on any driver. */
			d->xdp = PXEFAST_XDP_GENERIC;
			if (i + 1 < argc && xdp_mode_parse(argv[i + 1], &d->xdp))
				i++;
		} else {
			return seterr("dev: unknown word '%s'", argv[i]);
		}
	}
	return 0;
}

static int parse_num(const char *v, uint32_t min, uint32_t max,
		     const char *what, uint32_t *out)
{
	return parse_u32(v, min, max, out, what);
}

int parse_tftp_args(int argc, char **argv, struct pxe_tftp *t)
{
	const char *v;
	uint32_t n, m;

	for (int i = 0; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "on") || !strcmp(k, "off")) {
			t->enabled = !strcmp(k, "on");
		} else if (!strcmp(k, "root")) {
			NEXT(v);
			if (!strcmp(v, "none")) {
				free(t->root);
				t->root = NULL;
			} else if (v[0] != '/') {
				return seterr("root: '%s' is not an absolute path", v);
			} else if (set_str(&t->root, v, PXEFAST_PATH_MAX, "root")) {
				return -1;
			}
		} else if (!strcmp(k, "max-sessions")) {
			NEXT(v);
			if (parse_num(v, PXEFAST_TFTP_MAX_SESSIONS_MIN,
				      PXEFAST_TFTP_MAX_SESSIONS_MAX, k,
				      &t->max_sessions))
				return -1;
		} else if (!strcmp(k, "max-per-client")) {
			NEXT(v);
			if (parse_num(v, PXEFAST_TFTP_MAX_PER_CLIENT_MIN,
				      PXEFAST_TFTP_MAX_PER_CLIENT_MAX, k,
				      &t->max_per_client))
				return -1;
		} else if (!strcmp(k, "max-blksize")) {
			NEXT(v);
			if (parse_num(v, PXEFAST_TFTP_MAX_BLKSIZE_MIN,
				      PXEFAST_TFTP_MAX_BLKSIZE_MAX, k, &n))
				return -1;
			t->max_blksize = (uint16_t)n;
		} else if (!strcmp(k, "max-window")) {
			NEXT(v);
			if (parse_num(v, PXEFAST_TFTP_MAX_WINDOW_MIN,
				      PXEFAST_TFTP_MAX_WINDOW_MAX, k, &n))
				return -1;
			t->max_window = (uint16_t)n;
		} else if (!strcmp(k, "timeout-ms")) {
			NEXT(v);
			if (parse_num(v, PXEFAST_TFTP_TIMEOUT_MS_MIN,
				      PXEFAST_TFTP_TIMEOUT_MS_MAX, k,
				      &t->timeout_ms))
				return -1;
		} else if (!strcmp(k, "retries")) {
			NEXT(v);
			if (parse_num(v, PXEFAST_TFTP_RETRIES_MIN,
				      PXEFAST_TFTP_RETRIES_MAX, k, &n))
				return -1;
			t->retries = (uint8_t)n;
		} else if (!strcmp(k, "idle-timeout-ms")) {
			NEXT(v);
			if (parse_num(v, PXEFAST_TFTP_IDLE_TIMEOUT_MS_MIN,
				      PXEFAST_TFTP_IDLE_TIMEOUT_MS_MAX, k,
				      &t->idle_timeout_ms))
				return -1;
		} else if (!strcmp(k, "case-fold")) {
			NEXT(v);
			if (parse_bool(v, &t->case_fold, k))
				return -1;
		} else if (!strcmp(k, "ports")) {
			char buf[32], *dash;

			NEXT(v);
			if (strlen(v) >= sizeof(buf) || !(dash = strchr(strcpy(buf, v), '-')))
				return seterr("ports: '%s' is not a range MIN-MAX", v);
			*dash = 0;
			if (parse_num(buf, PXEFAST_TFTP_PORTS_MIN,
				      PXEFAST_TFTP_PORTS_MAX, "ports", &n) ||
			    parse_num(dash + 1, PXEFAST_TFTP_PORTS_MIN,
				      PXEFAST_TFTP_PORTS_MAX, "ports", &m))
				return -1;
			if (n > m)
				return seterr("ports: range %s is empty", v);
			t->port_min = (uint16_t)n;
			t->port_max = (uint16_t)m;
		} else {
			return seterr("tftp: unknown word '%s'", k);
		}
	}
	return 0;
}

int parse_dhcp_args(int argc, char **argv, struct pxe_dhcp *d)
{
	const char *v;

	for (int i = 0; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "proxy")) {
			NEXT(v);
			if (parse_bool(v, &d->proxy, k))
				return -1;
		} else if (!strcmp(k, "boot-server")) {
			NEXT(v);
			if (parse_bool(v, &d->boot_server, k))
				return -1;
		} else if (!strcmp(k, "discovery")) {
			NEXT(v);
			if (parse_discovery(v, &d->discovery))
				return -1;
		} else if (!strcmp(k, "mcast-addr")) {
			NEXT(v);
			if (!strcmp(v, "none")) {
				d->mcast_addr = 0;
				continue;
			}
			if (parse_ipv4(v, &d->mcast_addr, k))
				return -1;
			if ((ntohl(d->mcast_addr) >> 28) != 0xe)
				return seterr("mcast-addr: %s is not a multicast address", v);
		} else if (!strcmp(k, "http-base")) {
			NEXT(v);
			if (!strcmp(v, "none")) {
				free(d->http_base);
				d->http_base = NULL;
				continue;
			}
			if (!is_http_url(v))
				return seterr("http-base: '%s' is not an http:// or "
					      "https:// URL", v);
			if (set_str(&d->http_base, v, PXEFAST_HTTP_URL_MAX + 1, k))
				return -1;
		} else {
			return seterr("dhcp: unknown word '%s'", k);
		}
	}
	return 0;
}

static int parse_addr_list(const char *v, struct pxe_server *s)
{
	char buf[16 * PXEFAST_MAX_SERVER_ADDRS + 1], *tok, *save;

	s->naddrs = 0;
	if (!strcmp(v, "none"))
		return 0;
	if (strlen(v) >= sizeof(buf))
		return seterr("addr: too many addresses (at most %d)",
			      PXEFAST_MAX_SERVER_ADDRS);
	strcpy(buf, v);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (s->naddrs == PXEFAST_MAX_SERVER_ADDRS)
			return seterr("addr: too many addresses (at most %d)",
				      PXEFAST_MAX_SERVER_ADDRS);
		if (parse_ipv4(tok, &s->addrs[s->naddrs++], "addr"))
			return -1;
	}
	return 0;
}

int parse_server_args(int argc, char **argv, struct pxe_server *s)
{
	const char *v;
	uint32_t n;
	int i = 0;

	memset(s, 0, sizeof(*s));
	if (argc < 1)
		return seterr("server: missing boot server type");
	if (parse_u32(argv[0], 0, 0xfffe, &n, "server type"))
		return -1;
	s->type = (uint16_t)n;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "addr")) {
			NEXT(v);
			if (parse_addr_list(v, s))
				return -1;
		} else if (!strcmp(argv[i], "label")) {
			NEXT(v);
			if (set_str(&s->label, v, PXEFAST_NAME_MAX, "label"))
				return -1;
		} else {
			free(s->label);
			s->label = NULL;
			return seterr("server: unknown word '%s'", argv[i]);
		}
	}
	return 0;
}

static int map_args(int argc, char **argv, struct pxe_map *m)
{
	const char *v;
	uint32_t n;

	for (int i = 0; i < argc; i++) {
		const char *k = argv[i];
		unsigned int bit = 0;

		if (!strcmp(k, "arch")) {
			bit = MAP_ARCH;
			NEXT(v);
			if (parse_arch(v, &m->arch))
				return -1;
		} else if (!strcmp(k, "mac")) {
			bit = MAP_MAC;
			NEXT(v);
			if (parse_mac(v, m->mac))
				return -1;
		} else if (!strcmp(k, "uuid")) {
			bit = MAP_UUID;
			NEXT(v);
			if (parse_uuid(v, m->uuid))
				return -1;
		} else if (!strcmp(k, "mac-prefix")) {
			bit = MAP_MAC_PREFIX;
			NEXT(v);
			if (parse_bytes(v, m->mac_prefix, 1, 5, &m->mac_plen, k))
				return -1;
		} else if (!strcmp(k, "uuid-prefix")) {
			bit = MAP_UUID_PREFIX;
			NEXT(v);
			if (parse_bytes(v, m->uuid_prefix, 1, 1 + PXEFAST_UUID_LEN,
					&m->uuid_plen, k))
				return -1;
			if (m->uuid_prefix[0])
				return seterr("uuid-prefix: '%s' must start with "
					      "option 97's type byte, 00", v);
		} else if (!strcmp(k, "delay-ms")) {
			NEXT(v);
			if (m->delay_ms)
				return seterr("map: delay-ms given twice");
			if (parse_u32(v, 0, PXEFAST_MAP_DELAY_MS_MAX, &m->delay_ms, k))
				return -1;
		} else if (!strcmp(k, "vendor-class")) {
			bit = MAP_VCLASS;
			NEXT(v);
			if (set_str(&m->vendor_class, v, PXEFAST_NAME_MAX, k))
				return -1;
		} else if (!strcmp(k, "user-class")) {
			bit = MAP_UCLASS;
			NEXT(v);
			if (set_str(&m->user_class, v, PXEFAST_NAME_MAX, k))
				return -1;
		} else if (!strcmp(k, "type")) {
			bit = MAP_TYPE;
			NEXT(v);
			if (parse_u32(v, 0, 0xfffe, &n, k))
				return -1;
			m->type = (uint16_t)n;
		} else if (!strcmp(k, "layer")) {
			bit = MAP_LAYER;
			NEXT(v);
			if (parse_u32(v, 0, 0x7fff, &n, k))
				return -1;
			m->layer = (uint16_t)n;
		} else if (!strcmp(k, "file")) {
			NEXT(v);
			if (m->file)
				return seterr("map: file given twice");
			if (!*v)
				return seterr("file: empty file name");
			if (set_str(&m->file, v, PXEFAST_PATH_MAX, k))
				return -1;
		} else if (!strcmp(k, "next-server")) {
			NEXT(v);
			if (parse_ipv4(v, &m->next_server, k))
				return -1;
			if (!m->next_server)
				return seterr("next-server: 0.0.0.0 is not a unicast address");
		} else if (!strcmp(k, "bis-file")) {
			NEXT(v);
			if (set_str(&m->bis_file, v, PXEFAST_PATH_MAX, k))
				return -1;
		} else if (!strcmp(k, "label")) {
			NEXT(v);
			if (set_str(&m->label, v, PXEFAST_NAME_MAX, k))
				return -1;
		} else {
			return seterr("map: unknown word '%s'", k);
		}
		if (bit & m->has)
			return seterr("map: %s given twice", k);
		m->has |= bit;
	}
	if ((m->has & MAP_LAYER) && !(m->has & MAP_TYPE))
		return seterr("map: layer needs a boot server type (type T)");
	if ((m->has & MAP_MAC) && (m->has & MAP_MAC_PREFIX))
		return seterr("map: mac and mac-prefix together");
	if ((m->has & MAP_UUID) && (m->has & MAP_UUID_PREFIX))
		return seterr("map: uuid and uuid-prefix together");
	return 0;
}

int parse_map_args(int argc, char **argv, struct pxe_map *m)
{
	memset(m, 0, sizeof(*m));
	if (map_args(argc, argv, m)) {
		map_free(m);
		return -1;
	}
	return 0;
}

int parse_menu_args(int argc, char **argv, struct pxe_menu *m)
{
	const char *v;
	uint32_t n;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "prompt")) {
			NEXT(v);
			if (set_str(&m->prompt, v, PXEFAST_NAME_MAX, "prompt"))
				return -1;
		} else if (!strcmp(argv[i], "timeout")) {
			NEXT(v);
			if (parse_u32(v, 0, 255, &n, "timeout"))
				return -1;
			m->timeout = (uint8_t)n;
		} else {
			return seterr("menu: unknown word '%s'", argv[i]);
		}
	}
	return 0;
}
