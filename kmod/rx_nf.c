// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter receive path: the IPv4 LOCAL_IN hook, after the filter
 * table, registered in a namespace only while its configuration serves
 * some interface, together with the IPv6 one (rx_nf6.c).  It takes the UDP
 * datagrams for pxefast's ports off the stack, checks them, hands a DHCP
 * request to the protocol core as bytes (pxefast_dhcp_answer()), sends
 * the reply built, then accounts for the request.
 *
 * UDP 67: PXE requests are answered and then passed on (NF_ACCEPT), so a
 * DHCP server on this host still receives every packet; one answered where
 * no socket listens on 67 is consumed (no ICMP port unreachable).  UDP
 * 4011: the boot server's port; the datagrams are consumed.  UDP 69, while
 * TFTP is on: read requests start transfers (pxefast_tftp_rx()), and are
 * consumed.  With a service off, its port is left to whatever listens on
 * the host.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/udp.h>
#include "dhcp.h"
#include "tftp.h"

/*
 * Replies are built here, then copied into an skb only when there is one
 * to send: most datagrams to port 67 are not for us.  The hook runs with
 * bottom halves disabled, so a per-CPU buffer is ours for the call.
 */
struct pxefast_dhcp_scratch {
	u8 buf[PXEFAST_DHCP_FRAME_MAX];
};

static DEFINE_PER_CPU(struct pxefast_dhcp_scratch, pxefast_dhcp_scratch);

/**
 * pxefast_udp_pull_at - check a UDP datagram and make it linear
 * @skb: the datagram, network header at data (netfilter LOCAL_IN)
 * @hook: the netfilter hook it is seen at, for the checksum check
 * @pf: its family, NFPROTO_IPV4 or NFPROTO_IPV6
 * @thoff: the offset of the UDP header from data (past IPv4 options or
 *	IPv6 extension headers)
 *
 * Context: softirq (netfilter hook).
 *
 * The UDP length is authoritative (RFC 768), as in Linux's own UDP
 * receive paths: bytes after it (IP padding, trailers) are trimmed off
 * before the checksum is checked; a UDP length shorter than the header or
 * longer than the IP payload is refused, as is a zero checksum over IPv6
 * (RFC 8200 section 8.1).  The transport header is set to @thoff.
 *
 * Return: the payload length in bytes, or -1 for a datagram to drop.
 */
int pxefast_udp_pull_at(struct sk_buff *skb, unsigned int hook, u8 pf,
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
	/* Like __udp4_lib_rcv(): the IP header is left as it came. */
	if (ulen < skb->len - thoff && pskb_trim_rcsum(skb, thoff + ulen))
		return -1;
	uh = (const struct udphdr *)(skb->data + thoff);	/* may have moved */
	if (!uh->check) {
		if (pf == NFPROTO_IPV6)
			return -1;
	} else if (nf_checksum(skb, hook, thoff, IPPROTO_UDP, pf)) {
		return -1;
	}
	if (!pskb_may_pull(skb, thoff + ulen))
		return -1;
	skb_set_transport_header(skb, thoff);
	return ulen - sizeof(*uh);
}

/**
 * pxefast_udp_pull - check a UDP datagram over IPv4 and make it linear
 * @skb: the datagram, IPv4 header at data (netfilter LOCAL_IN)
 * @hook: the netfilter hook it is seen at, for the checksum check
 *
 * pxefast_udp_pull_at() past the IPv4 header.  Context: softirq.
 *
 * Return: the payload length in bytes, or -1 for a datagram to drop.
 */
int pxefast_udp_pull(struct sk_buff *skb, unsigned int hook)
{
	return pxefast_udp_pull_at(skb, hook, NFPROTO_IPV4, ip_hdrlen(skb));
}

/*
 * A DHCP request to UDP @port (67 or 4011) on a served device: receive
 * (skb to bytes), answer (the core), send or queue, account.  @skb is not
 * consumed.  Returns true when the request was answered (sent or queued).
 */
static bool pxefast_nf_dhcp(struct pxefast_net *pn,
			    const struct pxefast_config *cfg,
			    const struct pxefast_dev_cfg *dcfg,
			    struct sk_buff *skb, u16 port)
{
	/* The destination when the request's link-layer source is unknown. */
	static const u8 no_mac[ETH_ALEN];
	u8 *buf = this_cpu_ptr(&pxefast_dhcp_scratch)->buf;
	struct pxefast_dhcp_rx rx = {
		.pn = pn,
		.cfg = cfg,
		.ifindex = skb->dev->ifindex,
		.saddr = ip_hdr(skb)->saddr,
		.daddr = ip_hdr(skb)->daddr,
		.dport = htons(port),
	};
	struct pxefast_dhcp_reply reply = {
		.verdict = PXEFAST_DROP_MALFORMED,
	};
	const u8 *dst_mac;
	int len, err = 0;

	len = pxefast_udp_pull(skb, NF_INET_LOCAL_IN);
	if (len >= 0) {
		rx.sport = udp_hdr(skb)->source;
		rx.server_addr = pxefast_server_addr(dcfg, skb->dev);
		len = pxefast_dhcp_answer(&rx, (const u8 *)(udp_hdr(skb) + 1),
					  len, buf, PXEFAST_DHCP_FRAME_MAX,
					  &reply);
	}
	if (len > 0) {
		if (reply.broadcast)
			dst_mac = NULL;
		else if (skb_mac_header_was_set(skb) &&
			 skb->dev->type == ARPHRD_ETHER)
			dst_mac = eth_hdr(skb)->h_source;
		else
			dst_mac = no_mac;
		err = reply.delay_ms ?
		      pxefast_dhcp_delay(&rx, &reply, buf, len, dst_mac) :
		      pxefast_dhcp_xmit(skb->dev, buf, len, dst_mac);
	}
	pxefast_dhcp_account(&rx, &reply, err);
	return len > 0 && !err;
}

/* A local socket takes this datagram (a DHCP server on this host). */
static bool pxefast_nf_listened(const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct udphdr *uh = udp_hdr(skb);

	return pxefast_udp_listened(dev_net(skb->dev), iph->saddr, uh->source,
				    iph->daddr, uh->dest, inet_iif(skb),
				    inet_sdif(skb));
}

/**
 * pxefast_nf_dev - the served interface a hooked packet arrived on
 * @pn: the namespace
 * @state: the netfilter hook's state
 * @cfgp: set to the namespace's configuration (or NULL)
 *
 * Context: softirq (netfilter hook), RCU read lock held.
 *
 * Return: the interface's entry in *@cfgp, or NULL when it is not served.
 */
const struct pxefast_dev_cfg *pxefast_nf_dev(struct pxefast_net *pn,
					     const struct nf_hook_state *state,
					     struct pxefast_config **cfgp)
{
	struct pxefast_config *cfg = rcu_dereference(pn->config);

	*cfgp = cfg;
	return cfg && state->in ? pxefast_rx_dev(cfg, state->in->ifindex) :
				  NULL;
}

static unsigned int pxefast_nf_local_in(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	struct pxefast_net *pn = priv;
	const struct pxefast_dev_cfg *dcfg;
	struct pxefast_config *cfg;
	const struct iphdr *iph = ip_hdr(skb);
	struct udphdr _uh;
	const struct udphdr *uh;
	u16 port;

	if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return NF_ACCEPT;
	uh = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_uh), &_uh);
	if (!uh)
		return NF_ACCEPT;
	port = ntohs(uh->dest);
	if (port != DHCP_SERVER_PORT && port != PXE_BINL_PORT &&
	    port != TFTP_PORT)
		return NF_ACCEPT;

	dcfg = pxefast_nf_dev(pn, state, &cfg);
	if (!dcfg)
		return NF_ACCEPT;

	if (port == TFTP_PORT) {
		if (!cfg->tftp.enabled)
			return NF_ACCEPT;
		pxefast_tftp_rx(pn, cfg, dcfg, skb);
		consume_skb(skb);
		return NF_STOLEN;
	}
	if (port == DHCP_SERVER_PORT) {
		/*
		 * Answered, and no DHCP server here to take it too: UDP would
		 * only answer a unicast request (a relay's) with an ICMP port
		 * unreachable, so the datagram ends here.
		 */
		if (cfg->dhcp.proxy &&
		    pxefast_nf_dhcp(pn, cfg, dcfg, skb, port) &&
		    !pxefast_nf_listened(skb)) {
			consume_skb(skb);
			return NF_STOLEN;
		}
		return NF_ACCEPT;
	}
	if (!cfg->dhcp.boot_server)
		return NF_ACCEPT;
	pxefast_nf_dhcp(pn, cfg, dcfg, skb, port);
	consume_skb(skb);
	return NF_STOLEN;
}

/**
 * pxefast_nf_sync - register or unregister @pn's netfilter hooks for @cfg
 * @pn: the namespace, its lock held
 * @cfg: the configuration about to be published
 *
 * Called before @cfg is published, so that a failure refuses it.  Process
 * context.
 *
 * Return: 0 or a negative errno from nf_register_net_hooks().
 */
int pxefast_nf_sync(struct pxefast_net *pn, const struct pxefast_config *cfg)
{
	bool want = cfg->ndevs > 0;
	int err;

	lockdep_assert_held(&pn->lock);
	if (want == pn->nf_hooks)
		return 0;
	if (!want) {
		nf_unregister_net_hooks(pn->net, pn->nf_ops, pn->nf_nops);
		pn->nf_hooks = false;
		return 0;
	}
	pn->nf_ops[0] = (struct nf_hook_ops) {
		.hook		= pxefast_nf_local_in,
		.priv		= pn,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FILTER + 1,
	};
	pn->nf_nops = 1;
	/* Not with IPv6 disabled (ipv6.disable=1): nothing to hear. */
	if (ipv6_mod_enabled())
		pxefast_nf6_ops(pn, &pn->nf_ops[pn->nf_nops++]);
	err = nf_register_net_hooks(pn->net, pn->nf_ops, pn->nf_nops);
	if (!err)
		pn->nf_hooks = true;
	return err;
}

/**
 * pxefast_nf_exit - drop a namespace's netfilter hook
 * @pn: the namespace, which is going away
 *
 * Pernet exit (process context).
 */
void pxefast_nf_exit(struct pxefast_net *pn)
{
	if (pn->nf_hooks)
		nf_unregister_net_hooks(pn->net, pn->nf_ops, pn->nf_nops);
	pn->nf_hooks = false;
}
