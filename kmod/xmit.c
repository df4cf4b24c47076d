// SPDX-License-Identifier: GPL-2.0
/*
 * Send a UDP datagram built in the kernel straight out of a device: UDP,
 * IPv4 and link-layer headers are pushed in front of the payload and the
 * frame goes to the device queue.  Replies go to the link-layer address the
 * request came from (or broadcast), as a DHCP server's raw socket would:
 * clients answered here often have no IP address yet.
 */

#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/udp.h>
#include "xmit.h"

/**
 * pxefast_alloc_udp - allocate an skb for a datagram sent with pxefast_xmit_udp()
 * @dev: the device it will leave by
 * @len: the UDP payload's length in bytes
 * @gfp: allocation flags
 *
 * Headroom for the link-layer, IPv4 and UDP headers is reserved.
 *
 * Return: the skb, data empty, or NULL.
 */
struct sk_buff *pxefast_alloc_udp(struct net_device *dev, unsigned int len,
				  gfp_t gfp)
{
	unsigned int head = LL_RESERVED_SPACE(dev) + sizeof(struct iphdr) +
			    sizeof(struct udphdr);
	struct sk_buff *skb;

	skb = alloc_skb(head + len + dev->needed_tailroom, gfp);
	if (skb)
		skb_reserve(skb, head);
	return skb;
}

/**
 * pxefast_ip_hdr - write the IPv4 header of a datagram pxefast sends
 * @iph: where, room for an option-less header
 * @ep: addresses
 * @tot_len: the datagram's length in bytes, IP header included
 *
 * The one header both the sk_buff and the XDP senders write: no options,
 * DF, id 0, TTL 64, checksum set.  Any context.
 */
void pxefast_ip_hdr(struct iphdr *iph, const struct pxefast_udp_ep *ep,
		    unsigned int tot_len)
{
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(tot_len);
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = ep->saddr;
	iph->daddr = ep->daddr;
	ip_send_check(iph);
}

/**
 * pxefast_xmit_udp - send @skb's data as one UDP datagram out of @dev
 * @dev: the device
 * @skb: the payload (linear part and fragments), headroom from
 *	pxefast_alloc_udp(); consumed
 * @ep: addresses and ports
 *
 * Softirq or process context.
 *
 * Return: 0 or a negative errno (the skb is freed either way).
 */
int pxefast_xmit_udp(struct net_device *dev, struct sk_buff *skb,
		     const struct pxefast_udp_ep *ep)
{
	unsigned int len = skb->len + sizeof(struct udphdr);
	struct udphdr *uh;
	struct iphdr *iph;
	int err;

	if (!(dev->flags & IFF_UP)) {
		kfree_skb(skb);
		return -ENETDOWN;
	}

	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = ep->sport;
	uh->dest = ep->dport;
	uh->len = htons(len);
	skb->ip_summed = CHECKSUM_NONE;
	udp_set_csum(false, skb, ep->saddr, ep->daddr, len);

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	pxefast_ip_hdr(iph, ep, skb->len);

	skb->protocol = htons(ETH_P_IP);
	skb->dev = dev;
	err = dev_hard_header(skb, dev, ETH_P_IP,
			      ep->broadcast ? dev->broadcast : ep->dst_mac,
			      NULL, skb->len);
	if (err < 0) {
		kfree_skb(skb);
		return -EINVAL;
	}
	err = dev_queue_xmit(skb);
	return net_xmit_eval(err) ? -ENOBUFS : 0;
}
