// SPDX-License-Identifier: GPL-2.0
/*
 * Replies sent later than they were built: a mapping's delay-ms (the
 * Raspberry Pi 3 ROM takes the proxy offer only when it comes about a
 * second after the site DHCP server's, as dnsmasq's dhcp-reply-delay
 * serves it), and the PXEv6 boot server step's Reply
 * (PXEFAST_DHCP6_BINL_DELAY_MS: EDK2 reads it only some time after
 * asking).
 *
 * The receive path copies the built reply, a DHCP frame (IPv4 header on)
 * or a DHCPv6 message, into a queue of the namespace, sorted by the time
 * it is due, and goes on at once: no client waits for another's delay.
 * One delayed work item per namespace sends what is due and re-arms
 * itself for the next.  The queue is bounded; a reply that does not fit is
 * dropped (and counted by pxefast_dhcp_account() or
 * pxefast_dhcp6_account()).  The namespace's exit cancels the work and
 * frees what is left.
 */

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "dhcp6.h"

/* Replies waiting, per namespace; at most 1.5 KiB each. */
#define PXEFAST_DELAY_MAX_PENDING	256

struct pxefast_delayed_reply {
	struct list_head list;
	unsigned long due;		/* jiffies */
	int ifindex;
	bool ipv6;			/* @data is a DHCPv6 message (@v6),
					 * else a DHCP frame (@v4)
					 */
	u16 arch;
	u8 mac[ETH_ALEN];		/* the client's */
	const char *file;		/* in @data, after the reply; or NULL */
	union {
		struct {
			__be32 saddr;		/* the request's source */
			bool broadcast;		/* else to @dst_mac */
			u8 dst_mac[ETH_ALEN];
			bool ack;
		} v4;
		struct {
			struct in6_addr saddr;	/* the request's destination */
			struct in6_addr daddr;	/* its source */
			struct in6_addr client;	/* the client's: @daddr, or
						 * behind relay agents the
						 * innermost peer-address
						 */
			bool has_saddr;		/* else the stack picks one */
			u16 port;		/* the request's destination */
			__be16 dport;		/* its source port */
			u8 msg_type;
		} v6;
	};
	unsigned int len;
	u8 data[];			/* the reply, then the file name */
};

/* Send a DHCP reply that is due.  RCU read lock held, BHs disabled. */
static void pxefast_delay_xmit4(struct pxefast_net *pn, struct net_device *dev,
				struct pxefast_delayed_reply *d)
{
	const struct pxefast_config *cfg = rcu_dereference(pn->config);
	struct pxefast_dhcp_rx rx = {
		.pn = pn,
		.ifindex = d->ifindex,
		.saddr = d->v4.saddr,
		.dport = htons(DHCP_SERVER_PORT),
	};
	struct pxefast_dhcp_reply reply = {
		.verdict = PXEFAST_ANSWER,
		.ack = d->v4.ack,
		.arch = d->arch,
		.file = d->file,
	};
	int err = -ENODEV;

	memcpy(reply.mac, d->mac, ETH_ALEN);
	/* Only to an interface still served, as when it was built. */
	if (dev && cfg && cfg->dhcp.proxy && pxefast_rx_dev(cfg, d->ifindex))
		err = pxefast_dhcp_xmit(dev, d->data, d->len,
					d->v4.broadcast ? NULL : d->v4.dst_mac);
	pxefast_dhcp_account_tx(&rx, &reply, err);
}

/* Send a DHCPv6 reply that is due.  RCU read lock held, BHs disabled. */
static void pxefast_delay_xmit6(struct pxefast_net *pn, struct net_device *dev,
				struct pxefast_delayed_reply *d)
{
	const struct pxefast_config *cfg = rcu_dereference(pn->config);
	const struct pxefast_dev_cfg *dcfg;
	struct pxefast_dhcp6_rx rx = {
		.pn = pn,
		.ifindex = d->ifindex,
		.dport = d->v6.port,
		.saddr = &d->v6.client,
	};
	struct pxefast_dhcp6_reply reply = {
		.verdict = PXEFAST_ANSWER,
		.msg_type = d->v6.msg_type,
		.arch = d->arch,
		.file = d->file,
	};
	int err = -ENODEV;

	memcpy(reply.mac, d->mac, ETH_ALEN);
	dcfg = cfg ? pxefast_rx_dev(cfg, d->ifindex) : NULL;
	/* Only to an interface still served, as when it was built. */
	if (dev && dcfg && pxefast_dhcp6_served(cfg, dcfg, d->v6.port))
		err = pxefast_dhcp6_xmit(dev, d->v6.has_saddr ?
					 &d->v6.saddr : NULL, &d->v6.daddr,
					 htons(d->v6.port), d->v6.dport,
					 d->data, d->len);
	pxefast_dhcp6_account_tx(&rx, &reply, err);
}

/* Send one reply that is due.  Process context (the work item). */
static void pxefast_delay_send(struct pxefast_net *pn,
			       struct pxefast_delayed_reply *d)
{
	struct net_device *dev;

	local_bh_disable();
	rcu_read_lock();
	dev = dev_get_by_index_rcu(pn->net, d->ifindex);
	if (d->ipv6)
		pxefast_delay_xmit6(pn, dev, d);
	else
		pxefast_delay_xmit4(pn, dev, d);
	rcu_read_unlock();
	local_bh_enable();
}

/* Arm the work for the earliest reply.  Called with delay_lock held. */
static void pxefast_delay_arm(struct pxefast_net *pn)
{
	struct pxefast_delayed_reply *first;
	long left;

	first = list_first_entry_or_null(&pn->delay_list,
					 struct pxefast_delayed_reply, list);
	if (!first || pn->delay_closing)
		return;
	left = (long)(first->due - jiffies);
	mod_delayed_work(pxefast_wq, &pn->delay_work, max(left, 0L));
}

static void pxefast_delay_work(struct work_struct *work)
{
	struct pxefast_net *pn = container_of(to_delayed_work(work),
					      struct pxefast_net, delay_work);
	struct pxefast_delayed_reply *d, *tmp;
	LIST_HEAD(due);

	spin_lock_bh(&pn->delay_lock);
	list_for_each_entry_safe(d, tmp, &pn->delay_list, list) {
		if (time_before(jiffies, d->due))
			break;
		list_move_tail(&d->list, &due);
		pn->delay_pending--;
	}
	pxefast_delay_arm(pn);
	spin_unlock_bh(&pn->delay_lock);

	list_for_each_entry_safe(d, tmp, &due, list) {
		list_del(&d->list);
		pxefast_delay_send(pn, d);
		kfree(d);
	}
}

/*
 * A copy of @len bytes of reply at @data, then @file; its other fields
 * are the caller's to fill in.  NULL without memory.
 */
static struct pxefast_delayed_reply *
pxefast_delay_alloc(int ifindex, u16 arch, const u8 *mac, const char *file,
		    const u8 *data, unsigned int len)
{
	size_t flen = file ? strlen(file) + 1 : 0;
	struct pxefast_delayed_reply *d;

	d = kzalloc(struct_size(d, data, len + flen), GFP_ATOMIC);
	if (!d)
		return NULL;
	d->ifindex = ifindex;
	d->arch = arch;
	memcpy(d->mac, mac, ETH_ALEN);
	d->len = len;
	memcpy(d->data, data, len);
	if (flen) {
		memcpy(d->data + len, file, flen);
		d->file = (const char *)d->data + len;
	}
	return d;
}

/*
 * Queue @d to be sent @delay_ms from now, or free it when the namespace
 * holds PXEFAST_DELAY_MAX_PENDING replies or is going away (-ENOSPC).
 */
static int pxefast_delay_queue(struct pxefast_net *pn,
			       struct pxefast_delayed_reply *d, u32 delay_ms)
{
	struct pxefast_delayed_reply *pos;
	bool first;

	/* +1: the tick under way may be about to end; never early. */
	d->due = jiffies + msecs_to_jiffies(delay_ms) + 1;

	spin_lock_bh(&pn->delay_lock);
	if (pn->delay_closing ||
	    pn->delay_pending >= PXEFAST_DELAY_MAX_PENDING) {
		spin_unlock_bh(&pn->delay_lock);
		kfree(d);
		return -ENOSPC;
	}
	/* Sorted by due time; equal times keep their order. */
	list_for_each_entry_reverse(pos, &pn->delay_list, list)
		if (!time_before(d->due, pos->due))
			break;
	list_add(&d->list, &pos->list);
	first = pn->delay_list.next == &d->list;
	pn->delay_pending++;
	if (first)
		pxefast_delay_arm(pn);
	spin_unlock_bh(&pn->delay_lock);
	return 0;
}

/**
 * pxefast_dhcp_delay - send a DHCP reply later
 * @rx: where the request came from (its namespace, interface, source)
 * @reply: what pxefast_dhcp_answer() made of it, @delay_ms set
 * @frame: the reply it built, IPv4 header on
 * @len: its length in bytes
 * @dst_mac: the link-layer destination, or NULL for broadcast
 *
 * Context: softirq (the receive path), RCU read lock held.
 *
 * The reply is copied; it is sent no sooner than @reply->delay_ms after
 * this call, to @rx's interface if that is still served then, and
 * accounted for (pxefast_dhcp_account_tx()) when it leaves.
 *
 * Return: 0 when queued; -ENOSPC when the namespace already holds
 * PXEFAST_DELAY_MAX_PENDING replies or is going away, -ENOMEM when no
 * memory.
 */
int pxefast_dhcp_delay(const struct pxefast_dhcp_rx *rx,
		       const struct pxefast_dhcp_reply *reply,
		       const u8 *frame, unsigned int len, const u8 *dst_mac)
{
	struct pxefast_delayed_reply *d;

	d = pxefast_delay_alloc(rx->ifindex, reply->arch, reply->mac,
				reply->file, frame, len);
	if (!d)
		return -ENOMEM;
	d->v4.saddr = rx->saddr;
	d->v4.broadcast = !dst_mac;
	if (dst_mac)
		ether_addr_copy(d->v4.dst_mac, dst_mac);
	d->v4.ack = reply->ack;
	return pxefast_delay_queue(rx->pn, d, reply->delay_ms);
}

/**
 * pxefast_dhcp6_delay - send a DHCPv6 reply later
 * @rx: where the request came from (its namespace, interface, port, the
 *	client's address)
 * @reply: what pxefast_dhcp6_answer() or pxefast_dhcp6_relay() made of
 *	it, @delay_ms set
 * @saddr: the reply's source (the request's unicast destination), or
 *	NULL for the one the stack chooses when it is sent
 * @daddr: its destination, the request's source (the client, or the
 *	relay agent that forwarded its request)
 * @dport: its UDP destination port, the request's source port
 * @data: the DHCPv6 message built for it
 * @len: its length in bytes
 *
 * Context: softirq (the receive path), RCU read lock held.
 *
 * The reply is copied; it is sent by pxefast_dhcp6_xmit() from
 * @rx->dport no sooner than @reply->delay_ms after this call, out of
 * @rx's interface if that is still served over DHCPv6 on that port then,
 * and accounted for (pxefast_dhcp6_account_tx()) when it leaves.
 *
 * Return: 0 when queued; -ENOSPC when the namespace already holds
 * PXEFAST_DELAY_MAX_PENDING replies or is going away, -ENOMEM when no
 * memory.
 */
int pxefast_dhcp6_delay(const struct pxefast_dhcp6_rx *rx,
			const struct pxefast_dhcp6_reply *reply,
			const struct in6_addr *saddr,
			const struct in6_addr *daddr, __be16 dport,
			const u8 *data, unsigned int len)
{
	struct pxefast_delayed_reply *d;

	d = pxefast_delay_alloc(rx->ifindex, reply->arch, reply->mac,
				reply->file, data, len);
	if (!d)
		return -ENOMEM;
	d->ipv6 = true;
	d->v6.has_saddr = !!saddr;
	if (saddr)
		d->v6.saddr = *saddr;
	d->v6.daddr = *daddr;
	d->v6.client = *rx->saddr;
	d->v6.port = rx->dport;
	d->v6.dport = dport;
	d->v6.msg_type = reply->msg_type;
	return pxefast_delay_queue(rx->pn, d, reply->delay_ms);
}

/**
 * pxefast_dhcp_delay_init - set up a namespace's queue of delayed replies
 * @pn: the namespace
 *
 * Context: process (pernet init).
 */
void pxefast_dhcp_delay_init(struct pxefast_net *pn)
{
	spin_lock_init(&pn->delay_lock);
	INIT_LIST_HEAD(&pn->delay_list);
	INIT_DELAYED_WORK(&pn->delay_work, pxefast_delay_work);
	pn->delay_pending = 0;
	pn->delay_closing = false;
}

/**
 * pxefast_dhcp_delay_exit - drop a namespace's delayed replies unsent
 * @pn: the namespace, its netfilter hook already unregistered
 *
 * Context: process (pernet exit, also for each namespace at module
 * unload).  Waits for a send under way to finish.
 */
void pxefast_dhcp_delay_exit(struct pxefast_net *pn)
{
	struct pxefast_delayed_reply *d, *tmp;
	LIST_HEAD(left);

	spin_lock_bh(&pn->delay_lock);
	pn->delay_closing = true;
	spin_unlock_bh(&pn->delay_lock);
	cancel_delayed_work_sync(&pn->delay_work);

	spin_lock_bh(&pn->delay_lock);
	list_splice_init(&pn->delay_list, &left);
	pn->delay_pending = 0;
	spin_unlock_bh(&pn->delay_lock);
	list_for_each_entry_safe(d, tmp, &left, list) {
		list_del(&d->list);
		kfree(d);
	}
}
