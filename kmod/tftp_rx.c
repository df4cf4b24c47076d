// SPDX-License-Identifier: GPL-2.0
/*
 * TFTP packets received, over IPv4 or IPv6: a read request reaches
 * pxefast_tftp_rx() (or pxefast_tftp_rx6()) from the netfilter hook on UDP
 * 69 and starts a transfer (or is refused with an ERROR); the client's
 * later packets (ACK, ERROR) reach pxefast_tftp_input() from the socket
 * that reserves the transfer's own server port.  All run in softirq
 * context.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "addr.h"
#include "compat.h"
#include "dhcp.h"
#include "tftp.h"

/*
 * The link of an IPv6 client that needs one to be reached (link-local,
 * RFC 4007 section 6): the interface it was heard on; else 0.
 */
static int tftp_scope(const struct in6_addr *caddr, int ifindex)
{
	return __ipv6_addr_needs_scope_id(__ipv6_addr_type(caddr)) ? ifindex : 0;
}

/* Whether a reply may go to @p's client (RFC 1122 3.2.1.3, RFC 4291 2.7). */
static bool tftp_unicast(const struct pxefast_tftp_peer *p)
{
	return pxefast_tftp_peer_v6(p) ?
	       pxefast_addr6_unicast(&p->caddr) :
	       pxefast_addr_unicast(p->caddr.s6_addr32[3]);
}

static void tftp_refuse(struct pxefast_net *pn,
			const struct pxefast_tftp_peer *p, __be16 lport,
			enum pxefast_stat stat, u16 code, const char *msg)
{
	u8 buf[TFTP_HDR_LEN + 64];
	unsigned int len;

	if (stat)
		pxefast_stat_add(pn, stat, 1);
	len = pxefast_tftp_build_error(buf, sizeof(buf), code, msg);
	if (pxefast_tftp_send_raw(pn->net, p, lport, buf, len))
		pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
}

/*
 * A datagram of @len bytes at @p to UDP 69 from @peer, heard on @ifindex:
 * start a transfer, or refuse with an ERROR.  Either IP version.
 */
static void tftp_request(struct pxefast_net *pn, struct pxefast_config *cfg,
			 int ifindex, const struct pxefast_tftp_peer *peer,
			 const u8 *p, unsigned int len)
{
	__be16 lport = htons(TFTP_PORT);
	struct pxefast_tftp_req req;
	const char *why;
	int err;
	u16 code;

	switch (get_unaligned_be16(p)) {
	case TFTP_RRQ:
		pxefast_stat_add(pn, PXEFAST_STAT_TFTP_RRQ_RX, 1);
		if (pxefast_tftp_peer_v6(peer))
			pxefast_stat_add(pn, PXEFAST_STAT_TFTP6_RRQ_RX, 1);
		if (pxefast_tftp_parse_rrq(p, len, &req, &code, &why)) {
			tftp_refuse(pn, peer, lport,
				    code == TFTP_ENOTFOUND ?
				    PXEFAST_STAT_TFTP_ERR_NOT_FOUND :
				    code == TFTP_EACCESS ?
				    PXEFAST_STAT_TFTP_ERR_ACCESS :
				    PXEFAST_STAT_TFTP_ERR_ILLEGAL, code, why);
			return;
		}
		err = pxefast_tftp_new(pn, cfg, &req, p, len, ifindex, peer);
		if (err == -ENOENT)
			tftp_refuse(pn, peer, lport,
				    PXEFAST_STAT_TFTP_ERR_NOT_FOUND,
				    TFTP_ENOTFOUND, "file not found");
		else if (err == -EBUSY)
			tftp_refuse(pn, peer, lport,
				    PXEFAST_STAT_TFTP_ERR_BUSY, TFTP_EUNDEF,
				    "server busy");
		else if (err == -ENOMEM)
			pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
		return;
	case TFTP_WRQ:
		pxefast_stat_add(pn, PXEFAST_STAT_TFTP_WRQ_RX, 1);
		tftp_refuse(pn, peer, lport, PXEFAST_STAT_TFTP_ERR_ACCESS,
			    TFTP_EACCESS, "read-only server");
		return;
	case TFTP_DATA:
	case TFTP_ACK:
	case TFTP_ERROR:
	case TFTP_OACK:
		return;		/* stray packets of some transfer: no reply */
	default:
		tftp_refuse(pn, peer, lport, PXEFAST_STAT_TFTP_ERR_ILLEGAL,
			    TFTP_EBADOP, "illegal TFTP operation");
	}
}

/**
 * pxefast_tftp_rx - a datagram to UDP 69 on a served device, over IPv4
 * @pn: the namespace
 * @cfg: its configuration (RCU), TFTP enabled
 * @dcfg: the device's entry
 * @skb: the datagram, network header at data; not consumed
 *
 * A request sent to a broadcast address is answered from the device's
 * server address (pxefast_server_addr()).  Softirq (netfilter hook).
 */
void pxefast_tftp_rx(struct pxefast_net *pn, struct pxefast_config *cfg,
		     const struct pxefast_dev_cfg *dcfg, struct sk_buff *skb)
{
	struct pxefast_tftp_peer peer = {};
	const struct udphdr *uh;
	const struct iphdr *iph;
	__be32 laddr;
	int len;

	len = pxefast_udp_pull(skb, NF_INET_LOCAL_IN);
	if (len < 2) {
		pxefast_stat_add(pn, PXEFAST_STAT_DROP_MALFORMED, 1);
		return;
	}
	iph = ip_hdr(skb);
	uh = udp_hdr(skb);
	if (!pxefast_addr_unicast(iph->saddr) || !uh->source)
		return;
	laddr = iph->daddr;
	if (skb->pkt_type != PACKET_HOST)
		laddr = pxefast_server_addr(dcfg, skb->dev);
	if (!laddr)
		return;

	ipv6_addr_set_v4mapped(iph->saddr, &peer.caddr);
	ipv6_addr_set_v4mapped(laddr, &peer.laddr);
	peer.cport = uh->source;
	tftp_request(pn, cfg, skb->dev->ifindex, &peer, (const u8 *)(uh + 1),
		     len);
}

/**
 * pxefast_tftp_rx6 - a datagram to UDP 69 on a served device, over IPv6
 * @pn: the namespace
 * @cfg: its configuration (RCU), TFTP enabled
 * @skb: the datagram, network header at data; not consumed
 * @thoff: the offset of its UDP header (past extension headers)
 *
 * Answered from the address the client sent to; a request to a multicast
 * address is not answered.  A link-local client is answered through the
 * interface it was heard on.  Softirq (netfilter hook).
 */
void pxefast_tftp_rx6(struct pxefast_net *pn, struct pxefast_config *cfg,
		      struct sk_buff *skb, unsigned int thoff)
{
	struct pxefast_tftp_peer peer = {};
	const struct ipv6hdr *ip6h;
	const struct udphdr *uh;
	int len;

	len = pxefast_udp_pull_at(skb, NF_INET_LOCAL_IN, NFPROTO_IPV6, thoff);
	if (len < 2) {
		pxefast_stat_add(pn, PXEFAST_STAT_DROP_MALFORMED, 1);
		return;
	}
	ip6h = ipv6_hdr(skb);
	uh = udp_hdr(skb);
	if (!pxefast_addr6_unicast(&ip6h->saddr) ||
	    ipv6_addr_is_multicast(&ip6h->daddr) || !uh->source)
		return;

	peer.caddr = ip6h->saddr;
	peer.laddr = ip6h->daddr;
	peer.cport = uh->source;
	peer.scope = tftp_scope(&peer.caddr, skb->dev->ifindex);
	tftp_request(pn, cfg, skb->dev->ifindex, &peer, (const u8 *)(uh + 1),
		     len);
}

/*
 * Where a datagram to a transfer's port came from, and the address it
 * was sent to, as a peer.
 */
static void tftp_skb_peer(const struct sk_buff *skb,
			  struct pxefast_tftp_peer *p)
{
	if (skb->protocol == htons(ETH_P_IPV6)) {
		p->caddr = ipv6_hdr(skb)->saddr;
		p->laddr = ipv6_hdr(skb)->daddr;
		p->scope = tftp_scope(&p->caddr, skb->dev->ifindex);
	} else {
		ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr, &p->caddr);
		ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr, &p->laddr);
		p->scope = 0;
	}
	p->cport = udp_hdr(skb)->source;
}

/**
 * pxefast_tftp_input - a datagram to the server port of transfer @s
 * @s: the transfer (RCU: may be ending)
 * @skb: the datagram, UDP header at data, checksum verified; consumed
 */
void pxefast_tftp_input(struct pxefast_tftp_session *s, struct sk_buff *skb)
{
	struct pxefast_tftp_peer src;
	const struct udphdr *uh;
	const u8 *p;
	bool probe;
	u16 op;

	if (!pskb_may_pull(skb, sizeof(*uh) + TFTP_HDR_LEN) ||
	    !refcount_inc_not_zero(&s->ref))
		goto drop;
	uh = udp_hdr(skb);
	p = (const u8 *)(uh + 1);
	op = get_unaligned_be16(p);
	tftp_skb_peer(skb, &src);

	if (!pxefast_tftp_same_host(&src, &s->peer) ||
	    src.cport != s->peer.cport) {
		/* RFC 1350: tell the stranger, leave the transfer alone. */
		if (op != TFTP_ERROR && skb->pkt_type == PACKET_HOST &&
		    tftp_unicast(&src))
			tftp_refuse(s->pn, &src, uh->dest, 0, TFTP_EBADID,
				    "unknown transfer ID");
		goto put;
	}

	spin_lock_bh(&s->lock);
	s->heard = true;
	probe = s->state == TFTP_S_OACK && s->asked.tsize;
	spin_unlock_bh(&s->lock);

	switch (op) {
	case TFTP_ACK:
		pxefast_tftp_ack(s, get_unaligned_be16(p + 2));
		break;
	case TFTP_ERROR:
		/*
		 * EDK2 asks for tsize, then aborts after the OACK (with ERROR
		 * 8) to ask again with the size known: a probe, not a failure.
		 */
		if (probe) {
			pxefast_tftp_end(s, TFTP_END_PROBE, get_unaligned_be16(p + 2),
					 NULL);
			break;
		}
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_CLIENT_ERR);
		pxefast_tftp_end(s, TFTP_END_CLIENT, get_unaligned_be16(p + 2), NULL);
		break;
	default:
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_ERR_ILLEGAL);
		pxefast_tftp_end(s, TFTP_END_FAILED, TFTP_EBADOP,
				 "illegal TFTP operation");
		break;
	}
put:
	pxefast_tftp_put(s);
	consume_skb(skb);
	return;
drop:
	kfree_skb(skb);
}
