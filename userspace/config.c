// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: the configuration model over netlink: GET_CONFIG dumps decoded
 * into a struct pxe_config, SET_CONFIG messages encoded from one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include "pxectl.h"

/* ---- decoding -------------------------------------------------------- */

static bool a_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || nla_len(a) < 1)
		return false;
	*v = nla_get_u8((struct nlattr *)a);
	return true;
}

static bool a_u16(const struct nlattr *a, uint16_t *v)
{
	if (!a || nla_len(a) < 2)
		return false;
	*v = nla_get_u16((struct nlattr *)a);
	return true;
}

static bool a_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) < 4)
		return false;
	*v = nla_get_u32((struct nlattr *)a);
	return true;
}

static bool a_bool(const struct nlattr *a, bool *v)
{
	uint8_t x;

	if (!a_u8(a, &x))
		return false;
	*v = x;
	return true;
}

/* A NUL-terminated string attribute, copied. */
static char *a_str(const struct nlattr *a)
{
	const char *s;
	size_t n;

	if (!a)
		return NULL;
	s = nla_data(a);
	n = strnlen(s, (size_t)nla_len(a));
	char *r = xmalloc(n + 1);
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

static void a_strset(char **dst, const struct nlattr *a)
{
	if (a) {
		free(*dst);
		*dst = a_str(a);
	}
}

#define PARSE(tb, max, nest) nla_parse_nested(tb, max, (struct nlattr *)(nest), NULL)

static int dec_tftp(struct pxe_config *c, const struct nlattr *nest)
{
	struct nlattr *tb[PXEFAST_TFTP_A_MAX + 1];
	struct pxe_tftp *t = &c->tftp;

	if (PARSE(tb, PXEFAST_TFTP_A_MAX, nest))
		return -EINVAL;
	a_bool(tb[PXEFAST_TFTP_A_ENABLED], &t->enabled);
	a_strset(&t->root, tb[PXEFAST_TFTP_A_ROOT]);
	a_u32(tb[PXEFAST_TFTP_A_MAX_SESSIONS], &t->max_sessions);
	a_u32(tb[PXEFAST_TFTP_A_MAX_PER_CLIENT], &t->max_per_client);
	a_u16(tb[PXEFAST_TFTP_A_MAX_BLKSIZE], &t->max_blksize);
	a_u16(tb[PXEFAST_TFTP_A_MAX_WINDOW], &t->max_window);
	a_u32(tb[PXEFAST_TFTP_A_TIMEOUT_MS], &t->timeout_ms);
	a_u8(tb[PXEFAST_TFTP_A_RETRIES], &t->retries);
	a_u16(tb[PXEFAST_TFTP_A_PORT_MIN], &t->port_min);
	a_u16(tb[PXEFAST_TFTP_A_PORT_MAX], &t->port_max);
	a_u32(tb[PXEFAST_TFTP_A_IDLE_TIMEOUT_MS], &t->idle_timeout_ms);
	a_bool(tb[PXEFAST_TFTP_A_CASE_FOLD], &t->case_fold);
	return 0;
}

static int dec_dhcp(struct pxe_config *c, const struct nlattr *nest)
{
	struct nlattr *tb[PXEFAST_DHCP_A_MAX + 1];
	struct pxe_dhcp *d = &c->dhcp;

	if (PARSE(tb, PXEFAST_DHCP_A_MAX, nest))
		return -EINVAL;
	a_bool(tb[PXEFAST_DHCP_A_PROXY], &d->proxy);
	a_bool(tb[PXEFAST_DHCP_A_BOOT_SERVER], &d->boot_server);
	a_u8(tb[PXEFAST_DHCP_A_DISCOVERY], &d->discovery);
	a_u32(tb[PXEFAST_DHCP_A_MCAST_ADDR], &d->mcast_addr);
	a_strset(&d->http_base, tb[PXEFAST_DHCP_A_HTTP_BASE]);
	return 0;
}

static int dec_menu(struct pxe_config *c, const struct nlattr *nest)
{
	struct nlattr *tb[PXEFAST_MENU_A_MAX + 1], *a;
	struct pxe_menu *m = &c->menu;
	int rem;

	menu_clear(m);
	if (PARSE(tb, PXEFAST_MENU_A_MAX, nest))
		return -EINVAL;
	m->prompt = a_str(tb[PXEFAST_MENU_A_PROMPT]);
	if (!m->prompt)
		m->prompt = xstrdup("");
	a_u8(tb[PXEFAST_MENU_A_TIMEOUT], &m->timeout);
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		struct nlattr *it[PXEFAST_MENU_ITEM_A_MAX + 1];
		struct pxe_menu_item *mi;

		if (nla_type(a) != PXEFAST_MENU_A_ITEM ||
		    m->nitems == PXEFAST_MAX_MENU_ITEMS ||
		    PARSE(it, PXEFAST_MENU_ITEM_A_MAX, a))
			continue;
		mi = &m->items[m->nitems++];
		a_u16(it[PXEFAST_MENU_ITEM_A_TYPE], &mi->type);
		mi->label = a_str(it[PXEFAST_MENU_ITEM_A_LABEL]);
		if (!mi->label)
			mi->label = xstrdup("");
	}
	return 0;
}

static int dec_dev(struct pxe_config *c, const struct nlattr *nest)
{
	struct nlattr *tb[PXEFAST_DEV_A_MAX + 1];
	struct pxe_dev *d;

	if (c->ndevs == PXEFAST_MAX_DEVS || PARSE(tb, PXEFAST_DEV_A_MAX, nest))
		return -EINVAL;
	d = &c->devs[c->ndevs++];
	memset(d, 0, sizeof(*d));
	a_u32(tb[PXEFAST_DEV_A_IFINDEX], &d->ifindex);
	if (tb[PXEFAST_DEV_A_IFNAME]) {
		char *n = a_str(tb[PXEFAST_DEV_A_IFNAME]);

		snprintf(d->name, sizeof(d->name), "%s", n);
		free(n);
	}
	a_u32(tb[PXEFAST_DEV_A_ADDR], &d->addr);
	a_u8(tb[PXEFAST_DEV_A_XDP], &d->xdp);
	a_bool(tb[PXEFAST_DEV_A_DHCP6], &d->dhcp6);
	if (tb[PXEFAST_DEV_A_ADDR6] &&
	    nla_len(tb[PXEFAST_DEV_A_ADDR6]) == sizeof(d->addr6))
		memcpy(d->addr6, nla_data(tb[PXEFAST_DEV_A_ADDR6]),
		       sizeof(d->addr6));
	return 0;
}

static int dec_arch(struct pxe_config *c, const struct nlattr *nest)
{
	struct nlattr *tb[PXEFAST_ARCH_A_MAX + 1];
	struct pxe_arch *a;

	if (c->narchs == PXEFAST_MAX_ARCHS || PARSE(tb, PXEFAST_ARCH_A_MAX, nest))
		return -EINVAL;
	a = &c->archs[c->narchs++];
	memset(a, 0, sizeof(*a));
	a_u16(tb[PXEFAST_ARCH_A_CODE], &a->code);
	a_bool(tb[PXEFAST_ARCH_A_ENABLED], &a->enabled);
	return 0;
}

static int dec_server(struct pxe_config *c, const struct nlattr *nest)
{
	struct nlattr *tb[PXEFAST_SERVER_A_MAX + 1];
	struct pxe_server *s;

	if (c->nservers == PXEFAST_MAX_SERVERS ||
	    PARSE(tb, PXEFAST_SERVER_A_MAX, nest))
		return -EINVAL;
	s = &c->servers[c->nservers++];
	memset(s, 0, sizeof(*s));
	a_u16(tb[PXEFAST_SERVER_A_TYPE], &s->type);
	if (tb[PXEFAST_SERVER_A_ADDRS]) {
		size_t n = (size_t)nla_len(tb[PXEFAST_SERVER_A_ADDRS]) / 4;

		if (n > PXEFAST_MAX_SERVER_ADDRS)
			n = PXEFAST_MAX_SERVER_ADDRS;
		memcpy(s->addrs, nla_data(tb[PXEFAST_SERVER_A_ADDRS]), n * 4);
		s->naddrs = (unsigned int)n;
	}
	s->label = a_str(tb[PXEFAST_SERVER_A_LABEL]);
	return 0;
}

static int dec_map(struct pxe_config *c, const struct nlattr *nest)
{
	struct nlattr *tb[PXEFAST_MAP_A_MAX + 1];
	struct pxe_map *m;

	if (PARSE(tb, PXEFAST_MAP_A_MAX, nest))
		return -EINVAL;
	m = config_add_map(c);
	if (a_u16(tb[PXEFAST_MAP_A_ARCH], &m->arch))
		m->has |= MAP_ARCH;
	if (tb[PXEFAST_MAP_A_MAC] && nla_len(tb[PXEFAST_MAP_A_MAC]) == 6) {
		memcpy(m->mac, nla_data(tb[PXEFAST_MAP_A_MAC]), 6);
		m->has |= MAP_MAC;
	}
	if (tb[PXEFAST_MAP_A_UUID] &&
	    nla_len(tb[PXEFAST_MAP_A_UUID]) == PXEFAST_UUID_LEN) {
		memcpy(m->uuid, nla_data(tb[PXEFAST_MAP_A_UUID]), PXEFAST_UUID_LEN);
		m->has |= MAP_UUID;
	}
	if (tb[PXEFAST_MAP_A_MAC_PREFIX] &&
	    nla_len(tb[PXEFAST_MAP_A_MAC_PREFIX]) >= 1 &&
	    nla_len(tb[PXEFAST_MAP_A_MAC_PREFIX]) <= 5) {
		m->mac_plen = (size_t)nla_len(tb[PXEFAST_MAP_A_MAC_PREFIX]);
		memcpy(m->mac_prefix, nla_data(tb[PXEFAST_MAP_A_MAC_PREFIX]),
		       m->mac_plen);
		m->has |= MAP_MAC_PREFIX;
	}
	if (tb[PXEFAST_MAP_A_UUID_PREFIX] &&
	    nla_len(tb[PXEFAST_MAP_A_UUID_PREFIX]) >= 1 &&
	    nla_len(tb[PXEFAST_MAP_A_UUID_PREFIX]) <= 1 + PXEFAST_UUID_LEN) {
		m->uuid_plen = (size_t)nla_len(tb[PXEFAST_MAP_A_UUID_PREFIX]);
		memcpy(m->uuid_prefix, nla_data(tb[PXEFAST_MAP_A_UUID_PREFIX]),
		       m->uuid_plen);
		m->has |= MAP_UUID_PREFIX;
	}
	a_u32(tb[PXEFAST_MAP_A_DELAY_MS], &m->delay_ms);
	if ((m->vendor_class = a_str(tb[PXEFAST_MAP_A_VENDOR_CLASS])))
		m->has |= MAP_VCLASS;
	if ((m->user_class = a_str(tb[PXEFAST_MAP_A_USER_CLASS])))
		m->has |= MAP_UCLASS;
	if (a_u16(tb[PXEFAST_MAP_A_SERVER_TYPE], &m->type))
		m->has |= MAP_TYPE;
	if (a_u16(tb[PXEFAST_MAP_A_LAYER], &m->layer))
		m->has |= MAP_LAYER;
	m->file = a_str(tb[PXEFAST_MAP_A_FILE]);
	a_u32(tb[PXEFAST_MAP_A_NEXT_SERVER], &m->next_server);
	m->bis_file = a_str(tb[PXEFAST_MAP_A_BIS_FILE]);
	m->label = a_str(tb[PXEFAST_MAP_A_LABEL]);
	return 0;
}

struct dump_state {
	struct pxe_config *c;
	unsigned int nmsgs;
	bool bad;
};

static int on_config_msg(struct nl_msg *msg, void *arg)
{
	struct dump_state *st = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct pxe_config *c = st->c;
	struct nlattr *a;
	bool has_gen = false;
	uint32_t gen = 0;
	int rem, err = 0;

	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		switch (nla_type(a)) {
		case PXEFAST_A_GENERATION:
			has_gen = a_u32(a, &gen);
			break;
		case PXEFAST_A_TFTP:
			err = dec_tftp(c, a);
			break;
		case PXEFAST_A_DHCP:
			err = dec_dhcp(c, a);
			break;
		case PXEFAST_A_MENU:
			err = dec_menu(c, a);
			break;
		case PXEFAST_A_DEV:
			err = dec_dev(c, a);
			break;
		case PXEFAST_A_ARCH:
			err = dec_arch(c, a);
			break;
		case PXEFAST_A_SERVER:
			err = dec_server(c, a);
			break;
		case PXEFAST_A_MAP:
			err = dec_map(c, a);
			break;
		}
		if (err)
			st->bad = true;
	}
	/*
	 * Every part of a dump names the snapshot it comes from, and the
	 * kernel holds one snapshot for the whole dump: parts naming two
	 * generations are as malformed as a part naming none.
	 */
	if (!has_gen || (st->nmsgs++ && gen != c->generation))
		st->bad = true;
	c->generation = gen;
	c->has_generation = true;
	return NL_OK;
}

/*
 * One dump, one snapshot: the kernel holds the configuration it started
 * the dump with until the dump ends, so there is nothing to retry.
 */
int config_get(struct nl_ctx *ctx, struct pxe_config **out)
{
	struct dump_state st = { .c = config_new() };
	struct nl_msg *msg;
	int err;

	msg = ctl_msg(ctx, PXEFAST_CMD_GET_CONFIG, NLM_F_DUMP, 0);
	if (!msg) {
		config_free(st.c);
		return -ENOMEM;
	}
	err = ctl_transact(ctx, msg, on_config_msg, &st);
	if (!err && st.bad) {
		snprintf(ctx->msg, sizeof(ctx->msg),
			 "malformed configuration dump from the kernel");
		err = -EPROTO;
		ctx->err = EPROTO;
	}
	if (err) {
		config_free(st.c);
		return err;
	}
	*out = st.c;
	return 0;
}

/* ---- encoding -------------------------------------------------------- */

static size_t ssz(const char *s)
{
	return s ? strlen(s) + 1 + 8 : 0;
}

static size_t config_size(const struct pxe_config *c)
{
	size_t n = 4096 + ssz(c->tftp.root) + ssz(c->menu.prompt) +
		   ssz(c->dhcp.http_base);

	for (unsigned int i = 0; i < c->menu.nitems; i++)
		n += 32 + ssz(c->menu.items[i].label);
	n += c->ndevs * 64 + c->narchs * 32;
	for (unsigned int i = 0; i < c->nservers; i++)
		n += 32 + 4 * c->servers[i].naddrs + ssz(c->servers[i].label);
	for (unsigned int i = 0; i < c->nmaps; i++) {
		const struct pxe_map *m = &c->maps[i];

		n += 96 + ssz(m->vendor_class) + ssz(m->user_class) +
		     ssz(m->file) + ssz(m->bis_file) + ssz(m->label);
	}
	return n;
}

static void em_add(struct enc_map *em, struct nl_msg *msg, struct nlattr *nest,
		   int line, const char *what)
{
	if (!em)
		return;
	if (em->n == em->cap) {
		em->cap = em->cap ? em->cap * 2 : 64;
		em->r = realloc(em->r, em->cap * sizeof(*em->r));
		if (!em->r)
			xmalloc(SIZE_MAX);
	}
	em->r[em->n].start = (uint32_t)((char *)nest - (char *)nlmsg_hdr(msg));
	em->r[em->n].end = em->r[em->n].start + nest->nla_len;
	em->r[em->n].line = line;
	em->r[em->n].what = what;
	em->n++;
}

const struct enc_range *enc_map_find(const struct enc_map *em, uint32_t offs)
{
	const struct enc_range *best = NULL;

	/* The innermost range holding @offs is the last one starting before. */
	for (size_t i = 0; i < em->n; i++)
		if (em->r[i].start <= offs && offs < em->r[i].end)
			best = &em->r[i];
	return best;
}

void enc_map_free(struct enc_map *em)
{
	free(em->r);
	memset(em, 0, sizeof(*em));
}

#define TRY(x)	do { if ((x) < 0) return -1; } while (0)

static struct nlattr *nest_start(struct nl_msg *msg, int type)
{
	return nla_nest_start(msg, type | NLA_F_NESTED);
}

static int enc_str(struct nl_msg *msg, int type, const char *s)
{
	return s ? nla_put_string(msg, type, s) : 0;
}

static int enc_config(struct nl_msg *msg, const struct pxe_config *c,
		      unsigned int flags, struct enc_map *em)
{
	const struct pxe_tftp *t = &c->tftp;
	const struct pxe_dhcp *d = &c->dhcp;
	struct nlattr *n, *it;

	if (flags & SET_CAS)
		TRY(nla_put_u32(msg, PXEFAST_A_GENERATION, c->generation));
	if (flags & SET_DRY_RUN)
		TRY(nla_put_flag(msg, PXEFAST_A_DRY_RUN));

	TRY(!(n = nest_start(msg, PXEFAST_A_TFTP)) ? -1 : 0);
	TRY(nla_put_u8(msg, PXEFAST_TFTP_A_ENABLED, t->enabled));
	TRY(enc_str(msg, PXEFAST_TFTP_A_ROOT, t->root));
	TRY(nla_put_u32(msg, PXEFAST_TFTP_A_MAX_SESSIONS, t->max_sessions));
	TRY(nla_put_u32(msg, PXEFAST_TFTP_A_MAX_PER_CLIENT, t->max_per_client));
	TRY(nla_put_u16(msg, PXEFAST_TFTP_A_MAX_BLKSIZE, t->max_blksize));
	TRY(nla_put_u16(msg, PXEFAST_TFTP_A_MAX_WINDOW, t->max_window));
	TRY(nla_put_u32(msg, PXEFAST_TFTP_A_TIMEOUT_MS, t->timeout_ms));
	TRY(nla_put_u8(msg, PXEFAST_TFTP_A_RETRIES, t->retries));
	TRY(nla_put_u16(msg, PXEFAST_TFTP_A_PORT_MIN, t->port_min));
	TRY(nla_put_u16(msg, PXEFAST_TFTP_A_PORT_MAX, t->port_max));
	TRY(nla_put_u32(msg, PXEFAST_TFTP_A_IDLE_TIMEOUT_MS, t->idle_timeout_ms));
	TRY(nla_put_u8(msg, PXEFAST_TFTP_A_CASE_FOLD, t->case_fold));
	nla_nest_end(msg, n);
	em_add(em, msg, n, c->tftp_line, "tftp");

	TRY(!(n = nest_start(msg, PXEFAST_A_DHCP)) ? -1 : 0);
	TRY(nla_put_u8(msg, PXEFAST_DHCP_A_PROXY, d->proxy));
	TRY(nla_put_u8(msg, PXEFAST_DHCP_A_BOOT_SERVER, d->boot_server));
	TRY(nla_put_u8(msg, PXEFAST_DHCP_A_DISCOVERY, d->discovery));
	if (d->mcast_addr)
		TRY(nla_put_u32(msg, PXEFAST_DHCP_A_MCAST_ADDR, d->mcast_addr));
	TRY(enc_str(msg, PXEFAST_DHCP_A_HTTP_BASE, d->http_base));
	nla_nest_end(msg, n);
	em_add(em, msg, n, c->dhcp_line, "dhcp");

	if (c->menu.prompt) {
		size_t first = em ? em->n : 0;

		TRY(!(n = nest_start(msg, PXEFAST_A_MENU)) ? -1 : 0);
		TRY(nla_put_string(msg, PXEFAST_MENU_A_PROMPT, c->menu.prompt));
		TRY(nla_put_u8(msg, PXEFAST_MENU_A_TIMEOUT, c->menu.timeout));
		for (unsigned int i = 0; i < c->menu.nitems; i++) {
			const struct pxe_menu_item *mi = &c->menu.items[i];

			TRY(!(it = nest_start(msg, PXEFAST_MENU_A_ITEM)) ? -1 : 0);
			TRY(nla_put_u16(msg, PXEFAST_MENU_ITEM_A_TYPE, mi->type));
			TRY(nla_put_string(msg, PXEFAST_MENU_ITEM_A_LABEL, mi->label));
			nla_nest_end(msg, it);
			em_add(em, msg, it, mi->line, "menu item");
		}
		nla_nest_end(msg, n);
		/* the menu's range goes before its items' */
		em_add(em, msg, n, c->menu.line, "menu");
		if (em) {
			struct enc_range r = em->r[em->n - 1];

			memmove(&em->r[first + 1], &em->r[first],
				(em->n - 1 - first) * sizeof(r));
			em->r[first] = r;
		}
	}

	for (unsigned int i = 0; i < c->ndevs; i++) {
		const struct pxe_dev *dv = &c->devs[i];

		TRY(!(n = nest_start(msg, PXEFAST_A_DEV)) ? -1 : 0);
		if (dv->ifindex)
			TRY(nla_put_u32(msg, PXEFAST_DEV_A_IFINDEX, dv->ifindex));
		if (dv->name[0])
			TRY(nla_put_string(msg, PXEFAST_DEV_A_IFNAME, dv->name));
		if (dv->addr)
			TRY(nla_put_u32(msg, PXEFAST_DEV_A_ADDR, dv->addr));
		if (dv->xdp)
			TRY(nla_put_u8(msg, PXEFAST_DEV_A_XDP, dv->xdp));
		if (dv->dhcp6)
			TRY(nla_put_u8(msg, PXEFAST_DEV_A_DHCP6, 1));
		if (ipv6_set(dv->addr6))
			TRY(nla_put(msg, PXEFAST_DEV_A_ADDR6, sizeof(dv->addr6),
				    dv->addr6));
		nla_nest_end(msg, n);
		em_add(em, msg, n, dv->line, "dev");
	}

	for (unsigned int i = 0; i < c->narchs; i++) {
		TRY(!(n = nest_start(msg, PXEFAST_A_ARCH)) ? -1 : 0);
		TRY(nla_put_u16(msg, PXEFAST_ARCH_A_CODE, c->archs[i].code));
		TRY(nla_put_u8(msg, PXEFAST_ARCH_A_ENABLED, c->archs[i].enabled));
		nla_nest_end(msg, n);
		em_add(em, msg, n, c->archs[i].line, "arch");
	}

	for (unsigned int i = 0; i < c->nservers; i++) {
		const struct pxe_server *s = &c->servers[i];

		TRY(!(n = nest_start(msg, PXEFAST_A_SERVER)) ? -1 : 0);
		TRY(nla_put_u16(msg, PXEFAST_SERVER_A_TYPE, s->type));
		if (s->naddrs)
			TRY(nla_put(msg, PXEFAST_SERVER_A_ADDRS,
				    (int)(s->naddrs * 4), s->addrs));
		TRY(enc_str(msg, PXEFAST_SERVER_A_LABEL, s->label));
		nla_nest_end(msg, n);
		em_add(em, msg, n, s->line, "server");
	}

	for (unsigned int i = 0; i < c->nmaps; i++) {
		const struct pxe_map *m = &c->maps[i];

		TRY(!(n = nest_start(msg, PXEFAST_A_MAP)) ? -1 : 0);
		if (m->has & MAP_ARCH)
			TRY(nla_put_u16(msg, PXEFAST_MAP_A_ARCH, m->arch));
		if (m->has & MAP_MAC)
			TRY(nla_put(msg, PXEFAST_MAP_A_MAC, 6, m->mac));
		if (m->has & MAP_UUID)
			TRY(nla_put(msg, PXEFAST_MAP_A_UUID, PXEFAST_UUID_LEN, m->uuid));
		if (m->has & MAP_MAC_PREFIX)
			TRY(nla_put(msg, PXEFAST_MAP_A_MAC_PREFIX,
				    (int)m->mac_plen, m->mac_prefix));
		if (m->has & MAP_UUID_PREFIX)
			TRY(nla_put(msg, PXEFAST_MAP_A_UUID_PREFIX,
				    (int)m->uuid_plen, m->uuid_prefix));
		if (m->delay_ms)
			TRY(nla_put_u32(msg, PXEFAST_MAP_A_DELAY_MS, m->delay_ms));
		TRY(enc_str(msg, PXEFAST_MAP_A_VENDOR_CLASS, m->vendor_class));
		TRY(enc_str(msg, PXEFAST_MAP_A_USER_CLASS, m->user_class));
		if (m->has & MAP_TYPE)
			TRY(nla_put_u16(msg, PXEFAST_MAP_A_SERVER_TYPE, m->type));
		if (m->has & MAP_LAYER)
			TRY(nla_put_u16(msg, PXEFAST_MAP_A_LAYER, m->layer));
		TRY(enc_str(msg, PXEFAST_MAP_A_FILE, m->file));
		if (m->next_server)
			TRY(nla_put_u32(msg, PXEFAST_MAP_A_NEXT_SERVER, m->next_server));
		TRY(enc_str(msg, PXEFAST_MAP_A_BIS_FILE, m->bis_file));
		TRY(enc_str(msg, PXEFAST_MAP_A_LABEL, m->label));
		nla_nest_end(msg, n);
		em_add(em, msg, n, m->line, "map");
	}
	return 0;
}

struct set_reply {
	struct nl_ctx *ctx;
	uint32_t gen;
};

static void dec_warning(struct nl_ctx *ctx, const struct nlattr *nest)
{
	struct nlattr *tb[PXEFAST_WARNING_A_MAX + 1];
	char *msg;

	if (ctx->nwarn == PXEFAST_MAX_WARNINGS ||
	    PARSE(tb, PXEFAST_WARNING_A_MAX, nest))
		return;
	msg = a_str(tb[PXEFAST_WARNING_A_MSG]);
	snprintf(ctx->warn[ctx->nwarn].msg, sizeof(ctx->warn[0].msg), "%s",
		 msg ? msg : "(no message)");
	free(msg);
	ctx->warn[ctx->nwarn].has_offs =
		a_u32(tb[PXEFAST_WARNING_A_OFFSET], &ctx->warn[ctx->nwarn].offs);
	ctx->nwarn++;
}

static int on_set_reply(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct set_reply *r = arg;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		if (nla_type(a) == PXEFAST_A_GENERATION)
			a_u32(a, &r->gen);
		else if (nla_type(a) == PXEFAST_A_WARNING)
			dec_warning(r->ctx, a);
	}
	return NL_OK;
}

void report_set_warnings(const struct nl_ctx *ctx, const struct enc_map *em,
			 const char *file)
{
	for (unsigned int i = 0; i < ctx->nwarn; i++) {
		const struct enc_range *r = em && ctx->warn[i].has_offs ?
			enc_map_find(em, ctx->warn[i].offs) : NULL;

		if (r && r->line && file)
			fprintf(stderr, "%s:%d: warning: %s\n", file, r->line,
				ctx->warn[i].msg);
		else if (r)
			fprintf(stderr, "pxectl: warning: %s (%s)\n",
				ctx->warn[i].msg, r->what);
		else
			fprintf(stderr, "pxectl: warning: %s\n", ctx->warn[i].msg);
	}
}

int config_set(struct nl_ctx *ctx, const struct pxe_config *c,
	       unsigned int flags, struct enc_map *em, uint32_t *new_gen)
{
	struct set_reply r = { .ctx = ctx };
	size_t size = config_size(c);
	struct nl_msg *msg;
	int err;

	for (;;) {
		msg = ctl_msg(ctx, PXEFAST_CMD_SET_CONFIG, 0, size);
		if (!msg)
			return -ENOMEM;
		if (em)
			em->n = 0;
		if (!enc_config(msg, c, flags, em))
			break;
		nlmsg_free(msg);
		if (size > (64u << 20))
			return -EMSGSIZE;
		size *= 2;
	}
	ctx->nwarn = 0;
	err = ctl_transact(ctx, msg, on_set_reply, &r);
	if (!err && new_gen)
		*new_gen = r.gen;
	return err;
}
