// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit a DHCPv6 reply the core built: routed out of the interface the
 * request came in on, UDP and IPv6 headers in front of it and sent
 * through ip6_local_out() (udp6_out.c), so the host's OUTPUT chain and
 * qdiscs apply and neighbour discovery finds the client.  Unlike a DHCP client over IPv4,
 * a DHCPv6 client always has its link-local address.
 */

#include <linux/skbuff.h>
#include <net/addrconf.h>
#include <net/ip6_route.h>
#include "dhcp6.h"
#include "udp_out.h"

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
	struct net *net = dev_net(dev);
	struct flowi6 fl6 = {
		.flowi6_oif	= dev->ifindex,
		.flowi6_proto	= IPPROTO_UDP,
		.daddr		= *daddr,
		.fl6_sport	= sport,
		.fl6_dport	= dport,
	};
	struct dst_entry *dst;
	struct sk_buff *skb;
	unsigned int head;

	if (saddr)
		fl6.saddr = *saddr;
	else if (ipv6_dev_get_saddr(net, dev, daddr, 0, &fl6.saddr))
		return -EADDRNOTAVAIL;
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return PTR_ERR(dst);

	head = PXEFAST_UDP6_HEADROOM(dst->dev);
	skb = alloc_skb(head + len + dst->dev->needed_tailroom, GFP_ATOMIC);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
	}
	skb_reserve(skb, head);
	skb_put_data(skb, data, len);
	pxefast_udp_push(skb, sport, dport);
	return pxefast_udp6_out(net, skb, dst, &fl6.saddr, daddr);
}
