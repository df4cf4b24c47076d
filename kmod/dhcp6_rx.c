// SPDX-License-Identifier: GPL-2.0
/*
 * A DHCPv6 request to UDP 547 or 4011 on an interface served over
 * DHCPv6, from the IPv6 hook (rx_nf6.c): skb to bytes, answer (the core,
 * dhcp6_answer.c; in relay agents' wrapping, dhcp6_relay.c), send or
 * queue to send later (dhcp_delay.c), account.
 * The request is never consumed here.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include "dhcp6.h"

/*
 * Replies are built here, then copied into an skb only when there is one
 * to send.  The hook runs with bottom halves disabled, so a per-CPU
 * buffer is ours for the call.
 */
struct pxefast_dhcp6_scratch {
	u8 buf[PXEFAST_DHCP6_REPLY_MAX];
};

static DEFINE_PER_CPU(struct pxefast_dhcp6_scratch, pxefast_dhcp6_scratch);

/*
 * This server's DUID on @dev (RFC 8415 11.4, DUID-LL): stable while the
 * interface keeps its address, and unlike the DUID-LLT a DHCPv6 server on
 * the same host (dnsmasq, Kea) makes, so clients tell the two apart.
 * Returns its length.
 */
static unsigned int dhcp6_server_duid(const struct net_device *dev, u8 *duid)
{
	put_unaligned_be16(DHCP6_DUID_LL, duid);
	put_unaligned_be16(dev->type, duid + 2);	/* ARPHRD_ETHER is 1 */
	memcpy(duid + 4, dev->dev_addr, dev->addr_len);
	return 4 + dev->addr_len;
}

/*
 * A client's request, or on UDP 547 a relay agent's Relay-forward of one
 * (RFC 8415 19), answered into @buf; as pxefast_dhcp6_answer().
 */
static int dhcp6_rx_answer(struct pxefast_dhcp6_rx *rx, const u8 *data,
			   unsigned int len, u8 *buf,
			   struct pxefast_dhcp6_reply *reply)
{
	if (rx->dport == DHCP6_SERVER_PORT && len &&
	    data[0] == DHCP6_RELAY_FORW)
		return pxefast_dhcp6_relay(rx, data, len, buf,
					   PXEFAST_DHCP6_REPLY_MAX, reply);
	return pxefast_dhcp6_answer(rx, data, len, buf,
				    PXEFAST_DHCP6_REPLY_MAX, reply);
}

/**
 * pxefast_dhcp6_rx - receive, answer and account for a DHCPv6 request
 * @pn: the namespace
 * @cfg: its configuration (RCU)
 * @dcfg: the served interface the request arrived on
 * @skb: the request, network header at data; not consumed
 * @thoff: the offset of its UDP header from data
 * @port: its UDP destination port: DHCP6_SERVER_PORT or PXE_BINL_PORT
 *
 * Context: softirq (netfilter hook), RCU read lock held.
 *
 * Return: true when the request was answered (its reply sent or queued).
 */
bool pxefast_dhcp6_rx(struct pxefast_net *pn, const struct pxefast_config *cfg,
		      const struct pxefast_dev_cfg *dcfg, struct sk_buff *skb,
		      unsigned int thoff, u16 port)
{
	u8 *buf = this_cpu_ptr(&pxefast_dhcp6_scratch)->buf;
	struct net_device *dev = skb->dev;
	u8 duid[PXEFAST_DHCP6_DUID_LL_MAX];
	struct pxefast_dhcp6_rx rx = {
		.pn = pn,
		.cfg = cfg,
		.ifindex = dev->ifindex,
		.dport = port,
		.duid = duid,
	};
	struct pxefast_dhcp6_reply reply = {
		.verdict = PXEFAST_DROP_MALFORMED,
	};
	const struct in6_addr *saddr;
	const struct ipv6hdr *ip6h;
	const struct udphdr *uh = NULL;
	int len, err = 0;

	len = pxefast_udp_pull_at(skb, NF_INET_LOCAL_IN, NFPROTO_IPV6, thoff);
	ip6h = ipv6_hdr(skb);
	/* RFC 8415 13: clients send from a link-local or other unicast one. */
	if (len >= 0 && !(ipv6_addr_type(&ip6h->saddr) & IPV6_ADDR_UNICAST))
		len = -1;
	if (len >= 0) {
		uh = (const struct udphdr *)(skb->data + thoff);
		rx.saddr = &ip6h->saddr;
		if (skb_mac_header_was_set(skb) && dev->type == ARPHRD_ETHER)
			rx.mac = eth_hdr(skb)->h_source;
		rx.duid_len = dhcp6_server_duid(dev, duid);
		rx.has_addr = pxefast_server_addr6(dcfg, dev, &rx.addr);
		len = dhcp6_rx_answer(&rx, (const u8 *)(uh + 1), len, buf,
				      &reply);
	}
	if (len > 0) {
		/*
		 * From the address asked, or the one the stack picks; to the
		 * client, or the relay agent that forwarded its request.
		 */
		saddr = ipv6_addr_is_multicast(&ip6h->daddr) ? NULL :
							       &ip6h->daddr;
		err = reply.delay_ms ?
		      pxefast_dhcp6_delay(&rx, &reply, saddr, &ip6h->saddr,
					  uh->source, buf, len) :
		      pxefast_dhcp6_xmit(dev, saddr, &ip6h->saddr, htons(port),
					 uh->source, buf, len);
	}
	pxefast_dhcp6_account(&rx, &reply, err);
	return len > 0 && !err;
}
