// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit a DHCPv6 reply the core built: UDP and IPv6 headers in front
 * of it, routed out of the interface the request came in on and sent
 * through ip6_local_out(), so the host's OUTPUT chain and qdiscs apply and
 * neighbour discovery finds the client.  Unlike a DHCP client over IPv4,
 * a DHCPv6 client always has its link-local address.
 */

#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include "dhcp6.h"

/**
 * pxefast_dhcp6_xmit - send a DHCPv6 message out of a device
 * @dev: the device the request arrived on
 * @saddr: the source address (the request's unicast destination), or NULL
 *	for the one the stack chooses on @dev for @daddr (RFC 6724: the
 *	link-local address for a link-local client)
 * @daddr: the destination, the request's source; scoped to @dev
 * @sport: the UDP source port (the port the request came to)
 * @dport: the UDP destination port (the port it came from)
 * @data: the message (pxefast_dhcp6_answer())
 * @len: its length in bytes
 *
 * Context: softirq, or process context with bottom halves disabled; RCU
 * read lock held for @dev.  @data is copied; the caller keeps it.
 *
 * Return: 0 when the datagram was handed to the stack; -EADDRNOTAVAIL
 * when @dev has no source address for @daddr, a negative errno from the
 * route lookup, -ENOMEM without memory, -ENOBUFS when it was dropped on
 * the way out.
 */
int pxefast_dhcp6_xmit(struct net_device *dev, const struct in6_addr *saddr,
		       const struct in6_addr *daddr, __be16 sport,
		       __be16 dport, const u8 *data, unsigned int len)
{
	unsigned int ulen = sizeof(struct udphdr) + len;
	struct net *net = dev_net(dev);
	struct flowi6 fl6 = {
		.flowi6_oif	= dev->ifindex,
		.flowi6_proto	= IPPROTO_UDP,
		.daddr		= *daddr,
		.fl6_sport	= sport,
		.fl6_dport	= dport,
	};
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct udphdr *uh;
	unsigned int head;
	int err;

	if (saddr)
		fl6.saddr = *saddr;
	else if (ipv6_dev_get_saddr(net, dev, daddr, 0, &fl6.saddr))
		return -EADDRNOTAVAIL;
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return PTR_ERR(dst);

	head = LL_RESERVED_SPACE(dst->dev) + sizeof(*ip6h) + sizeof(*uh);
	skb = alloc_skb(head + len + dst->dev->needed_tailroom, GFP_ATOMIC);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
	}
	skb_reserve(skb, head);
	skb_put_data(skb, data, len);

	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(ulen);
	uh->check = 0;
	uh->check = csum_ipv6_magic(&fl6.saddr, daddr, ulen, IPPROTO_UDP,
				    csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = *daddr;

	skb->protocol = htons(ETH_P_IPV6);
	skb->ip_summed = CHECKSUM_NONE;
	skb_dst_set(skb, dst);
	/* __ip6_local_out() fills in the payload length. */
	err = ip6_local_out(net, NULL, skb);
	return net_xmit_eval(err) ? -ENOBUFS : 0;
}
