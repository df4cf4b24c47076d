// SPDX-License-Identifier: GPL-2.0
/*
 * A SET_CONFIG request decoded into a new snapshot, object by object.  The
 * generic netlink core has validated it against pxefast_set_config_policy
 * (nl_policy.c); what a policy cannot say of one object (required
 * attributes, duplicates, rules across attributes, file names, interfaces)
 * is checked here, with the attribute at fault in the extended ack.  The
 * configuration as a whole is config_check.c's.
 */

#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/namei.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>
#include "addr.h"
#include "dhcp.h"
#include "pxefast.h"
#include "tftp.h"

struct pxefast_decode {
	struct net *net;
	struct pxefast_config *cfg;
	struct netlink_ext_ack *extack;
};

/* The parsed attributes of any object nest: the largest of their tb[]s. */
union pxefast_obj_tb {
	struct nlattr *tftp[PXEFAST_TFTP_A_MAX + 1];
	struct nlattr *dhcp[PXEFAST_DHCP_A_MAX + 1];
	struct nlattr *menu[PXEFAST_MENU_A_MAX + 1];
	struct nlattr *menu_item[PXEFAST_MENU_ITEM_A_MAX + 1];
	struct nlattr *dev[PXEFAST_DEV_A_MAX + 1];
	struct nlattr *arch[PXEFAST_ARCH_A_MAX + 1];
	struct nlattr *server[PXEFAST_SERVER_A_MAX + 1];
	struct nlattr *map[PXEFAST_MAP_A_MAX + 1];
};

#define PXEFAST_OBJ_A_MAX \
	(sizeof(union pxefast_obj_tb) / sizeof(struct nlattr *) - 1)

/*
 * One kind of object of a request: the attributes it cannot do without,
 * how many a request may hold, where a snapshot keeps them, and what fills
 * one from its parsed attributes.  Its nest's policy is its entry's
 * nested_policy in the parent policy.
 */
struct pxefast_object {
	unsigned long required;		/* BIT(attr) of each required attr */
	const char *required_msg;
	unsigned int max;		/* 1: a section, given at most once */
	size_t array;			/* offsetof() the array, repeated ones */
	size_t size;			/* sizeof() one element */
	int (*decode)(struct pxefast_decode *d, struct nlattr **tb,
		      const struct nlattr *nla);
};

static char *pxefast_nla_strdup(const struct nlattr *nla)
{
	/* Policies guarantee NUL termination within the attribute. */
	return kstrdup(nla_data(nla), GFP_KERNEL);
}

static int pxefast_dup_opt(char **dst, const struct nlattr *nla)
{
	if (!nla)
		return 0;
	*dst = pxefast_nla_strdup(nla);
	return *dst ? 0 : -ENOMEM;
}

/* Refuse @nla with @msg, a static string chosen at run time. */
static void pxefast_refuse(struct netlink_ext_ack *extack,
			   const struct nlattr *nla, const char *msg)
{
	if (extack) {
		NL_SET_BAD_ATTR(extack, nla);
		extack->_msg = msg;
	}
}

/* An address a client is told to reach must be one host's (@nla given). */
static int pxefast_decode_unicast(__be32 *dst, const struct nlattr *nla,
				  const char *msg,
				  struct netlink_ext_ack *extack)
{
	*dst = nla_get_in_addr(nla);
	if (pxefast_addr_unicast(*dst))
		return 0;
	pxefast_refuse(extack, nla, msg);
	return -EINVAL;
}

/* Parse @nla, whose policy is @pt, as an object of kind @o; decode it. */
static int pxefast_decode_object(struct pxefast_decode *d,
				 const struct pxefast_object *o,
				 const struct nla_policy *pt,
				 const struct nlattr *nla)
{
	struct nlattr *tb[PXEFAST_OBJ_A_MAX + 1];
	unsigned int type;
	int err;

	if (WARN_ON_ONCE(pt->len > PXEFAST_OBJ_A_MAX))
		return -EINVAL;	/* a nest missing from pxefast_obj_tb */
	err = nla_parse_nested(tb, pt->len, nla, pt->nested_policy, d->extack);
	if (err)
		return err;
	for_each_set_bit(type, &o->required, pt->len + 1) {
		if (!tb[type]) {
			pxefast_refuse(d->extack, nla, o->required_msg);
			return -EINVAL;
		}
	}
	return o->decode(d, tb, nla);
}

static int pxefast_decode_tftp(struct pxefast_decode *d, struct nlattr **tb,
			       const struct nlattr *nla)
{
	struct pxefast_tftp_cfg *t = &d->cfg->tftp;
	const struct nlattr *r = tb[PXEFAST_TFTP_A_ROOT];
	int err;

	if (tb[PXEFAST_TFTP_A_ENABLED])
		t->enabled = nla_get_u8(tb[PXEFAST_TFTP_A_ENABLED]);
	if (tb[PXEFAST_TFTP_A_MAX_SESSIONS])
		t->max_sessions = nla_get_u32(tb[PXEFAST_TFTP_A_MAX_SESSIONS]);
	if (tb[PXEFAST_TFTP_A_MAX_PER_CLIENT])
		t->max_per_client = nla_get_u32(tb[PXEFAST_TFTP_A_MAX_PER_CLIENT]);
	if (tb[PXEFAST_TFTP_A_MAX_BLKSIZE])
		t->max_blksize = nla_get_u16(tb[PXEFAST_TFTP_A_MAX_BLKSIZE]);
	if (tb[PXEFAST_TFTP_A_MAX_WINDOW])
		t->max_window = nla_get_u16(tb[PXEFAST_TFTP_A_MAX_WINDOW]);
	if (tb[PXEFAST_TFTP_A_TIMEOUT_MS])
		t->timeout_ms = nla_get_u32(tb[PXEFAST_TFTP_A_TIMEOUT_MS]);
	if (tb[PXEFAST_TFTP_A_RETRIES])
		t->retries = nla_get_u8(tb[PXEFAST_TFTP_A_RETRIES]);
	if (tb[PXEFAST_TFTP_A_PORT_MIN])
		t->port_min = nla_get_u16(tb[PXEFAST_TFTP_A_PORT_MIN]);
	if (tb[PXEFAST_TFTP_A_PORT_MAX])
		t->port_max = nla_get_u16(tb[PXEFAST_TFTP_A_PORT_MAX]);
	if (tb[PXEFAST_TFTP_A_IDLE_TIMEOUT_MS])
		t->idle_timeout_ms =
			nla_get_u32(tb[PXEFAST_TFTP_A_IDLE_TIMEOUT_MS]);
	if (tb[PXEFAST_TFTP_A_CASE_FOLD])
		t->case_fold = nla_get_u8(tb[PXEFAST_TFTP_A_CASE_FOLD]);

	if (t->port_min > t->port_max) {
		NL_SET_ERR_MSG_ATTR(d->extack, tb[PXEFAST_TFTP_A_PORT_MAX] ?: nla,
				    "TFTP port range is empty (max < min)");
		return -EINVAL;
	}

	if (r) {
		if (((const char *)nla_data(r))[0] != '/') {
			NL_SET_ERR_MSG_ATTR(d->extack, r,
					    "TFTP root must be an absolute path");
			return -EINVAL;
		}
		err = kern_path(nla_data(r), LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
				&t->root);
		if (err) {
			t->root.dentry = NULL;
			NL_SET_ERR_MSG_ATTR(d->extack, r,
					    "TFTP root is not an accessible directory");
			return err;
		}
		t->root_name = pxefast_nla_strdup(r);
		if (!t->root_name)
			return -ENOMEM;
	}

	if (t->enabled && !t->root_name) {
		NL_SET_ERR_MSG_ATTR(d->extack, nla, "TFTP enabled without a root");
		return -EINVAL;
	}
	return 0;
}

static int pxefast_decode_dhcp(struct pxefast_decode *d, struct nlattr **tb,
			       const struct nlattr *nla)
{
	struct pxefast_dhcp_cfg *dh = &d->cfg->dhcp;

	if (tb[PXEFAST_DHCP_A_PROXY])
		dh->proxy = nla_get_u8(tb[PXEFAST_DHCP_A_PROXY]);
	if (tb[PXEFAST_DHCP_A_BOOT_SERVER])
		dh->boot_server = nla_get_u8(tb[PXEFAST_DHCP_A_BOOT_SERVER]);
	if (tb[PXEFAST_DHCP_A_DISCOVERY])
		dh->discovery = nla_get_u8(tb[PXEFAST_DHCP_A_DISCOVERY]);
	if (tb[PXEFAST_DHCP_A_MCAST_ADDR]) {
		dh->mcast_addr = nla_get_in_addr(tb[PXEFAST_DHCP_A_MCAST_ADDR]);
		if (!ipv4_is_multicast(dh->mcast_addr)) {
			NL_SET_ERR_MSG_ATTR(d->extack, tb[PXEFAST_DHCP_A_MCAST_ADDR],
					    "discovery address is not multicast");
			return -EINVAL;
		}
	}
	if (tb[PXEFAST_DHCP_A_HTTP_BASE]) {
		if (!pxefast_http_url(nla_data(tb[PXEFAST_DHCP_A_HTTP_BASE]))) {
			NL_SET_ERR_MSG_ATTR(d->extack, tb[PXEFAST_DHCP_A_HTTP_BASE],
					    "HTTP base is not an http:// or https:// URL with a host");
			return -EINVAL;
		}
		dh->http_base = pxefast_nla_strdup(tb[PXEFAST_DHCP_A_HTTP_BASE]);
		if (!dh->http_base)
			return -ENOMEM;
	}
	return 0;
}

static int pxefast_decode_menu_item(struct pxefast_decode *d,
				    struct nlattr **tb,
				    const struct nlattr *nla)
{
	struct pxefast_menu *m = &d->cfg->menu;
	struct pxefast_menu_item *mi = &m->items[m->nitems++];

	mi->type = nla_get_u16(tb[PXEFAST_MENU_ITEM_A_TYPE]);
	mi->label = pxefast_nla_strdup(tb[PXEFAST_MENU_ITEM_A_LABEL]);
	return mi->label ? 0 : -ENOMEM;
}

static const struct pxefast_object pxefast_menu_item = {
	.required	= BIT(PXEFAST_MENU_ITEM_A_TYPE) |
			  BIT(PXEFAST_MENU_ITEM_A_LABEL),
	.required_msg	= "menu item needs a type and a label",
	.decode		= pxefast_decode_menu_item,
};

static int pxefast_decode_menu(struct pxefast_decode *d, struct nlattr **tb,
			       const struct nlattr *nla)
{
	const struct nla_policy *item_pt =
		&pxefast_set_config_policy[PXEFAST_A_MENU].nested_policy[PXEFAST_MENU_A_ITEM];
	struct pxefast_menu *m = &d->cfg->menu;
	const struct nlattr *item;
	unsigned int n = 0;
	int rem, err;

	m->prompt = pxefast_nla_strdup(tb[PXEFAST_MENU_A_PROMPT]);
	if (!m->prompt)
		return -ENOMEM;
	if (tb[PXEFAST_MENU_A_TIMEOUT])
		m->timeout = nla_get_u8(tb[PXEFAST_MENU_A_TIMEOUT]);

	nla_for_each_nested(item, nla, rem)
		if (nla_type(item) == PXEFAST_MENU_A_ITEM)
			n++;
	if (n > PXEFAST_MAX_MENU_ITEMS) {
		NL_SET_ERR_MSG_ATTR(d->extack, nla, "too many menu items");
		return -E2BIG;
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(d->extack, nla, "menu without items");
		return -EINVAL;
	}
	m->items = kcalloc(n, sizeof(*m->items), GFP_KERNEL);
	if (!m->items)
		return -ENOMEM;

	nla_for_each_nested(item, nla, rem) {
		if (nla_type(item) != PXEFAST_MENU_A_ITEM)
			continue;
		err = pxefast_decode_object(d, &pxefast_menu_item, item_pt, item);
		if (err)
			return err;
	}
	return 0;
}

static int pxefast_decode_dev(struct pxefast_decode *d, struct nlattr **tb,
			      const struct nlattr *nla)
{
	const struct nlattr *idx = tb[PXEFAST_DEV_A_IFINDEX];
	const struct nlattr *name = tb[PXEFAST_DEV_A_IFNAME];
	struct pxefast_config *cfg = d->cfg;
	struct pxefast_dev_cfg *dc = &cfg->devs[cfg->ndevs];
	struct net_device *dev = NULL;
	unsigned int i;

	if (!idx && !name) {
		NL_SET_ERR_MSG_ATTR(d->extack, nla, "interface needs a name or index");
		return -EINVAL;
	}
	rcu_read_lock();
	if (idx)
		dev = dev_get_by_index_rcu(d->net, nla_get_u32(idx));
	else
		dev = dev_get_by_name_rcu(d->net, nla_data(name));
	dc->ifindex = dev ? dev->ifindex : 0;
	rcu_read_unlock();

	if (!dc->ifindex) {
		NL_SET_ERR_MSG_ATTR(d->extack, idx ?: name,
				    "no such interface in this namespace");
		return -ENODEV;
	}
	for (i = 0; i < cfg->ndevs; i++) {
		if (cfg->devs[i].ifindex == dc->ifindex) {
			NL_SET_ERR_MSG_ATTR(d->extack, nla, "interface listed twice");
			return -EEXIST;
		}
	}
	if (tb[PXEFAST_DEV_A_ADDR] &&
	    pxefast_decode_unicast(&dc->addr, tb[PXEFAST_DEV_A_ADDR],
				   "server address is not a unicast address",
				   d->extack))
		return -EINVAL;
	if (tb[PXEFAST_DEV_A_XDP])
		dc->xdp = nla_get_u8(tb[PXEFAST_DEV_A_XDP]);
	if (tb[PXEFAST_DEV_A_DHCP6])
		dc->dhcp6 = nla_get_u8(tb[PXEFAST_DEV_A_DHCP6]);
	if (tb[PXEFAST_DEV_A_ADDR6]) {
		dc->addr6 = nla_get_in6_addr(tb[PXEFAST_DEV_A_ADDR6]);
		if (!pxefast_addr6_global(&dc->addr6)) {
			NL_SET_ERR_MSG_ATTR(d->extack, tb[PXEFAST_DEV_A_ADDR6],
					    "IPv6 server address is not a global unicast address");
			return -EINVAL;
		}
	}
	cfg->ndevs++;
	return 0;
}

static int pxefast_decode_arch(struct pxefast_decode *d, struct nlattr **tb,
			       const struct nlattr *nla)
{
	struct pxefast_config *cfg = d->cfg;
	struct pxefast_arch_cfg *a = &cfg->archs[cfg->narchs];
	unsigned int i;

	a->code = nla_get_u16(tb[PXEFAST_ARCH_A_CODE]);
	a->enabled = nla_get_u8(tb[PXEFAST_ARCH_A_ENABLED]);
	for (i = 0; i < cfg->narchs; i++) {
		if (cfg->archs[i].code == a->code) {
			NL_SET_ERR_MSG_ATTR(d->extack, tb[PXEFAST_ARCH_A_CODE],
					    "architecture listed twice");
			return -EEXIST;
		}
	}
	cfg->narchs++;
	return 0;
}

static int pxefast_decode_server(struct pxefast_decode *d, struct nlattr **tb,
				 const struct nlattr *nla)
{
	const struct nlattr *addrs = tb[PXEFAST_SERVER_A_ADDRS];
	struct pxefast_config *cfg = d->cfg;
	struct pxefast_server *s = &cfg->servers[cfg->nservers];
	unsigned int i;
	int len;

	s->type = nla_get_u16(tb[PXEFAST_SERVER_A_TYPE]);
	for (i = 0; i < cfg->nservers; i++) {
		if (cfg->servers[i].type == s->type) {
			NL_SET_ERR_MSG_ATTR(d->extack, tb[PXEFAST_SERVER_A_TYPE],
					    "boot server type listed twice");
			return -EEXIST;
		}
	}
	if (addrs) {
		len = nla_len(addrs);
		if (len % sizeof(__be32) ||
		    len / sizeof(__be32) > PXEFAST_MAX_SERVER_ADDRS) {
			NL_SET_ERR_MSG_ATTR(d->extack, addrs,
					    "boot server addresses: at most 16 whole IPv4 addresses");
			return -EINVAL;
		}
		s->naddrs = len / sizeof(__be32);
		memcpy(s->addrs, nla_data(addrs), len);
		for (i = 0; i < s->naddrs; i++) {
			if (!pxefast_addr_unicast(s->addrs[i])) {
				NL_SET_ERR_MSG_ATTR(d->extack, addrs,
						    "boot server address is not unicast");
				return -EINVAL;
			}
		}
	}
	if (pxefast_dup_opt(&s->label, tb[PXEFAST_SERVER_A_LABEL]))
		return -ENOMEM;
	cfg->nservers++;
	return 0;
}

/* A file TFTP would refuse at every boot is refused now (@nla optional). */
static int pxefast_map_name_check(const struct nlattr *nla,
				  struct netlink_ext_ack *extack)
{
	int err = nla ? pxefast_tftp_name_check(nla_data(nla)) : 0;

	if (err == -EACCES)
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "boot file name climbs above the TFTP root");
	else if (err)
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "boot file name names no file beneath the TFTP root");
	return err ? -EINVAL : 0;
}

/* The refusals of a mapping's attributes taken together. */
static int pxefast_map_check(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	const struct nlattr *up = tb[PXEFAST_MAP_A_UUID_PREFIX];

	if (tb[PXEFAST_MAP_A_LAYER] && !tb[PXEFAST_MAP_A_SERVER_TYPE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_MAP_A_LAYER],
				    "layer match needs a boot server type");
		return -EINVAL;
	}
	if (pxefast_map_name_check(tb[PXEFAST_MAP_A_FILE], extack) ||
	    pxefast_map_name_check(tb[PXEFAST_MAP_A_BIS_FILE], extack))
		return -EINVAL;
	if (tb[PXEFAST_MAP_A_MAC] && tb[PXEFAST_MAP_A_MAC_PREFIX]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_MAP_A_MAC_PREFIX],
				    "a MAC and a MAC prefix together");
		return -EINVAL;
	}
	if (tb[PXEFAST_MAP_A_UUID] && up) {
		NL_SET_ERR_MSG_ATTR(extack, up,
				    "a UUID and a UUID prefix together");
		return -EINVAL;
	}
	if (up && *(const u8 *)nla_data(up)) {
		NL_SET_ERR_MSG_ATTR(extack, up,
				    "UUID prefix must start with option 97's type byte 0");
		return -EINVAL;
	}
	return 0;
}

/*
 * The URL an HTTP boot client mapped to @m is given: its file when that
 * is an http(s) URL, else the HTTP base joined with the file.  None for
 * another scheme's URL or without a base.
 */
static int pxefast_map_url(struct pxefast_decode *d, struct pxefast_map *m,
			   const struct nlattr *file)
{
	const char *base = d->cfg->dhcp.http_base;

	if (strstr(m->file, "://")) {
		if (!pxefast_http_url(m->file))
			return 0;
		m->url = m->file;
	} else if (base) {
		m->url = pxefast_http_url_join(base, m->file);
		if (!m->url)
			return -ENOMEM;
	} else {
		return 0;
	}
	if (strlen(m->url) > PXEFAST_HTTP_URL_MAX) {
		NL_SET_ERR_MSG_ATTR(d->extack, file,
				    "HTTP boot URL longer than 255 bytes (option 67)");
		return -EINVAL;
	}
	return 0;
}

static int pxefast_decode_map(struct pxefast_decode *d, struct nlattr **tb,
			      const struct nlattr *nla)
{
	const struct nlattr *mp = tb[PXEFAST_MAP_A_MAC_PREFIX];
	const struct nlattr *up = tb[PXEFAST_MAP_A_UUID_PREFIX];
	struct pxefast_config *cfg = d->cfg;
	struct pxefast_map *m;
	int err;

	err = pxefast_map_check(tb, d->extack);
	if (err)
		return err;

	m = &cfg->maps[cfg->nmaps];
	m->pos = cfg->nmaps++;
	if (tb[PXEFAST_MAP_A_MAC]) {
		m->fields |= PXEFAST_MATCH_MAC;
		memcpy(m->mac, nla_data(tb[PXEFAST_MAP_A_MAC]), ETH_ALEN);
	}
	if (mp) {
		m->fields |= PXEFAST_MATCH_MAC_PREFIX;
		m->mac_plen = nla_len(mp);
		memcpy(m->mac, nla_data(mp), m->mac_plen);
	}
	if (tb[PXEFAST_MAP_A_UUID]) {
		m->fields |= PXEFAST_MATCH_UUID;
		memcpy(m->uuid, nla_data(tb[PXEFAST_MAP_A_UUID]),
		       PXEFAST_UUID_LEN);
	}
	if (up) {
		m->fields |= PXEFAST_MATCH_UUID_PREFIX;
		m->uuid_plen = nla_len(up) - 1;
		memcpy(m->uuid, (const u8 *)nla_data(up) + 1, m->uuid_plen);
	}
	if (tb[PXEFAST_MAP_A_DELAY_MS])
		m->delay_ms = nla_get_u32(tb[PXEFAST_MAP_A_DELAY_MS]);
	if (tb[PXEFAST_MAP_A_USER_CLASS])
		m->fields |= PXEFAST_MATCH_UCLASS;
	if (tb[PXEFAST_MAP_A_VENDOR_CLASS])
		m->fields |= PXEFAST_MATCH_VCLASS;
	if (tb[PXEFAST_MAP_A_ARCH]) {
		m->fields |= PXEFAST_MATCH_ARCH;
		m->arch = nla_get_u16(tb[PXEFAST_MAP_A_ARCH]);
	}
	if (tb[PXEFAST_MAP_A_SERVER_TYPE]) {
		m->fields |= PXEFAST_MATCH_TYPE;
		m->server_type = nla_get_u16(tb[PXEFAST_MAP_A_SERVER_TYPE]);
	}
	if (tb[PXEFAST_MAP_A_LAYER]) {
		m->fields |= PXEFAST_MATCH_LAYER;
		m->layer = nla_get_u16(tb[PXEFAST_MAP_A_LAYER]);
	}
	if (tb[PXEFAST_MAP_A_NEXT_SERVER] &&
	    pxefast_decode_unicast(&m->next_server, tb[PXEFAST_MAP_A_NEXT_SERVER],
				   "next server is not a unicast address",
				   d->extack))
		return -EINVAL;

	return pxefast_dup_opt(&m->vendor_class, tb[PXEFAST_MAP_A_VENDOR_CLASS]) ?:
	       pxefast_dup_opt(&m->user_class, tb[PXEFAST_MAP_A_USER_CLASS]) ?:
	       pxefast_dup_opt(&m->file, tb[PXEFAST_MAP_A_FILE]) ?:
	       pxefast_dup_opt(&m->bis_file, tb[PXEFAST_MAP_A_BIS_FILE]) ?:
	       pxefast_dup_opt(&m->label, tb[PXEFAST_MAP_A_LABEL]) ?:
	       pxefast_map_url(d, m, tb[PXEFAST_MAP_A_FILE]);
}

#define PXEFAST_SECTION(name)						\
	.decode		= pxefast_decode_##name,			\
	.max		= 1

#define PXEFAST_REPEATED(name, type, limit)				\
	.decode		= pxefast_decode_##name,			\
	.max		= (limit),					\
	.array		= offsetof(struct pxefast_config, name##s),	\
	.size		= sizeof(type)

/*
 * The objects of a request, by top-level attribute.  Sections come first
 * in attribute order, then the repeated objects in request order.
 */
static const struct pxefast_object pxefast_objects[PXEFAST_A_MAX + 1] = {
	[PXEFAST_A_TFTP]	= { PXEFAST_SECTION(tftp) },
	[PXEFAST_A_DHCP]	= { PXEFAST_SECTION(dhcp) },
	[PXEFAST_A_MENU]	= {
		PXEFAST_SECTION(menu),
		.required	= BIT(PXEFAST_MENU_A_PROMPT),
		.required_msg	= "menu without a prompt",
	},
	[PXEFAST_A_DEV]		= {
		PXEFAST_REPEATED(dev, struct pxefast_dev_cfg, PXEFAST_MAX_DEVS),
	},
	[PXEFAST_A_ARCH]	= {
		PXEFAST_REPEATED(arch, struct pxefast_arch_cfg, PXEFAST_MAX_ARCHS),
		.required	= BIT(PXEFAST_ARCH_A_CODE) |
				  BIT(PXEFAST_ARCH_A_ENABLED),
		.required_msg	= "architecture needs a code and a state",
	},
	[PXEFAST_A_SERVER]	= {
		PXEFAST_REPEATED(server, struct pxefast_server, PXEFAST_MAX_SERVERS),
		.required	= BIT(PXEFAST_SERVER_A_TYPE),
		.required_msg	= "boot server needs a type",
	},
	[PXEFAST_A_MAP]		= {
		PXEFAST_REPEATED(map, struct pxefast_map, PXEFAST_MAX_MAPS),
		.required	= BIT(PXEFAST_MAP_A_FILE),
		.required_msg	= "mapping needs a boot file",
	},
};

/*
 * Count the objects of each kind, refuse a section given twice or too many
 * objects, and allocate the arrays of the repeated ones.  @sections gets
 * each section's attribute.
 */
static int pxefast_decode_alloc(struct pxefast_config *cfg,
				const struct nlattr *head, int len,
				const struct nlattr **sections,
				struct netlink_ext_ack *extack)
{
	unsigned int n[PXEFAST_A_MAX + 1] = { 0 };
	const struct pxefast_object *o;
	const struct nlattr *nla;
	int rem, type;

	nla_for_each_attr(nla, head, len, rem) {
		type = nla_type(nla);
		o = &pxefast_objects[type];
		if (!o->decode)
			continue;	/* GENERATION, DRY_RUN */
		if (o->max == 1 && n[type]) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "section given more than once");
			return -EINVAL;
		}
		if (++n[type] > o->max) {
			NL_SET_ERR_MSG(extack,
				       "too many objects in the configuration");
			return -E2BIG;
		}
		if (o->max == 1)
			sections[type] = nla;
	}
	for (type = 0; type <= PXEFAST_A_MAX; type++) {
		void **array = (void **)((u8 *)cfg + pxefast_objects[type].array);

		if (!pxefast_objects[type].array || !n[type])
			continue;
		*array = kvcalloc(n[type], pxefast_objects[type].size,
				  GFP_KERNEL);
		if (!*array)
			return -ENOMEM;
	}
	return 0;
}

/**
 * pxefast_config_decode - fill a new snapshot from a SET_CONFIG request
 * @net: namespace the interfaces are looked up in
 * @cfg: a snapshot holding the defaults (pxefast_config_default()), not
 *	published; on failure it holds what was decoded so far, to be freed
 * @head: first top-level attribute of the request
 * @len: length of all top-level attributes
 * @extack: where the reason of a refusal goes, with the attribute at fault
 *
 * The request has been validated against pxefast_set_config_policy by the
 * generic netlink core.  Sections (TFTP, DHCP, menu) are decoded first,
 * then interfaces, architectures, boot servers and mappings in request
 * order (pxefast_map.pos).
 *
 * Context: process, may sleep (GFP_KERNEL, the TFTP root's lookup).
 *
 * Return: 0, or -EINVAL, -EEXIST, -E2BIG (with the reason in @extack),
 * -ENODEV, -ENOMEM, or the TFTP root lookup's error.
 */
int pxefast_config_decode(struct net *net, struct pxefast_config *cfg,
			  const struct nlattr *head, int len,
			  struct netlink_ext_ack *extack)
{
	const struct nlattr *sections[PXEFAST_A_MAX + 1] = { NULL };
	struct pxefast_decode d = { net, cfg, extack };
	const struct pxefast_object *o;
	const struct nlattr *nla;
	int rem, type, err;

	err = pxefast_decode_alloc(cfg, head, len, sections, extack);
	for (type = 0; !err && type <= PXEFAST_A_MAX; type++)
		if (sections[type])
			err = pxefast_decode_object(&d, &pxefast_objects[type],
						    &pxefast_set_config_policy[type],
						    sections[type]);
	if (err)
		return err;
	nla_for_each_attr(nla, head, len, rem) {
		type = nla_type(nla);
		o = &pxefast_objects[type];
		if (o->max > 1) {
			err = pxefast_decode_object(&d, o,
						    &pxefast_set_config_policy[type],
						    nla);
			if (err)
				return err;
		}
	}
	return 0;
}
