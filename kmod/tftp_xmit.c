// SPDX-License-Identifier: GPL-2.0
/*
 * A TFTP packet's way out, over IPv4 or IPv6: route it like a local
 * socket's (through the transfer's route cache when it has one), push the
 * UDP and IP headers in front of the payload the caller built, and hand it
 * to ip_local_out() or (udp6_out.c) ip6_local_out(), so that netfilter's
 * OUTPUT hooks, qdiscs and IPsec policy apply.  The packet's family is its client's
 * (struct pxefast_tftp_peer).
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/dst_cache.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/udp.h>
#include "tftp.h"
#include "udp_out.h"

/* Route to an IPv4 client; BHs disabled when @dc is used. */
static struct dst_entry *tftp_route4(struct net *net, struct dst_cache *dc,
				     const struct pxefast_tftp_peer *p,
				     __be16 sport)
{
	__be32 saddr = p->laddr.s6_addr32[3];
	struct flowi4 fl4;
	struct rtable *rt;
	__be32 src;

	if (dc) {
		rt = dst_cache_get_ip4(dc, &src);
		if (rt)
			return &rt->dst;
	}
	rt = ip_route_output_ports(net, &fl4, NULL, p->caddr.s6_addr32[3],
				   saddr, p->cport, sport, IPPROTO_UDP, 0, 0);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	if (dc)
		dst_cache_set_ip4(dc, &rt->dst, fl4.saddr);
	return &rt->dst;
}

/*
 * Route to an IPv6 client, from the address it sent to; a link-local
 * client through the interface it was heard on.  BHs disabled when @dc is
 * used.
 */
static struct dst_entry *tftp_route6(struct net *net, struct dst_cache *dc,
				     const struct pxefast_tftp_peer *p,
				     __be16 sport)
{
	struct flowi6 fl6 = {
		.flowi6_oif	= p->scope,
		.flowi6_proto	= IPPROTO_UDP,
		.daddr		= p->caddr,
		.saddr		= p->laddr,
		.fl6_sport	= sport,
		.fl6_dport	= p->cport,
	};
	struct dst_entry *dst;
	struct in6_addr src;

	if (dc) {
		dst = dst_cache_get_ip6(dc, &src);
		if (dst)
			return dst;
	}
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (!IS_ERR(dst) && dc)
		dst_cache_set_ip6(dc, dst, &fl6.saddr);
	return dst;
}

static struct dst_entry *tftp_route(struct net *net, struct dst_cache *dc,
				    const struct pxefast_tftp_peer *p,
				    __be16 sport)
{
	return pxefast_tftp_peer_v6(p) ? tftp_route6(net, dc, p, sport) :
					 tftp_route4(net, dc, p, sport);
}

/* IPv4 header on @skb (UDP header on, at the transport header), out. */
static int tftp_out4(struct net *net, struct sk_buff *skb,
		     struct dst_entry *dst, const struct pxefast_tftp_peer *p)
{
	__be32 saddr = p->laddr.s6_addr32[3], daddr = p->caddr.s6_addr32[3];
	struct iphdr *iph;
	int err;

	udp_set_csum(false, skb, saddr, daddr, skb->len);
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(dst);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = saddr;
	iph->daddr = daddr;

	skb->protocol = htons(ETH_P_IP);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	skb_dst_set(skb, dst);
	ip_select_ident(net, skb, NULL);
	/* net_xmit_eval() reads its argument twice. */
	err = ip_local_out(net, NULL, skb);
	return net_xmit_eval(err) ? -ENOBUFS : 0;
}

/**
 * pxefast_tftp_xmit - send a TFTP packet to a client
 * @net: the namespace
 * @dc: the transfer's route cache, or NULL (a packet outside a transfer)
 * @skb: the TFTP packet at data, with TFTP_HEADROOM bytes of headroom;
 *	consumed
 * @p: the client, and this host's address it sent to
 * @sport: the UDP source port: the transfer's, or 69
 *
 * Over the client's IP version; IPv4 packets carry DF (pxefast sizes
 * blocks to the path MTU, RFC 2348 leaves fragments to the sender).
 * Context: BHs disabled when @dc is used; else any.
 *
 * Return: 0, or a negative errno (no route, or the packet was dropped on
 * its way out).
 */
int pxefast_tftp_xmit(struct net *net, struct dst_cache *dc,
		      struct sk_buff *skb, const struct pxefast_tftp_peer *p,
		      __be16 sport)
{
	struct dst_entry *dst;

	dst = tftp_route(net, dc, p, sport);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return PTR_ERR(dst);
	}
	pxefast_udp_push(skb, sport, p->cport);
	return pxefast_tftp_peer_v6(p) ?
	       pxefast_udp6_out(net, skb, dst, &p->laddr, &p->caddr) :
	       tftp_out4(net, skb, dst, p);
}

/**
 * pxefast_tftp_mtu - the path MTU towards a client
 * @net: the namespace
 * @dc: the transfer's route cache
 * @p: the client
 * @sport: the transfer's port
 *
 * Any context.
 *
 * Return: the MTU in bytes (IP header included), or a negative errno when
 * there is no route.
 */
int pxefast_tftp_mtu(struct net *net, struct dst_cache *dc,
		     const struct pxefast_tftp_peer *p, __be16 sport)
{
	struct dst_entry *dst;
	int mtu;

	local_bh_disable();
	dst = tftp_route(net, dc, p, sport);
	if (IS_ERR(dst)) {
		mtu = PTR_ERR(dst);
	} else {
		mtu = dst_mtu(dst);
		dst_release(dst);
	}
	local_bh_enable();
	return mtu;
}
