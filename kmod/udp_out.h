/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The last step of every datagram pxefast sends over a route (TFTP over
 * IPv4 and IPv6, DHCPv6): the UDP header, and for IPv6 the IP header and
 * ip6_local_out().  DHCP over IPv4 leaves differently (dhcp_xmit.c: to
 * clients without an address, at the link layer).
 */
#ifndef _PXEFAST_UDP_OUT_H
#define _PXEFAST_UDP_OUT_H

#include <linux/in6.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <linux/udp.h>
#include <net/dst.h>

/* Room a caller leaves in front of a payload for pxefast_udp6_out(). */
#define PXEFAST_UDP6_HEADROOM(dev) \
	(LL_RESERVED_SPACE(dev) + sizeof(struct ipv6hdr) + sizeof(struct udphdr))

/**
 * pxefast_udp_push - put a UDP header in front of a payload
 * @skb: the payload at data, with room for the header in front
 * @sport: the source port
 * @dport: the destination port
 *
 * The checksum is left 0 for the IP layer's caller to set (RFC 768; over
 * IPv6 it is mandatory, RFC 8200 section 8.1).  Sets the transport header.
 * Any context.
 *
 * Return: the header.
 */
static inline struct udphdr *pxefast_udp_push(struct sk_buff *skb,
					      __be16 sport, __be16 dport)
{
	unsigned int len = skb->len + sizeof(struct udphdr);
	struct udphdr *uh;

	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(len);
	uh->check = 0;
	skb->ip_summed = CHECKSUM_NONE;
	return uh;
}

int pxefast_udp6_out(struct net *net, struct sk_buff *skb,
		     struct dst_entry *dst, const struct in6_addr *saddr,
		     const struct in6_addr *daddr);

#endif /* _PXEFAST_UDP_OUT_H */
