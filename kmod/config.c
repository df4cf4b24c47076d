// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration snapshots: built from a SET_CONFIG message, checked as a
 * whole, published with RCU, freed after a grace period.
 */

#include <linux/inetdevice.h>
#include <linux/namei.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/route.h>
#include "compat.h"
#include "pxefast.h"
#include "tftp.h"

/*
 * Netlink policies: the exact shape of every attribute.  The generic
 * netlink core validates whole requests against pxefast_policy (strictly,
 * nests included) before a handler runs.
 */
#define PXEFAST_STR(max)	{ .type = NLA_NUL_STRING, .len = (max) - 1 }
#define PXEFAST_BOOL		NLA_POLICY_MAX(NLA_U8, 1)

static const struct nla_policy pxefast_dev_policy[PXEFAST_DEV_A_MAX + 1] = {
	[PXEFAST_DEV_A_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[PXEFAST_DEV_A_IFNAME]		= PXEFAST_STR(IFNAMSIZ),
	[PXEFAST_DEV_A_ADDR]		= { .type = NLA_BE32 },
	[PXEFAST_DEV_A_XDP]		= NLA_POLICY_MAX(NLA_U8, PXEFAST_XDP_MODE_MAX),
};

/* Bounds beyond the s16 min/max of a plain range policy. */
static PXEFAST_POLICY_RANGE_CONST struct netlink_range_validation pxefast_sessions_range = {
	.min = 1, .max = 65536,
};

/* Boot server types: 0..65534 (PXE 2.1; 32768 and up are vendor types). */
static PXEFAST_POLICY_RANGE_CONST struct netlink_range_validation pxefast_type_range = {
	.max = 0xfffe,
};

static PXEFAST_POLICY_RANGE_CONST struct netlink_range_validation pxefast_blksize_range = {
	.min = 512, .max = 65464,
};

static PXEFAST_POLICY_RANGE_CONST struct netlink_range_validation pxefast_timeout_range = {
	.min = 10, .max = 255000,
};

static PXEFAST_POLICY_RANGE_CONST struct netlink_range_validation pxefast_idle_range = {
	.min = 100, .max = 3600000,
};

static const struct nla_policy pxefast_tftp_policy[PXEFAST_TFTP_A_MAX + 1] = {
	[PXEFAST_TFTP_A_ENABLED]	= PXEFAST_BOOL,
	[PXEFAST_TFTP_A_ROOT]		= PXEFAST_STR(PXEFAST_PATH_MAX),
	[PXEFAST_TFTP_A_MAX_SESSIONS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_sessions_range),
	[PXEFAST_TFTP_A_MAX_PER_CLIENT]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_sessions_range),
	[PXEFAST_TFTP_A_MAX_BLKSIZE]	=
		NLA_POLICY_FULL_RANGE(NLA_U16, &pxefast_blksize_range),
	[PXEFAST_TFTP_A_MAX_WINDOW]	= NLA_POLICY_RANGE(NLA_U16, 1, 256),
	[PXEFAST_TFTP_A_TIMEOUT_MS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_timeout_range),
	[PXEFAST_TFTP_A_RETRIES]	= NLA_POLICY_RANGE(NLA_U8, 1, 50),
	[PXEFAST_TFTP_A_PORT_MIN]	= NLA_POLICY_MIN(NLA_U16, 1024),
	[PXEFAST_TFTP_A_PORT_MAX]	= NLA_POLICY_MIN(NLA_U16, 1024),
	[PXEFAST_TFTP_A_IDLE_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_idle_range),
	[PXEFAST_TFTP_A_CASE_FOLD]	= PXEFAST_BOOL,
};

static const struct nla_policy pxefast_dhcp_policy[PXEFAST_DHCP_A_MAX + 1] = {
	[PXEFAST_DHCP_A_PROXY]		= PXEFAST_BOOL,
	[PXEFAST_DHCP_A_BOOT_SERVER]	= PXEFAST_BOOL,
	[PXEFAST_DHCP_A_DISCOVERY]	= NLA_POLICY_MAX(NLA_U8, 0xf),
	[PXEFAST_DHCP_A_MCAST_ADDR]	= { .type = NLA_BE32 },
};

static const struct nla_policy
pxefast_menu_item_policy[PXEFAST_MENU_ITEM_A_MAX + 1] = {
	[PXEFAST_MENU_ITEM_A_TYPE]	=
		NLA_POLICY_FULL_RANGE(NLA_U16, &pxefast_type_range),
	[PXEFAST_MENU_ITEM_A_LABEL]	= PXEFAST_STR(PXEFAST_NAME_MAX),
};

static const struct nla_policy pxefast_menu_policy[PXEFAST_MENU_A_MAX + 1] = {
	[PXEFAST_MENU_A_PROMPT]		= PXEFAST_STR(PXEFAST_NAME_MAX),
	[PXEFAST_MENU_A_TIMEOUT]	= { .type = NLA_U8 },
	[PXEFAST_MENU_A_ITEM]		= NLA_POLICY_NESTED(pxefast_menu_item_policy),
};

static const struct nla_policy pxefast_arch_policy[PXEFAST_ARCH_A_MAX + 1] = {
	[PXEFAST_ARCH_A_CODE]		= { .type = NLA_U16 },
	[PXEFAST_ARCH_A_ENABLED]	= PXEFAST_BOOL,
};

static const struct nla_policy
pxefast_server_policy[PXEFAST_SERVER_A_MAX + 1] = {
	[PXEFAST_SERVER_A_TYPE]		=
		NLA_POLICY_FULL_RANGE(NLA_U16, &pxefast_type_range),
	[PXEFAST_SERVER_A_ADDRS]	= { .type = NLA_BINARY,
					    .len = PXEFAST_MAX_SERVER_ADDRS * 4 },
	[PXEFAST_SERVER_A_LABEL]	= PXEFAST_STR(PXEFAST_NAME_MAX),
};

static PXEFAST_POLICY_RANGE_CONST struct netlink_range_validation pxefast_delay_range = {
	.max = 60000,
};

static const struct nla_policy pxefast_map_policy[PXEFAST_MAP_A_MAX + 1] = {
	[PXEFAST_MAP_A_ARCH]		= { .type = NLA_U16 },
	[PXEFAST_MAP_A_MAC]		= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[PXEFAST_MAP_A_UUID]		= NLA_POLICY_EXACT_LEN(PXEFAST_UUID_LEN),
	[PXEFAST_MAP_A_VENDOR_CLASS]	= PXEFAST_STR(PXEFAST_NAME_MAX),
	[PXEFAST_MAP_A_USER_CLASS]	= PXEFAST_STR(PXEFAST_NAME_MAX),
	[PXEFAST_MAP_A_SERVER_TYPE]	=
		NLA_POLICY_FULL_RANGE(NLA_U16, &pxefast_type_range),
	[PXEFAST_MAP_A_LAYER]		= NLA_POLICY_MAX(NLA_U16, 0x7fff),
	[PXEFAST_MAP_A_FILE]		= PXEFAST_STR(PXEFAST_PATH_MAX),
	[PXEFAST_MAP_A_NEXT_SERVER]	= { .type = NLA_BE32 },
	[PXEFAST_MAP_A_BIS_FILE]	= PXEFAST_STR(PXEFAST_PATH_MAX),
	[PXEFAST_MAP_A_LABEL]		= PXEFAST_STR(PXEFAST_NAME_MAX),
	[PXEFAST_MAP_A_MAC_PREFIX]	=
		NLA_POLICY_RANGE(NLA_BINARY, 1, ETH_ALEN - 1),
	[PXEFAST_MAP_A_UUID_PREFIX]	=
		NLA_POLICY_RANGE(NLA_BINARY, 1, 1 + PXEFAST_UUID_LEN),
	[PXEFAST_MAP_A_DELAY_MS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_delay_range),
};

const struct nla_policy pxefast_policy[PXEFAST_A_MAX + 1] = {
	[PXEFAST_A_GENERATION]		= { .type = NLA_U32 },
	[PXEFAST_A_TFTP]		= NLA_POLICY_NESTED(pxefast_tftp_policy),
	[PXEFAST_A_DHCP]		= NLA_POLICY_NESTED(pxefast_dhcp_policy),
	[PXEFAST_A_MENU]		= NLA_POLICY_NESTED(pxefast_menu_policy),
	[PXEFAST_A_DEV]			= NLA_POLICY_NESTED(pxefast_dev_policy),
	[PXEFAST_A_ARCH]		= NLA_POLICY_NESTED(pxefast_arch_policy),
	[PXEFAST_A_SERVER]		= NLA_POLICY_NESTED(pxefast_server_policy),
	[PXEFAST_A_MAP]			= NLA_POLICY_NESTED(pxefast_map_policy),
	[PXEFAST_A_STATS_CLEAR]		= { .type = NLA_FLAG },
	[PXEFAST_A_DRY_RUN]		= { .type = NLA_FLAG },
};

/* Free a snapshot that owns everything it points to. */
static void pxefast_config_free_owner(struct pxefast_config *cfg)
{
	unsigned int i;

	if (cfg->tftp.root.dentry)
		path_put(&cfg->tftp.root);
	kfree(cfg->tftp.root_name);
	kfree(cfg->menu.prompt);
	for (i = 0; i < cfg->menu.nitems; i++)
		kfree(cfg->menu.items[i].label);
	kfree(cfg->menu.items);
	kfree(cfg->devs);
	kfree(cfg->archs);
	for (i = 0; i < cfg->nservers; i++)
		kfree(cfg->servers[i].label);
	kfree(cfg->servers);
	for (i = 0; i < cfg->nmaps; i++) {
		struct pxefast_map *m = &cfg->maps[i];

		kfree(m->vendor_class);
		kfree(m->user_class);
		kfree(m->file);
		kfree(m->bis_file);
		kfree(m->label);
	}
	kvfree(cfg->maps);
	kfree(cfg->runs);
	kfree(cfg);
}

static void pxefast_config_free(struct pxefast_config *cfg)
{
	struct pxefast_config *base = cfg->base;

	if (!base) {
		pxefast_config_free_owner(cfg);
		return;
	}
	kfree(cfg->devs);
	kfree(cfg);
	/*
	 * @base stopped being published when the first snapshot sharing it
	 * was published in its place, no later than @cfg was (they are made
	 * only to be published at once, which cannot fail for them), and a
	 * grace period has passed since @cfg's last reference went, later
	 * still: no RCU reader can see @base any more.  When this was its
	 * last reference it is freed here and now, not through another RCU
	 * work item (which module unload could not wait for: rcu_barrier()
	 * comes before draining the workqueue).
	 */
	if (refcount_dec_and_test(&base->ref))
		pxefast_config_free_owner(base);
}

static void pxefast_config_free_work(struct work_struct *work)
{
	struct pxefast_config *cfg =
		container_of(to_rcu_work(work), struct pxefast_config, free_work);

	pxefast_config_free(cfg);
}

/**
 * pxefast_config_put - drop a reference on a configuration snapshot
 * @cfg: the snapshot, or NULL
 *
 * The last reference frees the snapshot after an RCU grace period, in a work
 * item (process context: path_put() may sleep).  Any context.
 */
void pxefast_config_put(struct pxefast_config *cfg)
{
	if (cfg && refcount_dec_and_test(&cfg->ref)) {
		INIT_RCU_WORK(&cfg->free_work, pxefast_config_free_work);
		queue_rcu_work(pxefast_wq, &cfg->free_work);
	}
}

/**
 * pxefast_config_get - take a reference on a snapshot found under RCU
 * @cfg: the snapshot, read with rcu_dereference() in the current RCU section
 *
 * Any context.
 *
 * Return: true with a reference taken, false if the snapshot is being freed.
 */
bool pxefast_config_get(struct pxefast_config *cfg)
{
	return refcount_inc_not_zero(&cfg->ref);
}

/**
 * pxefast_config_default - the configuration of a new namespace
 *
 * Context: process context (GFP_KERNEL).  The new configuration serves
 * nothing: no interface, TFTP off, every default of the uapi header.
 *
 * Return: a snapshot holding one reference, or NULL when out of memory.
 */
struct pxefast_config *pxefast_config_default(void)
{
	struct pxefast_config *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	if (!cfg)
		return NULL;
	refcount_set(&cfg->ref, 1);
	cfg->tftp.max_sessions = 1024;
	cfg->tftp.max_per_client = 16;
	cfg->tftp.max_blksize = 1468;
	cfg->tftp.max_window = 64;
	cfg->tftp.timeout_ms = 1000;
	cfg->tftp.retries = 5;
	cfg->tftp.port_min = 49152;
	cfg->tftp.port_max = 65535;
	cfg->tftp.idle_timeout_ms = 30000;
	cfg->dhcp.proxy = true;
	cfg->dhcp.boot_server = true;
	return cfg;
}

static char *pxefast_nla_strdup(const struct nlattr *nla)
{
	/* Policies guarantee NUL termination within the attribute. */
	return kstrdup(nla_data(nla), GFP_KERNEL);
}

/* Parse one object nest into @tb with its policy; the core has already
 * validated it strictly, this only splits it.
 */
static int pxefast_parse_nest(struct nlattr **tb, int maxtype,
			      const struct nlattr *nla,
			      const struct nla_policy *policy,
			      struct netlink_ext_ack *extack)
{
	return nla_parse_nested(tb, maxtype, nla, policy, extack);
}

static int pxefast_parse_tftp(struct pxefast_config *cfg,
			      const struct nlattr *nla,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PXEFAST_TFTP_A_MAX + 1];
	struct pxefast_tftp_cfg *t = &cfg->tftp;
	int err;

	err = pxefast_parse_nest(tb, PXEFAST_TFTP_A_MAX, nla,
				 pxefast_tftp_policy, extack);
	if (err)
		return err;

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
		NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_TFTP_A_PORT_MAX] ?: nla,
				    "TFTP port range is empty (max < min)");
		return -EINVAL;
	}

	if (tb[PXEFAST_TFTP_A_ROOT]) {
		const struct nlattr *r = tb[PXEFAST_TFTP_A_ROOT];
		const char *name = nla_data(r);

		if (name[0] != '/') {
			NL_SET_ERR_MSG_ATTR(extack, r,
					    "TFTP root must be an absolute path");
			return -EINVAL;
		}
		err = kern_path(name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
				&t->root);
		if (err) {
			t->root.dentry = NULL;
			NL_SET_ERR_MSG_ATTR(extack, r,
					    "TFTP root is not an accessible directory");
			return err;
		}
		t->root_name = pxefast_nla_strdup(r);
		if (!t->root_name)
			return -ENOMEM;
	}

	if (t->enabled && !t->root_name) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "TFTP enabled without a root");
		return -EINVAL;
	}
	return 0;
}

static int pxefast_parse_dhcp(struct pxefast_config *cfg,
			      const struct nlattr *nla,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PXEFAST_DHCP_A_MAX + 1];
	struct pxefast_dhcp_cfg *d = &cfg->dhcp;
	int err;

	err = pxefast_parse_nest(tb, PXEFAST_DHCP_A_MAX, nla,
				 pxefast_dhcp_policy, extack);
	if (err)
		return err;
	if (tb[PXEFAST_DHCP_A_PROXY])
		d->proxy = nla_get_u8(tb[PXEFAST_DHCP_A_PROXY]);
	if (tb[PXEFAST_DHCP_A_BOOT_SERVER])
		d->boot_server = nla_get_u8(tb[PXEFAST_DHCP_A_BOOT_SERVER]);
	if (tb[PXEFAST_DHCP_A_DISCOVERY])
		d->discovery = nla_get_u8(tb[PXEFAST_DHCP_A_DISCOVERY]);
	if (tb[PXEFAST_DHCP_A_MCAST_ADDR]) {
		d->mcast_addr = nla_get_in_addr(tb[PXEFAST_DHCP_A_MCAST_ADDR]);
		if (!ipv4_is_multicast(d->mcast_addr)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_DHCP_A_MCAST_ADDR],
					    "discovery address is not multicast");
			return -EINVAL;
		}
	}
	return 0;
}

static int pxefast_parse_menu(struct pxefast_config *cfg,
			      const struct nlattr *nla,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PXEFAST_MENU_A_MAX + 1];
	struct pxefast_menu *m = &cfg->menu;
	const struct nlattr *item;
	unsigned int n = 0;
	int rem, err;

	err = pxefast_parse_nest(tb, PXEFAST_MENU_A_MAX, nla,
				 pxefast_menu_policy, extack);
	if (err)
		return err;
	if (!tb[PXEFAST_MENU_A_PROMPT]) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "menu without a prompt");
		return -EINVAL;
	}
	m->prompt = pxefast_nla_strdup(tb[PXEFAST_MENU_A_PROMPT]);
	if (!m->prompt)
		return -ENOMEM;
	if (tb[PXEFAST_MENU_A_TIMEOUT])
		m->timeout = nla_get_u8(tb[PXEFAST_MENU_A_TIMEOUT]);

	nla_for_each_nested(item, nla, rem)
		if (nla_type(item) == PXEFAST_MENU_A_ITEM)
			n++;
	if (n > PXEFAST_MAX_MENU_ITEMS) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "too many menu items");
		return -E2BIG;
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "menu without items");
		return -EINVAL;
	}
	m->items = kcalloc(n, sizeof(*m->items), GFP_KERNEL);
	if (!m->items)
		return -ENOMEM;

	nla_for_each_nested(item, nla, rem) {
		struct nlattr *it[PXEFAST_MENU_ITEM_A_MAX + 1];
		struct pxefast_menu_item *mi;

		if (nla_type(item) != PXEFAST_MENU_A_ITEM)
			continue;
		err = pxefast_parse_nest(it, PXEFAST_MENU_ITEM_A_MAX, item,
					 pxefast_menu_item_policy, extack);
		if (err)
			return err;
		if (!it[PXEFAST_MENU_ITEM_A_TYPE] ||
		    !it[PXEFAST_MENU_ITEM_A_LABEL]) {
			NL_SET_ERR_MSG_ATTR(extack, item,
					    "menu item needs a type and a label");
			return -EINVAL;
		}
		mi = &m->items[m->nitems++];
		mi->type = nla_get_u16(it[PXEFAST_MENU_ITEM_A_TYPE]);
		mi->label = pxefast_nla_strdup(it[PXEFAST_MENU_ITEM_A_LABEL]);
		if (!mi->label)
			return -ENOMEM;
	}
	return 0;
}

static int pxefast_parse_dev(struct net *net, struct pxefast_config *cfg,
			     const struct nlattr *nla,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PXEFAST_DEV_A_MAX + 1];
	struct pxefast_dev_cfg *d;
	struct net_device *dev;
	unsigned int i;
	int err;

	err = pxefast_parse_nest(tb, PXEFAST_DEV_A_MAX, nla,
				 pxefast_dev_policy, extack);
	if (err)
		return err;
	if (cfg->ndevs >= PXEFAST_MAX_DEVS) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "too many interfaces");
		return -E2BIG;
	}

	rcu_read_lock();
	if (tb[PXEFAST_DEV_A_IFINDEX])
		dev = dev_get_by_index_rcu(net,
					   nla_get_u32(tb[PXEFAST_DEV_A_IFINDEX]));
	else if (tb[PXEFAST_DEV_A_IFNAME])
		dev = dev_get_by_name_rcu(net, nla_data(tb[PXEFAST_DEV_A_IFNAME]));
	else
		dev = NULL;
	d = &cfg->devs[cfg->ndevs];
	d->ifindex = dev ? dev->ifindex : 0;
	rcu_read_unlock();

	if (!tb[PXEFAST_DEV_A_IFINDEX] && !tb[PXEFAST_DEV_A_IFNAME]) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "interface needs a name or index");
		return -EINVAL;
	}
	if (!d->ifindex) {
		NL_SET_ERR_MSG_ATTR(extack,
				    tb[PXEFAST_DEV_A_IFINDEX] ?: tb[PXEFAST_DEV_A_IFNAME],
				    "no such interface in this namespace");
		return -ENODEV;
	}
	for (i = 0; i < cfg->ndevs; i++) {
		if (cfg->devs[i].ifindex == d->ifindex) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "interface listed twice");
			return -EEXIST;
		}
	}
	if (tb[PXEFAST_DEV_A_ADDR]) {
		d->addr = nla_get_in_addr(tb[PXEFAST_DEV_A_ADDR]);
		if (ipv4_is_zeronet(d->addr) || ipv4_is_multicast(d->addr) ||
		    ipv4_is_lbcast(d->addr)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_DEV_A_ADDR],
					    "server address is not a unicast address");
			return -EINVAL;
		}
	}
	if (tb[PXEFAST_DEV_A_XDP])
		d->xdp = nla_get_u8(tb[PXEFAST_DEV_A_XDP]);
	cfg->ndevs++;
	return 0;
}

static int pxefast_parse_arch(struct pxefast_config *cfg,
			      const struct nlattr *nla,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PXEFAST_ARCH_A_MAX + 1];
	struct pxefast_arch_cfg *a;
	unsigned int i;
	int err;

	err = pxefast_parse_nest(tb, PXEFAST_ARCH_A_MAX, nla,
				 pxefast_arch_policy, extack);
	if (err)
		return err;
	if (!tb[PXEFAST_ARCH_A_CODE] || !tb[PXEFAST_ARCH_A_ENABLED]) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "architecture needs a code and a state");
		return -EINVAL;
	}
	if (cfg->narchs >= PXEFAST_MAX_ARCHS) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "too many architectures");
		return -E2BIG;
	}
	a = &cfg->archs[cfg->narchs];
	a->code = nla_get_u16(tb[PXEFAST_ARCH_A_CODE]);
	a->enabled = nla_get_u8(tb[PXEFAST_ARCH_A_ENABLED]);
	for (i = 0; i < cfg->narchs; i++) {
		if (cfg->archs[i].code == a->code) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_ARCH_A_CODE],
					    "architecture listed twice");
			return -EEXIST;
		}
	}
	cfg->narchs++;
	return 0;
}

static int pxefast_parse_server(struct pxefast_config *cfg,
				const struct nlattr *nla,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PXEFAST_SERVER_A_MAX + 1];
	struct pxefast_server *s;
	unsigned int i;
	int err;

	err = pxefast_parse_nest(tb, PXEFAST_SERVER_A_MAX, nla,
				 pxefast_server_policy, extack);
	if (err)
		return err;
	if (!tb[PXEFAST_SERVER_A_TYPE]) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "boot server needs a type");
		return -EINVAL;
	}
	if (cfg->nservers >= PXEFAST_MAX_SERVERS) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "too many boot servers");
		return -E2BIG;
	}
	s = &cfg->servers[cfg->nservers];
	s->type = nla_get_u16(tb[PXEFAST_SERVER_A_TYPE]);
	for (i = 0; i < cfg->nservers; i++) {
		if (cfg->servers[i].type == s->type) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_SERVER_A_TYPE],
					    "boot server type listed twice");
			return -EEXIST;
		}
	}
	if (tb[PXEFAST_SERVER_A_ADDRS]) {
		const struct nlattr *a = tb[PXEFAST_SERVER_A_ADDRS];
		int len = nla_len(a);

		if (len % sizeof(__be32) ||
		    len / sizeof(__be32) > PXEFAST_MAX_SERVER_ADDRS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "boot server addresses: at most 16 whole IPv4 addresses");
			return -EINVAL;
		}
		s->naddrs = len / sizeof(__be32);
		memcpy(s->addrs, nla_data(a), len);
		for (i = 0; i < s->naddrs; i++) {
			if (ipv4_is_zeronet(s->addrs[i]) ||
			    ipv4_is_multicast(s->addrs[i]) ||
			    ipv4_is_lbcast(s->addrs[i])) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "boot server address is not unicast");
				return -EINVAL;
			}
		}
	}
	if (tb[PXEFAST_SERVER_A_LABEL]) {
		s->label = pxefast_nla_strdup(tb[PXEFAST_SERVER_A_LABEL]);
		if (!s->label)
			return -ENOMEM;
	}
	cfg->nservers++;
	return 0;
}

static int pxefast_dup_opt(char **dst, const struct nlattr *nla)
{
	if (!nla)
		return 0;
	*dst = pxefast_nla_strdup(nla);
	return *dst ? 0 : -ENOMEM;
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

static int pxefast_parse_map(struct pxefast_config *cfg,
			     const struct nlattr *nla,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PXEFAST_MAP_A_MAX + 1];
	struct pxefast_map *m;
	int err;

	err = pxefast_parse_nest(tb, PXEFAST_MAP_A_MAX, nla,
				 pxefast_map_policy, extack);
	if (err)
		return err;
	if (!tb[PXEFAST_MAP_A_FILE]) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "mapping needs a boot file");
		return -EINVAL;
	}
	if (tb[PXEFAST_MAP_A_LAYER] && !tb[PXEFAST_MAP_A_SERVER_TYPE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_MAP_A_LAYER],
				    "layer match needs a boot server type");
		return -EINVAL;
	}
	err = pxefast_map_name_check(tb[PXEFAST_MAP_A_FILE], extack) ?:
	      pxefast_map_name_check(tb[PXEFAST_MAP_A_BIS_FILE], extack);
	if (err)
		return err;

	if (tb[PXEFAST_MAP_A_MAC] && tb[PXEFAST_MAP_A_MAC_PREFIX]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_MAP_A_MAC_PREFIX],
				    "a MAC and a MAC prefix together");
		return -EINVAL;
	}
	if (tb[PXEFAST_MAP_A_UUID] && tb[PXEFAST_MAP_A_UUID_PREFIX]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_MAP_A_UUID_PREFIX],
				    "a UUID and a UUID prefix together");
		return -EINVAL;
	}
	if (tb[PXEFAST_MAP_A_UUID_PREFIX] &&
	    *(const u8 *)nla_data(tb[PXEFAST_MAP_A_UUID_PREFIX])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_MAP_A_UUID_PREFIX],
				    "UUID prefix must start with option 97's type byte 0");
		return -EINVAL;
	}

	m = &cfg->maps[cfg->nmaps];
	m->pos = cfg->nmaps++;
	if (tb[PXEFAST_MAP_A_MAC]) {
		m->fields |= PXEFAST_MATCH_MAC;
		memcpy(m->mac, nla_data(tb[PXEFAST_MAP_A_MAC]), ETH_ALEN);
	}
	if (tb[PXEFAST_MAP_A_MAC_PREFIX]) {
		m->fields |= PXEFAST_MATCH_MAC_PREFIX;
		m->mac_plen = nla_len(tb[PXEFAST_MAP_A_MAC_PREFIX]);
		memcpy(m->mac, nla_data(tb[PXEFAST_MAP_A_MAC_PREFIX]),
		       m->mac_plen);
	}
	if (tb[PXEFAST_MAP_A_UUID]) {
		m->fields |= PXEFAST_MATCH_UUID;
		memcpy(m->uuid, nla_data(tb[PXEFAST_MAP_A_UUID]),
		       PXEFAST_UUID_LEN);
	}
	if (tb[PXEFAST_MAP_A_UUID_PREFIX]) {
		m->fields |= PXEFAST_MATCH_UUID_PREFIX;
		m->uuid_plen = nla_len(tb[PXEFAST_MAP_A_UUID_PREFIX]) - 1;
		memcpy(m->uuid,
		       (const u8 *)nla_data(tb[PXEFAST_MAP_A_UUID_PREFIX]) + 1,
		       m->uuid_plen);
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
	if (tb[PXEFAST_MAP_A_NEXT_SERVER]) {
		m->next_server = nla_get_in_addr(tb[PXEFAST_MAP_A_NEXT_SERVER]);
		if (ipv4_is_zeronet(m->next_server) ||
		    ipv4_is_multicast(m->next_server) ||
		    ipv4_is_lbcast(m->next_server)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PXEFAST_MAP_A_NEXT_SERVER],
					    "next server is not a unicast address");
			return -EINVAL;
		}
	}

	err = pxefast_dup_opt(&m->vendor_class, tb[PXEFAST_MAP_A_VENDOR_CLASS]) ?:
	      pxefast_dup_opt(&m->user_class, tb[PXEFAST_MAP_A_USER_CLASS]) ?:
	      pxefast_dup_opt(&m->file, tb[PXEFAST_MAP_A_FILE]) ?:
	      pxefast_dup_opt(&m->bis_file, tb[PXEFAST_MAP_A_BIS_FILE]) ?:
	      pxefast_dup_opt(&m->label, tb[PXEFAST_MAP_A_LABEL]);
	return err;
}

static int pxefast_str_cmp(const char *a, const char *b)
{
	return strcmp(a ?: "", b ?: "");
}

/*
 * Specificity, field by field from the most specific: the one having a
 * field the other lacks ranks first; of two prefixes of the same field,
 * the longer.  Negative when @a ranks first, 0 when they are alike (same
 * fields, same prefix lengths: one run of pxefast_config.runs).
 */
static int pxefast_map_rank(const struct pxefast_map *a,
			    const struct pxefast_map *b)
{
	u32 bit;

	for (bit = PXEFAST_MATCH_MAC; bit; bit >>= 1) {
		bool ha = a->fields & bit, hb = b->fields & bit;

		if (ha != hb)
			return ha ? -1 : 1;
		if (!ha)
			continue;
		if (bit == PXEFAST_MATCH_MAC_PREFIX &&
		    a->mac_plen != b->mac_plen)
			return a->mac_plen > b->mac_plen ? -1 : 1;
		if (bit == PXEFAST_MATCH_UUID_PREFIX &&
		    a->uuid_plen != b->uuid_plen)
			return a->uuid_plen > b->uuid_plen ? -1 : 1;
	}
	return 0;
}

/*
 * Order mappings most specific first; among equally specific ones, by
 * their match values, so that duplicates and overlapping vendor-class
 * prefixes end up next to each other.
 */
static int pxefast_map_cmp(const void *pa, const void *pb)
{
	const struct pxefast_map *a = pa, *b = pb;
	int r;

	r = pxefast_map_rank(a, b);
	if (r)
		return r;
	r = memcmp(a->mac, b->mac, ETH_ALEN);
	if (r)
		return r;
	r = memcmp(a->uuid, b->uuid, PXEFAST_UUID_LEN);
	if (r)
		return r;
	r = pxefast_str_cmp(a->user_class, b->user_class);
	if (r)
		return r;
	if (a->arch != b->arch)
		return a->arch < b->arch ? -1 : 1;
	if (a->server_type != b->server_type)
		return a->server_type < b->server_type ? -1 : 1;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	return pxefast_str_cmp(a->vendor_class, b->vendor_class);
}

/*
 * Two neighbours in sort order are ambiguous when they have the same match
 * fields and could match the same client: equal values everywhere, the
 * vendor classes one a prefix of the other.  In sorted order, when some
 * vendor class is a prefix of a later one it is a prefix of its immediate
 * successor as well, so checking neighbours finds every ambiguity.
 */
static bool pxefast_map_ambiguous(const struct pxefast_map *a,
				  const struct pxefast_map *b)
{
	const char *va = a->vendor_class ?: "", *vb = b->vendor_class ?: "";

	if (pxefast_map_rank(a, b) || memcmp(a->mac, b->mac, ETH_ALEN) ||
	    memcmp(a->uuid, b->uuid, PXEFAST_UUID_LEN) ||
	    pxefast_str_cmp(a->user_class, b->user_class) ||
	    a->arch != b->arch || a->server_type != b->server_type ||
	    a->layer != b->layer)
		return false;
	return !strncmp(va, vb, strlen(va));
}

struct pxefast_counts {
	unsigned int devs, archs, servers, maps;
	const struct nlattr *tftp, *dhcp, *menu;
};

static int pxefast_count(const struct nlattr *head, int len,
			 struct pxefast_counts *n,
			 struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	int rem;

	memset(n, 0, sizeof(*n));
	nla_for_each_attr(nla, head, len, rem) {
		const struct nlattr **single = NULL;

		switch (nla_type(nla)) {
		case PXEFAST_A_DEV:
			n->devs++;
			break;
		case PXEFAST_A_ARCH:
			n->archs++;
			break;
		case PXEFAST_A_SERVER:
			n->servers++;
			break;
		case PXEFAST_A_MAP:
			n->maps++;
			break;
		case PXEFAST_A_TFTP:
			single = &n->tftp;
			break;
		case PXEFAST_A_DHCP:
			single = &n->dhcp;
			break;
		case PXEFAST_A_MENU:
			single = &n->menu;
			break;
		case PXEFAST_A_GENERATION:
		case PXEFAST_A_DRY_RUN:
			break;
		default:
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "attribute not allowed in a configuration");
			return -EINVAL;
		}
		if (single) {
			if (*single) {
				NL_SET_ERR_MSG_ATTR(extack, nla,
						    "section given more than once");
				return -EINVAL;
			}
			*single = nla;
		}
	}
	if (n->devs > PXEFAST_MAX_DEVS || n->archs > PXEFAST_MAX_ARCHS ||
	    n->servers > PXEFAST_MAX_SERVERS || n->maps > PXEFAST_MAX_MAPS) {
		NL_SET_ERR_MSG(extack, "too many objects in the configuration");
		return -E2BIG;
	}
	return 0;
}

static int pxefast_parse_objects(struct net *net, struct pxefast_config *cfg,
				 const struct nlattr *head, int len,
				 struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	int rem, err = 0;

	nla_for_each_attr(nla, head, len, rem) {
		switch (nla_type(nla)) {
		case PXEFAST_A_DEV:
			err = pxefast_parse_dev(net, cfg, nla, extack);
			break;
		case PXEFAST_A_ARCH:
			err = pxefast_parse_arch(cfg, nla, extack);
			break;
		case PXEFAST_A_SERVER:
			err = pxefast_parse_server(cfg, nla, extack);
			break;
		case PXEFAST_A_MAP:
			err = pxefast_parse_map(cfg, nla, extack);
			break;
		}
		if (err)
			return err;
	}
	return 0;
}

/* The @pos-th attribute of @type in a request, for error reports. */
static const struct nlattr *pxefast_nth_attr(const struct nlattr *head,
					     int len, int type, u32 pos)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == type && !pos--)
			return nla;
	return NULL;
}

static const struct nlattr *pxefast_nth_map(const struct nlattr *head,
					    int len, u32 pos)
{
	return pxefast_nth_attr(head, len, PXEFAST_A_MAP, pos);
}

/* Split the sorted mappings into runs of equal match fields and prefix
 * lengths.
 */
static int pxefast_build_runs(struct pxefast_config *cfg)
{
	unsigned int i, n = 0;

	for (i = 0; i < cfg->nmaps; i++)
		if (!i || pxefast_map_rank(&cfg->maps[i], &cfg->maps[i - 1]))
			n++;
	if (!n)
		return 0;
	cfg->runs = kcalloc(n, sizeof(*cfg->runs), GFP_KERNEL);
	if (!cfg->runs)
		return -ENOMEM;
	for (i = 0; i < cfg->nmaps; i++) {
		struct pxefast_map_run *r;

		if (!i || pxefast_map_rank(&cfg->maps[i], &cfg->maps[i - 1])) {
			r = &cfg->runs[cfg->nruns++];
			r->fields = cfg->maps[i].fields;
			r->mac_plen = cfg->maps[i].mac_plen;
			r->uuid_plen = cfg->maps[i].uuid_plen;
			r->start = i;
		}
		cfg->runs[cfg->nruns - 1].end = i + 1;
	}
	return 0;
}

static int pxefast_check_maps(struct pxefast_config *cfg,
			      const struct nlattr *head, int len,
			      struct netlink_ext_ack *extack)
{
	const struct pxefast_map *a, *b;
	unsigned int i;

	sort(cfg->maps, cfg->nmaps, sizeof(*cfg->maps), pxefast_map_cmp, NULL);
	for (i = 1; i < cfg->nmaps; i++) {
		a = &cfg->maps[i - 1];
		b = &cfg->maps[i];
		if (pxefast_map_ambiguous(a, b)) {
			NL_SET_ERR_MSG_ATTR(extack,
					    pxefast_nth_map(head, len,
							    max(a->pos, b->pos)),
					    "mapping matches the same clients as another one");
			return -EEXIST;
		}
	}
	return pxefast_build_runs(cfg);
}

static void pxefast_warn(struct pxefast_config_warnings *warn,
			 const struct nlattr *nla, const char *msg)
{
	if (warn && warn->n < PXEFAST_MAX_WARNINGS) {
		warn->w[warn->n].nla = nla;
		warn->w[warn->n].msg = msg;
		warn->n++;
	}
}

/* Is @addr this host's, as a server address of @cfg's clients? */
static bool pxefast_addr_local(struct net *net,
			       const struct pxefast_config *cfg, __be32 addr)
{
	unsigned int i;

	for (i = 0; i < cfg->ndevs; i++)
		if (cfg->devs[i].addr == addr)
			return true;
	return inet_addr_type(net, addr) == RTN_LOCAL;
}

/*
 * PXE 2.1 option 43.8 against siaddr: the proxy offer lists the boot
 * servers, and EDK2 takes its TFTP server from the first address of the
 * first one rather than from siaddr (the mapping's next-server, or this
 * host).  Where the two differ, clients of that firmware fetch their boot
 * file elsewhere than the mapping says.  Legitimate when that boot server
 * is another host answering on 4011 itself, so a warning, not a refusal.
 * Only mappings a proxy offer can come from (no boot server type, or type
 * 0) count.
 */
static void pxefast_check_servers(struct net *net,
				  const struct pxefast_config *cfg,
				  const struct nlattr *head, int len,
				  struct pxefast_config_warnings *warn)
{
	bool addr_local, self_used = false;
	unsigned int i;
	__be32 addr;

	if (!cfg->nservers || !cfg->dhcp.proxy)
		return;
	addr = cfg->servers[0].naddrs ? cfg->servers[0].addrs[0] : 0;
	addr_local = !addr || pxefast_addr_local(net, cfg, addr);
	for (i = 0; i < cfg->nmaps; i++) {
		const struct pxefast_map *m = &cfg->maps[i];

		if ((m->fields & PXEFAST_MATCH_TYPE) && m->server_type)
			continue;
		if (!m->next_server) {
			self_used = true;
			continue;
		}
		if (addr ? m->next_server == addr :
			   pxefast_addr_local(net, cfg, m->next_server))
			continue;
		pxefast_warn(warn, pxefast_nth_map(head, len, m->pos),
			     "next-server is not the first boot server address (43.8), where EDK2 fetches the boot file");
	}
	if (self_used && !addr_local)
		pxefast_warn(warn, pxefast_nth_attr(head, len, PXEFAST_A_SERVER, 0),
			     "first boot server address (43.8) is not this host, which mappings without next-server name as TFTP server");
}

/**
 * pxefast_config_build - build a snapshot from a SET_CONFIG request
 * @net: namespace the interfaces are looked up in
 * @head: first top-level attribute of the request
 * @len: length of all top-level attributes
 * @extack: where the reason of a refusal goes
 * @warn: filled with what is accepted but likely a mistake; may be NULL
 *
 * Context: process, may sleep.
 *
 * The request has been validated against pxefast_policy by the generic
 * netlink core.  Process context.
 *
 * Return: a snapshot holding one reference, or an ERR_PTR: -EINVAL (with
 * the reason in @extack), -ENODEV, -ENOMEM.
 */
struct pxefast_config *pxefast_config_build(struct net *net,
					    const struct nlattr *head, int len,
					    struct netlink_ext_ack *extack,
					    struct pxefast_config_warnings *warn)
{
	struct pxefast_config *cfg;
	struct pxefast_counts n;
	int err;

	err = pxefast_count(head, len, &n, extack);
	if (err)
		return ERR_PTR(err);

	cfg = pxefast_config_default();
	if (!cfg)
		return ERR_PTR(-ENOMEM);

	err = -ENOMEM;
	if (n.devs) {
		cfg->devs = kcalloc(n.devs, sizeof(*cfg->devs), GFP_KERNEL);
		if (!cfg->devs)
			goto out;
	}
	if (n.archs) {
		cfg->archs = kcalloc(n.archs, sizeof(*cfg->archs), GFP_KERNEL);
		if (!cfg->archs)
			goto out;
	}
	if (n.servers) {
		cfg->servers = kcalloc(n.servers, sizeof(*cfg->servers),
				       GFP_KERNEL);
		if (!cfg->servers)
			goto out;
	}
	if (n.maps) {
		cfg->maps = kvcalloc(n.maps, sizeof(*cfg->maps), GFP_KERNEL);
		if (!cfg->maps)
			goto out;
	}

	err = 0;
	if (n.tftp)
		err = pxefast_parse_tftp(cfg, n.tftp, extack);
	if (!err && n.dhcp)
		err = pxefast_parse_dhcp(cfg, n.dhcp, extack);
	if (!err && n.menu)
		err = pxefast_parse_menu(cfg, n.menu, extack);
	if (!err)
		err = pxefast_parse_objects(net, cfg, head, len, extack);
	if (!err)
		err = pxefast_check_maps(cfg, head, len, extack);
	if (!err) {
		if (warn)
			warn->n = 0;
		pxefast_check_servers(net, cfg, head, len, warn);
		return cfg;
	}
out:
	pxefast_config_free(cfg);
	return ERR_PTR(err);
}

/**
 * pxefast_config_serves - whether @cfg serves an interface
 * @cfg: the snapshot
 * @ifindex: the interface's index in the snapshot's namespace
 *
 * Any context; @cfg must be held (RCU or a reference).
 *
 * Return: true if @ifindex is one of @cfg's served interfaces.
 */
bool pxefast_config_serves(const struct pxefast_config *cfg, int ifindex)
{
	unsigned int i;

	for (i = 0; i < cfg->ndevs; i++)
		if (cfg->devs[i].ifindex == ifindex)
			return true;
	return false;
}

/**
 * pxefast_config_without_dev - a snapshot like @cfg, without one interface
 * @cfg: the published snapshot, pxefast_net.lock held
 * @ifindex: the interface to leave out
 *
 * Only the interface list is copied; everything else is shared with the
 * owner of @cfg's objects, which the copy holds a reference on.
 *
 * Cannot fail.  It runs for NETDEV_UNREGISTER, which cannot be refused,
 * and the fallbacks all leave the gone interface's index in the
 * configuration, where a device registered later with that index would be
 * served unasked.  The two allocations are small (a few hundred bytes
 * each), where __GFP_NOFAIL is the documented way to ask for memory that
 * cannot be done without.
 *
 * Return: the new snapshot, holding one reference.
 */
struct pxefast_config *
pxefast_config_without_dev(struct pxefast_config *cfg, int ifindex)
{
	struct pxefast_config *owner = cfg->base ?: cfg;
	struct pxefast_config *copy;
	unsigned int i;

	copy = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL | __GFP_NOFAIL);
	refcount_set(&copy->ref, 1);
	copy->devs = NULL;
	copy->ndevs = 0;
	if (cfg->ndevs)
		copy->devs = kcalloc(cfg->ndevs, sizeof(*copy->devs),
				     GFP_KERNEL | __GFP_NOFAIL);
	for (i = 0; i < cfg->ndevs; i++)
		if (cfg->devs[i].ifindex != ifindex)
			copy->devs[copy->ndevs++] = cfg->devs[i];
	refcount_inc(&owner->ref);
	copy->base = owner;
	return copy;
}

/**
 * pxefast_config_publish - make @cfg the namespace's configuration
 * @pn: the namespace, its lock held
 * @cfg: the new snapshot; its reference is consumed
 *
 * Every change goes through here and gets the next generation, so a
 * read-modify-write based on the replaced snapshot gets -ESTALE.  The
 * caller sends the change notification once the lock is dropped.
 *
 * Return: 0, or a negative errno from registering the hooks the new
 * configuration needs (the old one stays published).
 */
int pxefast_config_publish(struct pxefast_net *pn, struct pxefast_config *cfg)
{
	struct pxefast_config *old;
	int err;

	lockdep_assert_held(&pn->lock);
	err = pxefast_nf_sync(pn, cfg);
	if (err) {
		pxefast_config_put(cfg);
		return err;
	}
	pxefast_tftp_commit(pn, cfg);
	cfg->generation = ++pn->generation;
	old = rcu_replace_pointer(pn->config, cfg, lockdep_is_held(&pn->lock));
	pxefast_config_put(old);
	return 0;
}

/*
 * The interfaces of @cfg were looked up before pxefast_net.lock was taken;
 * one may have been unregistered since.  Its NETDEV_UNREGISTER notifier
 * runs after it has left the index lists and then waits for the lock, so
 * looking again under the lock closes the window: either the interface is
 * still listed (and the notifier will drop it from @cfg once published),
 * or it is refused here.
 */
static bool pxefast_config_devs_live(struct net *net,
				     const struct pxefast_config *cfg)
{
	bool live = true;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < cfg->ndevs && live; i++)
		live = !!dev_get_by_index_rcu(net, cfg->devs[i].ifindex);
	rcu_read_unlock();
	return live;
}

/**
 * pxefast_config_replace - publish @cfg as the namespace's configuration
 * @pn: the namespace
 * @cfg: a snapshot from pxefast_config_build(); its reference is consumed
 * @expect_gen: when not NULL, refuse unless this is the current generation
 * @new_gen: set to the generation of @cfg once published
 * @extack: where the reason of a refusal goes
 *
 * Takes pxefast_net.lock; process context.
 *
 * Return: 0, -ESTALE when @expect_gen is not the current generation, or a
 * negative errno from pxefast_config_publish().
 */
int pxefast_config_replace(struct pxefast_net *pn, struct pxefast_config *cfg,
			   const u32 *expect_gen, u32 *new_gen,
			   struct netlink_ext_ack *extack)
{
	int err;

	mutex_lock(&pn->lock);
	if (expect_gen && *expect_gen != pn->generation) {
		mutex_unlock(&pn->lock);
		pxefast_config_put(cfg);
		NL_SET_ERR_MSG(extack,
			       "configuration changed since it was read");
		return -ESTALE;
	}
	if (!pxefast_config_devs_live(pn->net, cfg)) {
		mutex_unlock(&pn->lock);
		pxefast_config_put(cfg);
		NL_SET_ERR_MSG(extack,
			       "an interface went away while the configuration was applied");
		return -ENODEV;
	}
	err = pxefast_config_publish(pn, cfg);
	if (err) {
		mutex_unlock(&pn->lock);
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hook");
		return err;
	}
	*new_gen = pn->generation;
	mutex_unlock(&pn->lock);

	pxefast_notify_config(pn->net, *new_gen);
	return 0;
}
