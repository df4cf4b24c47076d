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

/*
 * The UDP header of an unfragmented IPv6 datagram, past its extension
 * headers (RFC 8200 4), copied to @buf; *@thoff is its offset from data.
 * NULL for anything else, which the hook leaves to the stack.
 */
static const struct udphdr *pxefast_nf6_udp(const struct sk_buff *skb,
					    struct udphdr *buf, int *thoff)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off;

	*thoff = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
				  &frag_off);
	if (*thoff < 0 || nexthdr != IPPROTO_UDP || frag_off)
		return NULL;
	return skb_header_pointer(skb, *thoff, sizeof(*buf), buf);
}

static unsigned int pxefast_nf6_local_in(void *priv, struct sk_buff *skb,
					 const struct nf_hook_state *state)
{
	struct pxefast_net *pn = priv;
	const struct pxefast_dev_cfg *dcfg;
	struct pxefast_config *cfg;
	const struct udphdr *uh;
	struct udphdr _uh;
	int thoff;

	uh = pxefast_nf6_udp(skb, &_uh, &thoff);
	if (!uh)
		return NF_ACCEPT;

	dcfg = pxefast_nf_served(pn, state, &cfg);
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
