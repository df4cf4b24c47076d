// SPDX-License-Identifier: GPL-2.0
/*
 * The "pxefast" generic netlink family: configuration get/set, counters,
 * events.  The contract is include/uapi/linux/pxefast.h.
 */

#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "pxefast.h"
#include "tftp.h"

static struct genl_family pxefast_genl_family;

/* ---- GET_CONFIG dump ------------------------------------------------- */

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

static int pxefast_get_config_start(struct netlink_callback *cb)
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

static int pxefast_get_config_done(struct netlink_callback *cb)
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
	     nla_put_in_addr(skb, PXEFAST_DHCP_A_MCAST_ADDR, d->mcast_addr)))
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
	    (d->xdp && nla_put_u8(skb, PXEFAST_DEV_A_XDP, d->xdp)))
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

static int pxefast_get_config_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
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

/* ---- SET_CONFIG ------------------------------------------------------ */

/* Each warning: its message and where its object is in the request. */
static int pxefast_put_warnings(struct sk_buff *skb,
				const struct genl_info *info,
				const struct pxefast_config_warnings *warn)
{
	unsigned int i;

	for (i = 0; i < warn->n; i++) {
		struct nlattr *nest = nla_nest_start(skb, PXEFAST_A_WARNING);

		if (!nest ||
		    nla_put_string(skb, PXEFAST_WARNING_A_MSG, warn->w[i].msg) ||
		    (warn->w[i].nla &&
		     nla_put_u32(skb, PXEFAST_WARNING_A_OFFSET,
				 (const u8 *)warn->w[i].nla -
				 (const u8 *)info->nlhdr)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/*
 * PXEFAST_A_DRY_RUN: @cfg was built and checked as for a real set; compare
 * the generation as pxefast_config_replace() would, then drop @cfg
 * unpublished (no generation bump, no event).
 */
static int pxefast_set_config_dry_run(struct pxefast_net *pn,
				      struct pxefast_config *cfg,
				      const u32 *expect_gen, u32 *gen,
				      struct netlink_ext_ack *extack)
{
	mutex_lock(&pn->lock);
	*gen = pn->generation;
	mutex_unlock(&pn->lock);
	pxefast_config_put(cfg);
	if (expect_gen && *expect_gen != *gen) {
		NL_SET_ERR_MSG(extack, "configuration changed since it was read");
		return -ESTALE;
	}
	return 0;
}

static int pxefast_set_config_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct pxefast_net *pn = pxefast_pernet(net);
	const u32 *expect = NULL;
	struct pxefast_config_warnings warn;
	struct pxefast_config *cfg;
	struct sk_buff *reply;
	u32 want, gen;
	void *hdr;
	int err;

	if (info->attrs[PXEFAST_A_GENERATION]) {
		want = nla_get_u32(info->attrs[PXEFAST_A_GENERATION]);
		expect = &want;
	}

	cfg = pxefast_config_build(net, genlmsg_data(info->genlhdr),
				   genlmsg_len(info->genlhdr), info->extack,
				   &warn);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);

	/* Reserve the reply first: once published there is no going back. */
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply) {
		pxefast_config_put(cfg);
		return -ENOMEM;
	}
	if (nla_get_flag(info->attrs[PXEFAST_A_DRY_RUN]))
		err = pxefast_set_config_dry_run(pn, cfg, expect, &gen,
						 info->extack);
	else
		err = pxefast_config_replace(pn, cfg, expect, &gen,
					     info->extack);
	if (err) {
		nlmsg_free(reply);
		return err;
	}

	hdr = genlmsg_put_reply(reply, info, &pxefast_genl_family, 0,
				PXEFAST_CMD_SET_CONFIG);
	if (!hdr || nla_put_u32(reply, PXEFAST_A_GENERATION, gen) ||
	    pxefast_put_warnings(reply, info, &warn)) {
		nlmsg_free(reply);
		return 0;	/* applied; only the reply was lost */
	}
	/* The ack carries the first as its (warning) message too. */
	if (warn.n && info->extack)
		info->extack->_msg = warn.w[0].msg;	/* static string */
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

/* ---- GET_STATS ------------------------------------------------------- */

static int pxefast_put_stats(struct sk_buff *skb,
			     const struct pxefast_stats_snapshot *st)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, PXEFAST_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = PXEFAST_STAT_PAD + 1; i < __PXEFAST_STAT_MAX; i++)
		if (nla_put_u64_64bit(skb, i, st->c[i], PXEFAST_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);

	for (i = 0; i < PXEFAST_ARCH_STATS_CODES; i++) {
		if (!st->arch_req[i] && !st->arch_ans[i])
			continue;
		nest = nla_nest_start(skb, PXEFAST_A_ARCH_STATS);
		if (!nest ||
		    nla_put_u16(skb, PXEFAST_ARCH_STAT_CODE, i) ||
		    nla_put_u64_64bit(skb, PXEFAST_ARCH_STAT_REQUESTS,
				      st->arch_req[i], PXEFAST_ARCH_STAT_PAD) ||
		    nla_put_u64_64bit(skb, PXEFAST_ARCH_STAT_ANSWERS,
				      st->arch_ans[i], PXEFAST_ARCH_STAT_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int pxefast_get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxefast_net *pn = pxefast_pernet(genl_info_net(info));
	bool clear = nla_get_flag(info->attrs[PXEFAST_A_STATS_CLEAR]);
	struct pxefast_stats_snapshot *st;
	struct sk_buff *reply;
	void *hdr;
	int err;

	if (clear && !netlink_net_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PXEFAST_A_STATS_CLEAR],
				    "clearing counters needs CAP_NET_ADMIN");
		return -EPERM;
	}

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	err = -ENOMEM;
	if (!st || !reply)
		goto out;

	pxefast_stats_read(pn, st);
	st->c[PXEFAST_STAT_TFTP_SESSIONS] = atomic_read(&pn->tftp.nsessions);
	if (clear)
		pxefast_stats_clear(pn);

	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(reply, info, &pxefast_genl_family, 0,
				PXEFAST_CMD_GET_STATS);
	if (!hdr || pxefast_put_stats(reply, st))
		goto out;
	genlmsg_end(reply, hdr);
	kfree(st);
	return genlmsg_reply(reply, info);
out:
	nlmsg_free(reply);
	kfree(st);
	return err;
}

/* ---- events ---------------------------------------------------------- */

enum pxefast_mcgrp {
	PXEFAST_MCGRP_EVENTS_ID,
};

static const struct genl_multicast_group pxefast_mcgrps[] = {
	/* Events name clients' MACs, addresses and files: admins only. */
	[PXEFAST_MCGRP_EVENTS_ID] = {
		.name	= PXEFAST_MCGRP_EVENTS,
		.flags	= PXEFAST_MCGRP_ADMIN_ONLY,
	},
};

/* Start an event message; NULL when nobody listens or on no memory. */
static struct sk_buff *pxefast_event_new(struct net *net, u8 type,
					 struct nlattr **nest, void **hdr,
					 gfp_t gfp)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&pxefast_genl_family, net,
				PXEFAST_MCGRP_EVENTS_ID))
		return NULL;
	msg = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &pxefast_genl_family, 0,
			   PXEFAST_CMD_EVENT);
	if (!*hdr)
		goto fail;
	*nest = nla_nest_start(msg, PXEFAST_A_EVENT);
	if (!*nest || nla_put_u8(msg, PXEFAST_EVENT_A_TYPE, type))
		goto fail;
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static void pxefast_event_send(struct net *net, struct sk_buff *msg,
			       struct nlattr *nest, void *hdr, gfp_t gfp)
{
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&pxefast_genl_family, net, msg, 0,
				PXEFAST_MCGRP_EVENTS_ID, gfp);
}

/**
 * pxefast_notify_config - tell listeners the configuration changed
 * @net: the namespace
 * @generation: the new configuration's generation
 *
 * Sends PXEFAST_EVENT_CONFIG_CHANGED to the "events" group of @net.  Process
 * context; a message that cannot be allocated is not sent.
 */
void pxefast_notify_config(struct net *net, u32 generation)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = pxefast_event_new(net, PXEFAST_EVENT_CONFIG_CHANGED, &nest, &hdr,
				GFP_KERNEL);
	if (!msg)
		return;
	if (nla_put_u32(msg, PXEFAST_EVENT_A_GENERATION, generation)) {
		nlmsg_free(msg);
		return;
	}
	pxefast_event_send(net, msg, nest, hdr, GFP_KERNEL);
}

/**
 * pxefast_notify_client - tell listeners about a PXE client
 * @net: the namespace
 * @type: PXEFAST_EVENT_CLIENT_SEEN, _OFFER_SENT or _ACK_SENT
 * @ifindex: the interface the request came in on
 * @mac: the client's hardware address (chaddr), ETH_ALEN bytes
 * @addr: the request's source address, 0 when the client has none
 * @arch: the client's architecture (option 93)
 * @file: the boot file named in the answer, or NULL
 *
 * Packet path (softirq): GFP_ATOMIC, and an event that cannot be allocated
 * is not sent.
 */
void pxefast_notify_client(struct net *net, enum pxefast_event_type type,
			   int ifindex, const u8 *mac, __be32 addr, u16 arch,
			   const char *file)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = pxefast_event_new(net, type, &nest, &hdr, GFP_ATOMIC);
	if (!msg)
		return;
	if (nla_put_u32(msg, PXEFAST_EVENT_A_IFINDEX, ifindex) ||
	    nla_put(msg, PXEFAST_EVENT_A_MAC, ETH_ALEN, mac) ||
	    (addr && nla_put_in_addr(msg, PXEFAST_EVENT_A_ADDR, addr)) ||
	    nla_put_u16(msg, PXEFAST_EVENT_A_ARCH, arch) ||
	    (file && nla_put_string(msg, PXEFAST_EVENT_A_FILE, file))) {
		nlmsg_free(msg);
		return;
	}
	pxefast_event_send(net, msg, nest, hdr, GFP_ATOMIC);
}

/**
 * pxefast_notify_transfer - tell listeners a TFTP transfer ended
 * @net: the namespace
 * @type: PXEFAST_EVENT_TRANSFER_DONE or _FAILED
 * @ifindex: the interface the read request came in on
 * @addr: the client's address
 * @file: the file name the client asked for
 * @bytes: file bytes acknowledged by the client
 * @duration_ms: time from the read request to the end, in ms
 * @error: the TFTP error code sent or received (RFC 1350 section 5), 0 if none
 *
 * Any context (GFP_ATOMIC); an event that cannot be allocated is not sent.
 */
void pxefast_notify_transfer(struct net *net, enum pxefast_event_type type,
			     int ifindex, __be32 addr, const char *file,
			     u64 bytes, u32 duration_ms, u16 error)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = pxefast_event_new(net, type, &nest, &hdr, GFP_ATOMIC);
	if (!msg)
		return;
	if (nla_put_u32(msg, PXEFAST_EVENT_A_IFINDEX, ifindex) ||
	    nla_put_in_addr(msg, PXEFAST_EVENT_A_ADDR, addr) ||
	    nla_put_string(msg, PXEFAST_EVENT_A_FILE, file) ||
	    nla_put_u64_64bit(msg, PXEFAST_EVENT_A_BYTES, bytes,
			      PXEFAST_EVENT_A_PAD) ||
	    nla_put_u64_64bit(msg, PXEFAST_EVENT_A_DURATION_MS, duration_ms,
			      PXEFAST_EVENT_A_PAD) ||
	    (error && nla_put_u16(msg, PXEFAST_EVENT_A_ERROR, error))) {
		nlmsg_free(msg);
		return;
	}
	pxefast_event_send(net, msg, nest, hdr, GFP_ATOMIC);
}

/* ---- GET_SESSIONS ---------------------------------------------------- */

static int pxefast_put_session(struct sk_buff *skb,
			       struct pxefast_tftp_session *s)
{
	struct nlattr *nest;
	u64 acked, age;
	u32 retrans;
	u16 blksize, window;

	spin_lock_bh(&s->lock);
	acked = s->acked;
	retrans = s->retransmits;
	blksize = s->blksize;
	window = s->window;
	spin_unlock_bh(&s->lock);
	age = jiffies_to_msecs(jiffies - s->start);

	nest = nla_nest_start(skb, PXEFAST_A_SESSION);
	if (!nest ||
	    nla_put_in_addr(skb, PXEFAST_SESSION_A_CLIENT_ADDR, s->caddr) ||
	    nla_put_u16(skb, PXEFAST_SESSION_A_CLIENT_PORT, ntohs(s->cport)) ||
	    nla_put_u16(skb, PXEFAST_SESSION_A_SERVER_PORT, ntohs(s->sport)) ||
	    nla_put_string(skb, PXEFAST_SESSION_A_FILE, s->name) ||
	    nla_put_u64_64bit(skb, PXEFAST_SESSION_A_SIZE, s->size,
			      PXEFAST_SESSION_A_PAD) ||
	    nla_put_u16(skb, PXEFAST_SESSION_A_BLKSIZE, blksize) ||
	    nla_put_u16(skb, PXEFAST_SESSION_A_WINDOW, window) ||
	    nla_put_u64_64bit(skb, PXEFAST_SESSION_A_ACKED_BLOCKS, acked,
			      PXEFAST_SESSION_A_PAD) ||
	    nla_put_u32(skb, PXEFAST_SESSION_A_RETRANSMITS, retrans) ||
	    nla_put_u64_64bit(skb, PXEFAST_SESSION_A_AGE_MS, age,
			      PXEFAST_SESSION_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * One message per session; cb->args[0] is the hash bucket, args[1] the
 * number of sessions of that bucket already dumped.  Sessions come and go
 * between the parts of a dump, which could then repeat or skip one: the
 * table's generation is the dump's sequence, so a part that follows a
 * change carries NLM_F_DUMP_INTR (genl_dump_check_consistent()) and the
 * reader knows to read the list again.
 */
static int pxefast_get_sessions_dumpit(struct sk_buff *skb,
				       struct netlink_callback *cb)
{
	struct pxefast_net *pn = pxefast_pernet(sock_net(skb->sk));
	struct pxefast_tftp_session *s;
	unsigned long b, i;
	void *hdr;

	/*
	 * A change during this part's walk shows in the next part, or in
	 * the NLMSG_DONE that follows the last (empty) part.
	 */
	cb->seq = smp_load_acquire(&pn->tftp.gen);
	for (b = cb->args[0]; b < ARRAY_SIZE(pn->tftp.hash); b++) {
		i = 0;
		rcu_read_lock();
		hlist_for_each_entry_rcu(s, &pn->tftp.hash[b], node) {
			if (i++ < cb->args[1])
				continue;
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq,
					  &pxefast_genl_family, NLM_F_MULTI,
					  PXEFAST_CMD_GET_SESSIONS);
			if (!hdr || pxefast_put_session(skb, s)) {
				if (hdr)
					genlmsg_cancel(skb, hdr);
				rcu_read_unlock();
				cb->args[0] = b;
				cb->args[1] = i - 1;
				return skb->len;
			}
			genl_dump_check_consistent(cb, hdr);
			genlmsg_end(skb, hdr);
		}
		rcu_read_unlock();
		cb->args[1] = 0;
	}
	cb->args[0] = b;
	return skb->len;
}

/* ---- family ---------------------------------------------------------- */

static const struct genl_ops pxefast_genl_ops[] = {
	{
		.cmd	= PXEFAST_CMD_GET_CONFIG,
		.start	= pxefast_get_config_start,
		.dumpit	= pxefast_get_config_dumpit,
		.done	= pxefast_get_config_done,
	},
	{
		.cmd	= PXEFAST_CMD_SET_CONFIG,
		.doit	= pxefast_set_config_doit,
		/* CAP_NET_ADMIN over the namespace: root in a container
		 * configures its own network namespace.
		 */
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXEFAST_CMD_GET_STATS,
		.doit	= pxefast_get_stats_doit,
	},
	{
		.cmd	= PXEFAST_CMD_GET_SESSIONS,
		.dumpit	= pxefast_get_sessions_dumpit,
	},
};

static struct genl_family pxefast_genl_family __ro_after_init = {
	.name		= PXEFAST_GENL_NAME,
	.version	= PXEFAST_GENL_VERSION,
	.maxattr	= PXEFAST_A_MAX,
	.policy		= pxefast_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= pxefast_genl_ops,
	.n_ops		= ARRAY_SIZE(pxefast_genl_ops),
	.resv_start_op	= PXEFAST_CMD_MAX + 1,
	.mcgrps		= pxefast_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pxefast_mcgrps),
};

/**
 * pxefast_genl_init - register the generic netlink family "pxefast"
 *
 * Context: module init, after the pernet operations.
 *
 * Return: 0 or a negative errno from genl_register_family().
 */
int __init pxefast_genl_init(void)
{
	return genl_register_family(&pxefast_genl_family);
}

/**
 * pxefast_genl_exit - unregister the generic netlink family
 *
 * Module exit; no command runs once it returns.
 */
void pxefast_genl_exit(void)
{
	genl_unregister_family(&pxefast_genl_family);
}
