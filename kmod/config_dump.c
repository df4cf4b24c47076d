// SPDX-License-Identifier: GPL-2.0
/*
 * PXEFAST_CMD_GET_CONFIG: one snapshot, held for the whole dump, written
 * out as the attributes SET_CONFIG takes (a dump set back is the same
 * configuration).
 */

#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include "pxefast.h"

enum pxefast_dump_phase {
	PXEFAST_DUMP_GLOBAL,
	PXEFAST_DUMP_DEVS,
	PXEFAST_DUMP_ARCHS,
	PXEFAST_DUMP_SERVERS,
	PXEFAST_DUMP_MAPS,
	PXEFAST_DUMP_DONE,
};

/* cb->args: [0] snapshot being dumped, [1] phase, [2] index in phase. */
static struct pxefast_config *pxefast_dump_cfg(struct netlink_callback *cb)
{
	return (struct pxefast_config *)cb->args[0];
}

/**
 * pxefast_get_config_start - take a reference on the snapshot to dump
 * @cb: the dump's state; cb->args[0] gets the snapshot
 *
 * Context: process, in the dump's start.
 *
 * Return: 0, or -ENOENT when the namespace has no configuration (it is
 * being dismantled).
 */
int pxefast_get_config_start(struct netlink_callback *cb)
{
	struct pxefast_net *pn = pxefast_pernet(sock_net(cb->skb->sk));
	struct pxefast_config *cfg;

	rcu_read_lock();
	cfg = rcu_dereference(pn->config);
	if (cfg && !pxefast_config_get(cfg))
		cfg = NULL;
	rcu_read_unlock();
	if (!cfg)
		return -ENOENT;
	cb->args[0] = (unsigned long)cfg;
	return 0;
}

/**
 * pxefast_get_config_done - drop the dumped snapshot's reference
 * @cb: the dump's state
 *
 * Context: process, once the dump ends or is abandoned.
 *
 * Return: 0.
 */
int pxefast_get_config_done(struct netlink_callback *cb)
{
	pxefast_config_put(pxefast_dump_cfg(cb));
	return 0;
}

static int pxefast_put_str(struct sk_buff *skb, int type, const char *s)
{
	return s ? nla_put_string(skb, type, s) : 0;
}

static int pxefast_put_global(struct sk_buff *skb,
			      const struct pxefast_config *cfg)
{
	const struct pxefast_tftp_cfg *t = &cfg->tftp;
	const struct pxefast_dhcp_cfg *d = &cfg->dhcp;
	struct nlattr *nest, *item;
	unsigned int i;

	nest = nla_nest_start(skb, PXEFAST_A_TFTP);
	if (!nest ||
	    nla_put_u8(skb, PXEFAST_TFTP_A_ENABLED, t->enabled) ||
	    pxefast_put_str(skb, PXEFAST_TFTP_A_ROOT, t->root_name) ||
	    nla_put_u32(skb, PXEFAST_TFTP_A_MAX_SESSIONS, t->max_sessions) ||
	    nla_put_u32(skb, PXEFAST_TFTP_A_MAX_PER_CLIENT, t->max_per_client) ||
	    nla_put_u16(skb, PXEFAST_TFTP_A_MAX_BLKSIZE, t->max_blksize) ||
	    nla_put_u16(skb, PXEFAST_TFTP_A_MAX_WINDOW, t->max_window) ||
	    nla_put_u32(skb, PXEFAST_TFTP_A_TIMEOUT_MS, t->timeout_ms) ||
	    nla_put_u8(skb, PXEFAST_TFTP_A_RETRIES, t->retries) ||
	    nla_put_u16(skb, PXEFAST_TFTP_A_PORT_MIN, t->port_min) ||
	    nla_put_u16(skb, PXEFAST_TFTP_A_PORT_MAX, t->port_max) ||
	    nla_put_u32(skb, PXEFAST_TFTP_A_IDLE_TIMEOUT_MS,
			t->idle_timeout_ms) ||
	    nla_put_u8(skb, PXEFAST_TFTP_A_CASE_FOLD, t->case_fold))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);

	nest = nla_nest_start(skb, PXEFAST_A_DHCP);
	if (!nest ||
	    nla_put_u8(skb, PXEFAST_DHCP_A_PROXY, d->proxy) ||
	    nla_put_u8(skb, PXEFAST_DHCP_A_BOOT_SERVER, d->boot_server) ||
	    nla_put_u8(skb, PXEFAST_DHCP_A_DISCOVERY, d->discovery) ||
	    (d->mcast_addr &&
	     nla_put_in_addr(skb, PXEFAST_DHCP_A_MCAST_ADDR, d->mcast_addr)) ||
	    (d->http_base &&
	     nla_put_string(skb, PXEFAST_DHCP_A_HTTP_BASE, d->http_base)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);

	if (!cfg->menu.prompt)
		return 0;
	nest = nla_nest_start(skb, PXEFAST_A_MENU);
	if (!nest ||
	    nla_put_string(skb, PXEFAST_MENU_A_PROMPT, cfg->menu.prompt) ||
	    nla_put_u8(skb, PXEFAST_MENU_A_TIMEOUT, cfg->menu.timeout))
		return -EMSGSIZE;
	for (i = 0; i < cfg->menu.nitems; i++) {
		item = nla_nest_start(skb, PXEFAST_MENU_A_ITEM);
		if (!item ||
		    nla_put_u16(skb, PXEFAST_MENU_ITEM_A_TYPE,
				cfg->menu.items[i].type) ||
		    nla_put_string(skb, PXEFAST_MENU_ITEM_A_LABEL,
				   cfg->menu.items[i].label))
			return -EMSGSIZE;
		nla_nest_end(skb, item);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int pxefast_put_dev(struct sk_buff *skb, struct net *net,
			   const struct pxefast_dev_cfg *d)
{
	char name[IFNAMSIZ] = "";
	struct net_device *dev;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, d->ifindex);
	if (dev)
		strscpy(name, dev->name, sizeof(name));
	rcu_read_unlock();

	if (nla_put_u32(skb, PXEFAST_DEV_A_IFINDEX, d->ifindex) ||
	    (name[0] && nla_put_string(skb, PXEFAST_DEV_A_IFNAME, name)) ||
	    (d->addr && nla_put_in_addr(skb, PXEFAST_DEV_A_ADDR, d->addr)) ||
	    (d->xdp && nla_put_u8(skb, PXEFAST_DEV_A_XDP, d->xdp)) ||
	    (d->dhcp6 && nla_put_u8(skb, PXEFAST_DEV_A_DHCP6, 1)) ||
	    (!ipv6_addr_any(&d->addr6) &&
	     nla_put_in6_addr(skb, PXEFAST_DEV_A_ADDR6, &d->addr6)))
		return -EMSGSIZE;
	return 0;
}

static int pxefast_put_arch(struct sk_buff *skb,
			    const struct pxefast_arch_cfg *a)
{
	if (nla_put_u16(skb, PXEFAST_ARCH_A_CODE, a->code) ||
	    nla_put_u8(skb, PXEFAST_ARCH_A_ENABLED, a->enabled))
		return -EMSGSIZE;
	return 0;
}

static int pxefast_put_server(struct sk_buff *skb,
			      const struct pxefast_server *s)
{
	if (nla_put_u16(skb, PXEFAST_SERVER_A_TYPE, s->type) ||
	    (s->naddrs && nla_put(skb, PXEFAST_SERVER_A_ADDRS,
				  s->naddrs * sizeof(__be32), s->addrs)) ||
	    pxefast_put_str(skb, PXEFAST_SERVER_A_LABEL, s->label))
		return -EMSGSIZE;
	return 0;
}

static int pxefast_put_map(struct sk_buff *skb, const struct pxefast_map *m)
{
	u8 uuid_prefix[1 + PXEFAST_UUID_LEN] = { 0 };	/* type byte 0 */

	memcpy(uuid_prefix + 1, m->uuid, m->uuid_plen);
	if (((m->fields & PXEFAST_MATCH_MAC_PREFIX) &&
	     nla_put(skb, PXEFAST_MAP_A_MAC_PREFIX, m->mac_plen, m->mac)) ||
	    ((m->fields & PXEFAST_MATCH_UUID_PREFIX) &&
	     nla_put(skb, PXEFAST_MAP_A_UUID_PREFIX, 1 + m->uuid_plen,
		     uuid_prefix)) ||
	    (m->delay_ms &&
	     nla_put_u32(skb, PXEFAST_MAP_A_DELAY_MS, m->delay_ms)) ||
	    ((m->fields & PXEFAST_MATCH_MAC) &&
	     nla_put(skb, PXEFAST_MAP_A_MAC, ETH_ALEN, m->mac)) ||
	    ((m->fields & PXEFAST_MATCH_UUID) &&
	     nla_put(skb, PXEFAST_MAP_A_UUID, PXEFAST_UUID_LEN, m->uuid)) ||
	    pxefast_put_str(skb, PXEFAST_MAP_A_USER_CLASS, m->user_class) ||
	    pxefast_put_str(skb, PXEFAST_MAP_A_VENDOR_CLASS, m->vendor_class) ||
	    ((m->fields & PXEFAST_MATCH_ARCH) &&
	     nla_put_u16(skb, PXEFAST_MAP_A_ARCH, m->arch)) ||
	    ((m->fields & PXEFAST_MATCH_TYPE) &&
	     nla_put_u16(skb, PXEFAST_MAP_A_SERVER_TYPE, m->server_type)) ||
	    ((m->fields & PXEFAST_MATCH_LAYER) &&
	     nla_put_u16(skb, PXEFAST_MAP_A_LAYER, m->layer)) ||
	    nla_put_string(skb, PXEFAST_MAP_A_FILE, m->file) ||
	    (m->next_server &&
	     nla_put_in_addr(skb, PXEFAST_MAP_A_NEXT_SERVER, m->next_server)) ||
	    pxefast_put_str(skb, PXEFAST_MAP_A_BIS_FILE, m->bis_file) ||
	    pxefast_put_str(skb, PXEFAST_MAP_A_LABEL, m->label))
		return -EMSGSIZE;
	return 0;
}

/* Put object @idx of @phase as a nest; -ENOENT past the phase's end. */
static int pxefast_put_object(struct sk_buff *skb, struct net *net,
			      const struct pxefast_config *cfg,
			      unsigned long phase, unsigned long idx)
{
	struct nlattr *nest;
	int type, err;

	switch (phase) {
	case PXEFAST_DUMP_DEVS:
		if (idx >= cfg->ndevs)
			return -ENOENT;
		type = PXEFAST_A_DEV;
		break;
	case PXEFAST_DUMP_ARCHS:
		if (idx >= cfg->narchs)
			return -ENOENT;
		type = PXEFAST_A_ARCH;
		break;
	case PXEFAST_DUMP_SERVERS:
		if (idx >= cfg->nservers)
			return -ENOENT;
		type = PXEFAST_A_SERVER;
		break;
	case PXEFAST_DUMP_MAPS:
		if (idx >= cfg->nmaps)
			return -ENOENT;
		type = PXEFAST_A_MAP;
		break;
	default:
		return -ENOENT;
	}

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	switch (phase) {
	case PXEFAST_DUMP_DEVS:
		err = pxefast_put_dev(skb, net, &cfg->devs[idx]);
		break;
	case PXEFAST_DUMP_ARCHS:
		err = pxefast_put_arch(skb, &cfg->archs[idx]);
		break;
	case PXEFAST_DUMP_SERVERS:
		err = pxefast_put_server(skb, &cfg->servers[idx]);
		break;
	default:
		err = pxefast_put_map(skb, &cfg->maps[idx]);
		break;
	}
	if (err) {
		nla_nest_cancel(skb, nest);
		return err;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * pxefast_get_config_dumpit - fill one message of the GET_CONFIG dump
 * @skb: the message buffer
 * @cb: the dump's state: [1] phase, [2] index in the phase
 *
 * The first message carries the sections (TFTP, DHCP, menu); objects
 * follow, as many per message as fit.  Every message repeats the
 * snapshot's generation.  Context: process.
 *
 * Return: the length of @skb, 0 when the dump is over, or -EMSGSIZE when
 * not even one object fits.
 */
int pxefast_get_config_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct pxefast_config *cfg = pxefast_dump_cfg(cb);
	struct net *net = sock_net(cb->skb->sk);
	unsigned long phase = cb->args[1], idx = cb->args[2];
	unsigned int nobj = 0;
	void *hdr;
	int err = 0;

	if (phase >= PXEFAST_DUMP_DONE)
		return 0;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pxefast_genl_family, NLM_F_MULTI,
			  PXEFAST_CMD_GET_CONFIG);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PXEFAST_A_GENERATION, cfg->generation))
		goto too_big;

	if (phase == PXEFAST_DUMP_GLOBAL) {
		if (pxefast_put_global(skb, cfg))
			goto too_big;
		phase++;
		nobj++;
	}
	while (phase < PXEFAST_DUMP_DONE) {
		err = pxefast_put_object(skb, net, cfg, phase, idx);
		if (err == -ENOENT) {
			phase++;
			idx = 0;
			err = 0;
			continue;
		}
		if (err)
			break;
		idx++;
		nobj++;
	}
	if (err && !nobj)
		goto too_big;

	genlmsg_end(skb, hdr);
	cb->args[1] = phase;
	cb->args[2] = idx;
	return skb->len;

too_big:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}
