// SPDX-License-Identifier: GPL-2.0
/*
 * DHCP requests delivered as sk_buffs (the netfilter hook): check the
 * UDP datagram, run the protocol core, send its reply.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/udp.h>
#include "dhcp.h"
#include "xmit.h"

/*
 * Replies are built here, then copied into an skb only when there is one
 * to send: most datagrams to port 67 are not for us.  Hooks run with
 * bottom halves disabled, so a per-CPU buffer is ours for the call.
 */
struct pxefast_dhcp_scratch {
	u8 buf[PXEFAST_DHCP_REPLY_MAX];
};

static DEFINE_PER_CPU(struct pxefast_dhcp_scratch, pxefast_dhcp_scratch);

/**
 * pxefast_server_addr - the address this host answers with on a device
 * @dcfg: the served interface's configuration
 * @dev: the device
 *
 * The configured address of the interface, else the device's primary IPv4
 * address (used for siaddr, option 54 and the reply's source).  RCU read
 * side (the device's address list).
 *
 * Return: the address, or 0 when the device has none.
 */
__be32 pxefast_server_addr(const struct pxefast_dev_cfg *dcfg,
			   const struct net_device *dev)
{
	const struct in_device *in_dev;
	const struct in_ifaddr *ifa;

	if (dcfg->addr)
		return dcfg->addr;
	in_dev = __in_dev_get_rcu(dev);
	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rcu(ifa, in_dev) {
		if (!(ifa->ifa_flags & IFA_F_SECONDARY))
			return ifa->ifa_local;
	}
	return 0;
}

/**
 * pxefast_udp_pull - check a UDP datagram and make it linear
 * @skb: the datagram, network header at data (netfilter LOCAL_IN)
 * @hook: the netfilter hook it is seen at, for the checksum check
 *
 * Context: softirq (netfilter hook).
 *
 * The UDP length is authoritative (RFC 768), as in Linux's own UDP
 * receive path: bytes after it (IP padding, trailers) are trimmed off
 * before the checksum is checked; a UDP length shorter than the header or
 * longer than the IP payload is refused.
 *
 * Return: the payload length in bytes, or -1 for a datagram to drop.
 */
int pxefast_udp_pull(struct sk_buff *skb, unsigned int hook)
{
	unsigned int ihl = ip_hdrlen(skb);
	const struct udphdr *uh;
	unsigned int ulen;

	if (!pskb_may_pull(skb, ihl + sizeof(*uh)))
		return -1;
	uh = (const struct udphdr *)(skb->data + ihl);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len - ihl)
		return -1;
	/* Like __udp4_lib_rcv(): the IP header is left as it came. */
	if (ulen < skb->len - ihl && pskb_trim_rcsum(skb, ihl + ulen))
		return -1;
	uh = (const struct udphdr *)(skb->data + ihl);	/* may have moved */
	if (uh->check &&
	    nf_checksum(skb, hook, ihl, IPPROTO_UDP, NFPROTO_IPV4))
		return -1;
	if (!pskb_may_pull(skb, ihl + ulen))
		return -1;
	return ulen - sizeof(*uh);
}

/**
 * pxefast_udp_listened - does a local socket take this datagram?
 * @skb: a UDP datagram, network and transport headers set (LOCAL_IN)
 *
 * Context: softirq (netfilter hook), RCU read lock held.
 *
 * The UDP socket lookup the receive path makes.  Where it finds none, UDP
 * would answer a unicast datagram with an ICMP port unreachable.
 *
 * Return: true when some socket of @skb's namespace would receive it.
 */
bool pxefast_udp_listened(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct udphdr *uh = udp_hdr(skb);
	struct sock *sk;

	sk = udp4_lib_lookup(dev_net(skb->dev), iph->saddr, uh->source,
			     iph->daddr, uh->dest, inet_iif(skb));
	if (!sk)
		return false;
	sock_put(sk);
	return true;
}

/**
 * pxefast_dhcp_reply_ep - where the reply to a request goes
 * @ctx: where the request came from (@ctx->saddr its IP source)
 * @reply: the reply built for it
 * @rq: the request's BOOTP header
 * @sport: the request's UDP source port
 * @src_mac: the request's link-layer source, or NULL when unknown
 * @ep: filled in
 *
 * RFC 2131 section 4.1: to the relay (giaddr) on 67, to ciaddr on 68, else
 * broadcast; on 4011 back to the request's address and port (PXE 2.1),
 * broadcast when the client asked for it.  The same for
 * every hook, so that the replies are the same bytes.  Any context.
 */
void pxefast_dhcp_reply_ep(const struct pxefast_dhcp_ctx *ctx,
			   const struct pxefast_dhcp_reply *reply,
			   const struct bootp_hdr *rq, __be16 sport,
			   const u8 *src_mac, struct pxefast_udp_ep *ep)
{
	ep->saddr = ctx->server_addr;
	ep->sport = htons(ctx->binl ? PXE_BINL_PORT : DHCP_SERVER_PORT);
	ep->broadcast = reply->broadcast;
	if (reply->broadcast) {
		ep->daddr = htonl(INADDR_BROADCAST);
		ep->dport = ctx->binl ? sport : htons(DHCP_CLIENT_PORT);
	} else if (ctx->binl) {
		ep->daddr = ctx->saddr;
		ep->dport = sport;
	} else if (rq->giaddr) {
		ep->daddr = rq->giaddr;
		ep->dport = htons(DHCP_SERVER_PORT);
	} else {
		ep->daddr = rq->ciaddr;
		ep->dport = htons(DHCP_CLIENT_PORT);
	}
	if (src_mac)
		ether_addr_copy(ep->dst_mac, src_mac);
	else
		eth_zero_addr(ep->dst_mac);
}

/**
 * pxefast_dhcp_send - send a reply built by pxefast_dhcp_process() as an skb
 * @dev: the device the request arrived on, which the reply leaves by
 * @ctx: where the request came from
 * @reply: the reply; queued instead when @reply->delay_ms is set
 * @ep: where it goes, from pxefast_dhcp_reply_ep()
 *
 * Context: softirq (a hook), RCU read lock held.  Accounted with
 * pxefast_dhcp_sent() (a delayed reply when it leaves).
 *
 * Return: true when the reply was sent or queued.
 */
bool pxefast_dhcp_send(struct net_device *dev,
		       const struct pxefast_dhcp_ctx *ctx,
		       const struct pxefast_dhcp_reply *reply,
		       const struct pxefast_udp_ep *ep)
{
	struct sk_buff *out;
	int err;

	if (reply->delay_ms)
		return !pxefast_dhcp_delay(ctx, reply, ep);

	out = pxefast_alloc_udp(dev, reply->len, GFP_ATOMIC);
	if (!out) {
		pxefast_dhcp_sent(ctx, reply, -ENOMEM);
		return false;
	}
	skb_put_data(out, reply->buf, reply->len);
	err = pxefast_xmit_udp(dev, out, ep);
	pxefast_dhcp_sent(ctx, reply, err);
	return !err;
}

/**
 * pxefast_dhcp_rx - answer a DHCP request that arrived on a served device
 * @pn: the namespace
 * @cfg: its configuration (RCU)
 * @dcfg: the device's entry in @cfg
 * @skb: the request, network header at data; not consumed
 * @binl: arrived on UDP 4011 rather than 67
 *
 * Context: softirq (netfilter hook), RCU read lock held.
 *
 * A reply whose mapping asks for a delay is queued (pxefast_dhcp_delay())
 * rather than sent; the hook goes on at once either way.
 *
 * Return: true when the request was answered (sent or queued).
 */
bool pxefast_dhcp_rx(struct pxefast_net *pn, const struct pxefast_config *cfg,
		     const struct pxefast_dev_cfg *dcfg, struct sk_buff *skb,
		     bool binl)
{
	struct pxefast_dhcp_ctx ctx = {
		.pn = pn,
		.cfg = cfg,
		.ifindex = skb->dev->ifindex,
		.binl = binl,
	};
	struct pxefast_dhcp_reply reply = {
		.buf = this_cpu_ptr(&pxefast_dhcp_scratch)->buf,
		.size = PXEFAST_DHCP_REPLY_MAX,
	};
	struct pxefast_udp_ep ep;
	int len;

	len = pxefast_udp_pull(skb, NF_INET_LOCAL_IN);
	if (len < 0) {
		pxefast_dhcp_process(&ctx, NULL, 0, &reply);
		return false;
	}
	ctx.server_addr = pxefast_server_addr(dcfg, skb->dev);
	ctx.saddr = ip_hdr(skb)->saddr;
	if (pxefast_dhcp_process(&ctx, (const u8 *)(udp_hdr(skb) + 1), len,
				 &reply) != PXEFAST_ANSWER)
		return false;

	pxefast_dhcp_reply_ep(&ctx, &reply,
			      (const void *)(udp_hdr(skb) + 1),
			      udp_hdr(skb)->source,
			      skb_mac_header_was_set(skb) &&
			      skb->dev->type == ARPHRD_ETHER ?
			      eth_hdr(skb)->h_source : NULL, &ep);
	return pxefast_dhcp_send(skb->dev, &ctx, &reply, &ep);
}
