// SPDX-License-Identifier: GPL-2.0
/*
 * A UDP datagram's way out over IPv6, shared by TFTP (tftp_xmit.c) and
 * DHCPv6 (dhcp6_xmit.c): checksum, IPv6 header, ip6_local_out(), so that
 * netfilter's OUTPUT hooks, qdiscs and IPsec policy apply as to a local
 * socket's datagram, and neighbour discovery finds the client.
 */

#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/udp.h>
#include "udp_out.h"

/**
 * pxefast_udp6_out - send a UDP datagram over IPv6
 * @net: the namespace
 * @skb: the datagram, UDP header on (pxefast_udp_push()), with
 *	sizeof(struct ipv6hdr) and the link layer's room in front
 *	(PXEFAST_UDP6_HEADROOM()); consumed
 * @dst: the route to @daddr; its reference is consumed
 * @saddr: the source address
 * @daddr: the destination address
 *
 * Sets the UDP checksum (mandatory over IPv6, RFC 8200 section 8.1) and
 * pushes the IPv6 header; the payload length is set by __ip6_local_out().
 * No fragment is made here: callers keep to the path MTU.
 *
 * Context: any in which ip6_local_out() may be called (softirq, or
 * process context with bottom halves disabled).
 *
 * Return: 0 when the datagram was handed to the stack, -ENOBUFS when it
 * was dropped on its way out.
 */
int pxefast_udp6_out(struct net *net, struct sk_buff *skb,
		     struct dst_entry *dst, const struct in6_addr *saddr,
		     const struct in6_addr *daddr)
{
	struct ipv6hdr *ip6h;
	int err;

	udp6_set_csum(false, skb, saddr, daddr, skb->len);
	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;

	skb->protocol = htons(ETH_P_IPV6);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	skb_dst_set(skb, dst);
	err = ip6_local_out(net, NULL, skb);
	return net_xmit_eval(err) ? -ENOBUFS : 0;
}
