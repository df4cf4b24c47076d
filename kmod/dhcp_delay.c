// SPDX-License-Identifier: GPL-2.0
/*
 * Replies sent later than they were built: a mapping's delay-ms (the
 * Raspberry Pi 3 ROM takes the proxy offer only when it comes about a
 * second after the site DHCP server's, as dnsmasq's dhcp-reply-delay
 * serves it).
 *
 * The receive path copies the built reply into a queue of the namespace,
 * sorted by the time it is due, and goes on at once: no client waits for
 * another's delay.  One delayed work item per namespace sends what is due
 * and re-arms itself for the next.  The queue is bounded; a reply that
 * does not fit is dropped (and counted by pxefast_dhcp_account()).  The
 * namespace's exit cancels the work and frees what is left.
 */

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "dhcp.h"

/* Replies waiting, per namespace; at most 1.5 KiB each. */
#define PXEFAST_DELAY_MAX_PENDING	256

struct pxefast_delayed_reply {
	struct list_head list;
	unsigned long due;		/* jiffies */
	int ifindex;
	__be32 saddr;			/* the request's source */
	bool broadcast;			/* link-layer broadcast, else @dst_mac */
	u8 dst_mac[ETH_ALEN];
	bool ack;
	u16 arch;
	u8 mac[ETH_ALEN];		/* the client's chaddr */
	const char *file;		/* in @data, after the reply; or NULL */
	unsigned int len;
	u8 data[];			/* the reply, then the file name */
};

/* Send one reply that is due.  Process context (the work item). */
static void pxefast_delay_send(struct pxefast_net *pn,
			       struct pxefast_delayed_reply *d)
{
	struct pxefast_dhcp_rx rx = {
		.pn = pn,
		.ifindex = d->ifindex,
		.saddr = d->saddr,
		.dport = htons(DHCP_SERVER_PORT),
	};
	struct pxefast_dhcp_reply reply = {
		.verdict = PXEFAST_ANSWER,
		.ack = d->ack,
		.arch = d->arch,
		.file = d->file,
	};
	const struct pxefast_config *cfg;
	struct net_device *dev;
	int err = -ENODEV;

	memcpy(reply.mac, d->mac, ETH_ALEN);
	local_bh_disable();
	rcu_read_lock();
	cfg = rcu_dereference(pn->config);
	dev = dev_get_by_index_rcu(pn->net, d->ifindex);
	/* Only to an interface still served, as when it was built. */
	if (dev && cfg && cfg->dhcp.proxy && pxefast_rx_dev(cfg, d->ifindex))
		err = pxefast_dhcp_xmit(dev, d->data, d->len,
					d->broadcast ? NULL : d->dst_mac);
	rcu_read_unlock();
	pxefast_dhcp_account_tx(&rx, &reply, err);
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

/**
 * pxefast_dhcp_delay - send a reply later
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
	struct pxefast_net *pn = rx->pn;
	size_t flen = reply->file ? strlen(reply->file) + 1 : 0;
	struct pxefast_delayed_reply *d, *pos;
	bool first;

	d = kmalloc(struct_size(d, data, len + flen), GFP_ATOMIC);
	if (!d)
		return -ENOMEM;
	/* +1: the tick under way may be about to end; never early. */
	d->due = jiffies + msecs_to_jiffies(reply->delay_ms) + 1;
	d->ifindex = rx->ifindex;
	d->saddr = rx->saddr;
	d->broadcast = !dst_mac;
	if (dst_mac)
		ether_addr_copy(d->dst_mac, dst_mac);
	d->ack = reply->ack;
	d->arch = reply->arch;
	memcpy(d->mac, reply->mac, ETH_ALEN);
	d->len = len;
	memcpy(d->data, frame, len);
	d->file = NULL;
	if (flen) {
		memcpy(d->data + len, reply->file, flen);
		d->file = (const char *)d->data + len;
	}

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
