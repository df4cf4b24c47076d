// SPDX-License-Identifier: GPL-2.0
/*
 * The "pxefast" generic netlink family: its commands (the GET_CONFIG dump
 * is config_dump.c's, the policies nl_policy.c's), SET_CONFIG, counters,
 * sessions and events.  The contract is include/uapi/linux/pxefast.h.
 */

#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "pxefast.h"
#include "tftp.h"

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

/*
 * @addr as attribute @attr4 (be32) when it is IPv4-mapped, else as
 * @attr6 (16 bytes).
 */
static int pxefast_put_addr(struct sk_buff *skb, int attr4, int attr6,
			    const struct in6_addr *addr)
{
	if (ipv6_addr_v4mapped(addr))
		return nla_put_in_addr(skb, attr4, addr->s6_addr32[3]);
	return nla_put_in6_addr(skb, attr6, addr);
}

/**
 * pxefast_notify_client - tell listeners about a PXE client
 * @net: the namespace
 * @type: PXEFAST_EVENT_CLIENT_SEEN, _OFFER_SENT or _ACK_SENT
 * @ifindex: the interface the request came in on
 * @mac: the client's hardware address (chaddr), ETH_ALEN bytes
 * @addr: the request's source address, IPv4 as IPv4-mapped IPv6
 *	(::ffff:a.b.c.d); NULL when the client has none (a DHCP client
 *	sending from 0.0.0.0)
 * @arch: the client's architecture (option 93)
 * @file: the boot file named in the answer, or NULL
 *
 * Packet path (softirq): GFP_ATOMIC, and an event that cannot be allocated
 * is not sent.
 */
void pxefast_notify_client(struct net *net, enum pxefast_event_type type,
			   int ifindex, const u8 *mac,
			   const struct in6_addr *addr, u16 arch,
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
	    (addr && pxefast_put_addr(msg, PXEFAST_EVENT_A_ADDR,
				      PXEFAST_EVENT_A_ADDR6, addr)) ||
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
 * @addr: the client's address, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d)
 * @file: the file name the client asked for
 * @bytes: file bytes acknowledged by the client
 * @duration_ms: time from the read request to the end, in ms
 * @error: the TFTP error code sent or received (RFC 1350 section 5), 0 if none
 *
 * Any context (GFP_ATOMIC); an event that cannot be allocated is not sent.
 */
void pxefast_notify_transfer(struct net *net, enum pxefast_event_type type,
			     int ifindex, const struct in6_addr *addr,
			     const char *file, u64 bytes, u32 duration_ms,
			     u16 error)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = pxefast_event_new(net, type, &nest, &hdr, GFP_ATOMIC);
	if (!msg)
		return;
	if (nla_put_u32(msg, PXEFAST_EVENT_A_IFINDEX, ifindex) ||
	    pxefast_put_addr(msg, PXEFAST_EVENT_A_ADDR, PXEFAST_EVENT_A_ADDR6,
			     addr) ||
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
	    pxefast_put_addr(skb, PXEFAST_SESSION_A_CLIENT_ADDR,
			     PXEFAST_SESSION_A_CLIENT_ADDR6, &s->peer.caddr) ||
	    nla_put_u32(skb, PXEFAST_SESSION_A_IFINDEX, s->ifindex) ||
	    nla_put_u16(skb, PXEFAST_SESSION_A_CLIENT_PORT,
			ntohs(s->peer.cport)) ||
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

/*
 * Each command with its own policy (nl_policy.c), which genl_ops carries
 * in both kernels (genl_split_ops, 6.2 and later, is not needed for it):
 * the core refuses, with an extended ack, any attribute the command does
 * not take.
 */
static const struct genl_ops pxefast_genl_ops[] = {
	{
		.cmd	= PXEFAST_CMD_GET_CONFIG,
		.start	= pxefast_get_config_start,
		.dumpit	= pxefast_get_config_dumpit,
		.done	= pxefast_get_config_done,
		.policy	= pxefast_no_attr_policy,
		.maxattr = PXEFAST_A_MAX,
	},
	{
		.cmd	= PXEFAST_CMD_SET_CONFIG,
		.doit	= pxefast_set_config_doit,
		.policy	= pxefast_set_config_policy,
		.maxattr = PXEFAST_A_MAX,
		/* CAP_NET_ADMIN over the namespace: root in a container
		 * configures its own network namespace.
		 */
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXEFAST_CMD_GET_STATS,
		.doit	= pxefast_get_stats_doit,
		.policy	= pxefast_get_stats_policy,
		.maxattr = PXEFAST_A_MAX,
	},
	{
		.cmd	= PXEFAST_CMD_GET_SESSIONS,
		.dumpit	= pxefast_get_sessions_dumpit,
		.policy	= pxefast_no_attr_policy,
		.maxattr = PXEFAST_A_MAX,
	},
};

struct genl_family pxefast_genl_family __ro_after_init = {
	.name		= PXEFAST_GENL_NAME,
	.version	= PXEFAST_GENL_VERSION,
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
