// SPDX-License-Identifier: GPL-2.0
/*
 * Replies sent later than they were built: a mapping's delay-ms (the
 * Raspberry Pi 3 ROM takes the proxy offer only when it comes about a
 * second after the site DHCP server's, as dnsmasq's dhcp-reply-delay
 * serves it).
 *
 * The hook copies the reply into a queue of the namespace, sorted by the
 * time it is due, and goes on at once: no client waits for another's
 * delay.  One delayed work item per namespace sends what is due and
 * re-arms itself for the next.  The queue is bounded; a reply that does
 * not fit is dropped and counted.  The namespace's exit cancels the work
 * and frees what is left.
 */

#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "dhcp.h"
#include "xmit.h"

/* Replies waiting, per namespace; at most 1.5 KiB each. */
#define PXEFAST_DELAY_MAX_PENDING	256

struct pxefast_delayed_reply {
	struct list_head list;
	unsigned long due;		/* jiffies */
	int ifindex;
	__be32 saddr;			/* the request's source */
	struct pxefast_udp_ep ep;
	bool ack;
	u16 arch;
	u8 mac[ETH_ALEN];
	const char *file;		/* in @data, after the reply; or NULL */
	unsigned int len;
	u8 data[];			/* the reply, then the file name */
};

/* Send one reply that is due.  Process context (the work item). */
static void pxefast_delay_send(struct pxefast_net *pn,
			       struct pxefast_delayed_reply *d)
{
	struct pxefast_dhcp_ctx ctx = {
		.pn = pn,
		.ifindex = d->ifindex,
		.saddr = d->saddr,
	};
	struct pxefast_dhcp_reply reply = {
		.ack = d->ack,
		.arch = d->arch,
		.file = d->file,
	};
	const struct pxefast_config *cfg;
	struct net_device *dev;
	struct sk_buff *skb;
	int err = -ENODEV;

	memcpy(reply.mac, d->mac, ETH_ALEN);
	local_bh_disable();
	rcu_read_lock();
	cfg = rcu_dereference(pn->config);
	dev = dev_get_by_index_rcu(pn->net, d->ifindex);
	/* Only to an interface still served, as when it was built. */
	if (dev && cfg && cfg->dhcp.proxy &&
	    pxefast_config_serves(cfg, d->ifindex)) {
		skb = pxefast_alloc_udp(dev, d->len, GFP_ATOMIC);
		if (skb) {
			skb_put_data(skb, d->data, d->len);
			err = pxefast_xmit_udp(dev, skb, &d->ep);
		} else {
			err = -ENOMEM;
		}
	}
	rcu_read_unlock();
	pxefast_dhcp_sent(&ctx, &reply, err);
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
 * @ctx: where the request came from (its namespace, device, source)
 * @reply: the reply built for it, with @reply->delay_ms set
 * @ep: where it goes
 *
 * Context: softirq (netfilter hook), RCU read lock held.
 *
 * The reply is copied; it is sent no sooner than @reply->delay_ms after
 * this call, to @ctx's interface if that is still served then.  Counted
 * as sent (or as a transmit error) when it leaves.
 *
 * Return: 0 when queued; -ENOSPC (counted as a delay drop) when the
 * namespace already holds PXEFAST_DELAY_MAX_PENDING replies or is going
 * away, -ENOMEM when no memory.
 */
int pxefast_dhcp_delay(const struct pxefast_dhcp_ctx *ctx,
		       const struct pxefast_dhcp_reply *reply,
		       const struct pxefast_udp_ep *ep)
{
	struct pxefast_net *pn = ctx->pn;
	size_t flen = reply->file ? strlen(reply->file) + 1 : 0;
	struct pxefast_delayed_reply *d, *pos;
	bool first;

	d = kmalloc(struct_size(d, data, reply->len + flen), GFP_ATOMIC);
	if (!d) {
		pxefast_dhcp_sent(ctx, reply, -ENOMEM);
		return -ENOMEM;
	}
	/* +1: the tick under way may be about to end; never early. */
	d->due = jiffies + msecs_to_jiffies(reply->delay_ms) + 1;
	d->ifindex = ctx->ifindex;
	d->saddr = ctx->saddr;
	d->ep = *ep;
	d->ack = reply->ack;
	d->arch = reply->arch;
	memcpy(d->mac, reply->mac, ETH_ALEN);
	d->len = reply->len;
	memcpy(d->data, reply->buf, reply->len);
	d->file = NULL;
	if (flen) {
		memcpy(d->data + reply->len, reply->file, flen);
		d->file = (const char *)d->data + reply->len;
	}

	spin_lock_bh(&pn->delay_lock);
	if (pn->delay_closing ||
	    pn->delay_pending >= PXEFAST_DELAY_MAX_PENDING) {
		spin_unlock_bh(&pn->delay_lock);
		kfree(d);
		pxefast_stat_add(pn, PXEFAST_STAT_DHCP_DELAY_DROPS, 1);
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
 * @pn: the namespace, its hooks already unregistered
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
