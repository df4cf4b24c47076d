// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter receive path over IPv6: the LOCAL_IN hook, after the
 * filter table, registered with the IPv4 one (rx_nf.c) while a namespace's
 * configuration serves some interface.  It finds the UDP header past any
 * extension headers and hands a datagram for one of pxefast's ports, on a
 * served interface, to that port's handler; everything else goes on
 * through the stack untouched.  Fragments are left alone: IPv6 reassembles
 * them after LOCAL_IN, and every request pxefast answers fits a packet.
 *
 * UDP 69, while TFTP is on: read requests start transfers
 * (pxefast_tftp_rx6()), and are consumed.  With the service off the port
 * is left to whatever listens on the host.
 *
 * UDP 547 (DHCPv6, on interfaces served over DHCPv6): netboot requests are
 * answered (pxefast_dhcp6_rx()) and passed on (NF_ACCEPT), so a DHCPv6
 * server on this host still receives every packet; an answered unicast
 * one (a relay agent's Relay-forward) that no local socket takes ends
 * here, as over IPv4 (rx_nf.c), rather than draw an ICMPv6 port
 * unreachable.  UDP 4011 (the
 * PXEv6 boot server step): answered and consumed, as over IPv4; the Reply
 * leaves PXEFAST_DHCP6_BINL_DELAY_MS later (dhcp_delay.c).
 */

#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include "dhcp.h"
#include "dhcp6.h"
#include "tftp.h"

/* UDP 69: TFTP read requests (RFC 1350), consumed while TFTP is on. */
static unsigned int pxefast_nf6_tftp(struct pxefast_net *pn,
				     struct pxefast_config *cfg,
				     const struct pxefast_dev_cfg *dcfg,
				     struct sk_buff *skb, unsigned int thoff)
{
	if (!cfg->tftp.enabled)
		return NF_ACCEPT;
	pxefast_tftp_rx6(pn, cfg, skb, thoff);
	consume_skb(skb);
	return NF_STOLEN;
}

/*
 * A unicast datagram no local socket takes (no DHCPv6 server on this
 * host), which UDP would only answer with an ICMPv6 port unreachable.
 */
static bool pxefast_nf6_unheard(const struct sk_buff *skb, unsigned int thoff)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct udphdr *uh = (const struct udphdr *)(skb->data + thoff);

	return !ipv6_addr_is_multicast(&ip6h->daddr) &&
	       !pxefast_udp6_listened(dev_net(skb->dev), &ip6h->saddr,
				      uh->source, &ip6h->daddr, uh->dest,
				      inet6_iif(skb), inet6_sdif(skb));
}

/*
 * UDP 547: DHCPv6 netboot requests (RFC 5970) answered, and passed on but
 * for an answered unicast one (a relay agent's Relay-forward) that no
 * DHCPv6 server on this host takes.
 */
static unsigned int pxefast_nf6_dhcp6(struct pxefast_net *pn,
				      struct pxefast_config *cfg,
				      const struct pxefast_dev_cfg *dcfg,
				      struct sk_buff *skb, unsigned int thoff)
{
	if (pxefast_dhcp6_served(cfg, dcfg, DHCP6_SERVER_PORT) &&
	    pxefast_dhcp6_rx(pn, cfg, dcfg, skb, thoff, DHCP6_SERVER_PORT) &&
	    pxefast_nf6_unheard(skb, thoff)) {
		consume_skb(skb);
		return NF_STOLEN;
	}
	return NF_ACCEPT;
}

/* UDP 4011: the PXEv6 boot server step, answered and consumed. */
static unsigned int pxefast_nf6_boot(struct pxefast_net *pn,
				     struct pxefast_config *cfg,
				     const struct pxefast_dev_cfg *dcfg,
				     struct sk_buff *skb, unsigned int thoff)
{
	if (!pxefast_dhcp6_served(cfg, dcfg, PXE_BINL_PORT))
		return NF_ACCEPT;
	pxefast_dhcp6_rx(pn, cfg, dcfg, skb, thoff, PXE_BINL_PORT);
	consume_skb(skb);
	return NF_STOLEN;
}

/*
 * The UDP ports pxefast takes over IPv6, one line each, with the handler
 * given the namespace, its configuration (RCU), the served interface's
 * entry, the datagram (IPv6 header at data) and the offset of its UDP
 * header.  A handler returns the netfilter verdict, and consumes the skb
 * when that is NF_STOLEN.
 */
static const struct pxefast_nf6_port {
	u16 port;
	unsigned int (*rx)(struct pxefast_net *pn, struct pxefast_config *cfg,
			   const struct pxefast_dev_cfg *dcfg,
			   struct sk_buff *skb, unsigned int thoff);
} pxefast_nf6_ports[] = {
	{ TFTP_PORT,		pxefast_nf6_tftp },
	{ DHCP6_SERVER_PORT,	pxefast_nf6_dhcp6 },
	{ PXE_BINL_PORT,	pxefast_nf6_boot },
};

static const struct pxefast_nf6_port *pxefast_nf6_port(u16 port)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pxefast_nf6_ports); i++)
		if (pxefast_nf6_ports[i].port == port)
			return &pxefast_nf6_ports[i];
	return NULL;
}

/*
 * The offset of @skb's UDP header, its destination port in @port; -1 when
 * it is no UDP datagram, or a fragment of one.
 */
static int pxefast_nf6_udp(const struct sk_buff *skb, u16 *port)
{
	unsigned int thoff = 0;
	const struct udphdr *uh;
	struct udphdr _uh;
	int flags = 0;

	if (ipv6_find_hdr(skb, &thoff, -1, NULL, &flags) != IPPROTO_UDP ||
	    (flags & IP6_FH_F_FRAG))
		return -1;
	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh)
		return -1;
	*port = ntohs(uh->dest);
	return thoff;
}

static unsigned int pxefast_nf6_local_in(void *priv, struct sk_buff *skb,
					 const struct nf_hook_state *state)
{
	struct pxefast_net *pn = priv;
	const struct pxefast_dev_cfg *dcfg;
	const struct pxefast_nf6_port *p;
	struct pxefast_config *cfg;
	int thoff;
	u16 port;

	thoff = pxefast_nf6_udp(skb, &port);
	if (thoff < 0)
		return NF_ACCEPT;
	p = pxefast_nf6_port(port);
	if (!p)
		return NF_ACCEPT;

	dcfg = pxefast_nf_dev(pn, state, &cfg);
	if (!dcfg)
		return NF_ACCEPT;
	return p->rx(pn, cfg, dcfg, skb, thoff);
}

/**
 * pxefast_nf6_ops - describe a namespace's IPv6 LOCAL_IN hook
 * @pn: the namespace, its lock held
 * @ops: filled in, for pxefast_nf_sync() to register with the IPv4 hook
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
