// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter receive path over IPv6: the IPv6 LOCAL_IN hook, after the
 * filter table, registered with the IPv4 one (rx_nf.c) while some
 * interface is served.  It finds the UDP header past any extension
 * headers and dispatches on the destination port to the service on it.
 *
 * UDP 547 (DHCPv6, on interfaces served over DHCPv6): netboot requests are
 * answered (pxefast_dhcp6_rx()) and always passed on (NF_ACCEPT), so a
 * DHCPv6 server on this host still receives every packet.  UDP 4011 (the
 * PXEv6 boot server step): answered and consumed, as over IPv4.
 * Fragments are left to the stack: reassembly comes after LOCAL_IN, and
 * the requests answered here are small.
 */

#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include "dhcp6.h"

/**
 * pxefast_udp6_pull - check a UDP datagram over IPv6 and make it linear
 * @skb: the datagram, network header at data (netfilter LOCAL_IN)
 * @hook: the netfilter hook it is seen at, for the checksum check
 * @thoff: the offset of the UDP header from data, past extension headers
 *
 * Context: softirq (netfilter hook).
 *
 * As __udp6_lib_rcv() takes it: the UDP length is authoritative (RFC 768),
 * bytes after it are trimmed before the checksum is checked, a UDP length
 * shorter than the header or longer than the payload is refused, and so
 * is a zero checksum (RFC 8200 8.1).
 *
 * Return: the payload length in bytes, or -1 for a datagram to drop.
 */
int pxefast_udp6_pull(struct sk_buff *skb, unsigned int hook,
		      unsigned int thoff)
{
	const struct udphdr *uh;
	unsigned int ulen;

	if (!pskb_may_pull(skb, thoff + sizeof(*uh)))
		return -1;
	uh = (const struct udphdr *)(skb->data + thoff);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len - thoff)
		return -1;
	if (ulen < skb->len - thoff && pskb_trim_rcsum(skb, thoff + ulen))
		return -1;
	/* nf_ip6_checksum() refuses a zero checksum too. */
	if (nf_checksum(skb, hook, thoff, IPPROTO_UDP, NFPROTO_IPV6) ||
	    !pskb_may_pull(skb, thoff + ulen))
		return -1;
	return ulen - sizeof(*uh);
}

static unsigned int pxefast_nf6_local_in(void *priv, struct sk_buff *skb,
					 const struct nf_hook_state *state)
{
	struct pxefast_net *pn = priv;
	const struct pxefast_dev_cfg *dcfg;
	const struct pxefast_config *cfg;
	const struct udphdr *uh;
	struct udphdr _uh;
	__be16 frag_off;
	u8 nexthdr;
	int thoff;

	nexthdr = ipv6_hdr(skb)->nexthdr;
	thoff = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
				 &frag_off);
	if (thoff < 0 || nexthdr != IPPROTO_UDP || frag_off)
		return NF_ACCEPT;
	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh)
		return NF_ACCEPT;

	cfg = rcu_dereference(pn->config);
	dcfg = cfg && state->in ? pxefast_rx_dev(cfg, state->in->ifindex) :
				  NULL;
	if (!dcfg)
		return NF_ACCEPT;

	switch (ntohs(uh->dest)) {
	case DHCP6_SERVER_PORT:
		if (dcfg->dhcp6 && cfg->dhcp.proxy)
			pxefast_dhcp6_rx(pn, cfg, dcfg, skb, thoff,
					 DHCP6_SERVER_PORT);
		return NF_ACCEPT;
	case PXE_BINL_PORT:
		if (!dcfg->dhcp6 || !cfg->dhcp.boot_server)
			return NF_ACCEPT;
		pxefast_dhcp6_rx(pn, cfg, dcfg, skb, thoff, PXE_BINL_PORT);
		consume_skb(skb);
		return NF_STOLEN;
	default:
		return NF_ACCEPT;
	}
}

/**
 * pxefast_nf6_ops - the IPv6 hook's registration
 * @pn: the namespace, its lock held
 * @ops: filled in, for nf_register_net_hooks() with the IPv4 hook's
 *
 * Process context.
 */
void pxefast_nf6_ops(struct pxefast_net *pn, struct nf_hook_ops *ops)
{
	*ops = (struct nf_hook_ops) {
		.hook		= pxefast_nf6_local_in,
		.priv		= pn,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_FILTER + 1,
	};
}
