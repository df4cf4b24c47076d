// SPDX-License-Identifier: GPL-2.0
/*
 * TFTP packets received: a read request reaches pxefast_tftp_rx() from
 * the netfilter hook on UDP 69 and starts a transfer (or is refused with
 * an ERROR); the client's later packets (ACK, ERROR) reach
 * pxefast_tftp_input() from the socket that reserves the transfer's own
 * server port.  Both run in softirq context.
 */

#include <linux/ip.h>
#include <linux/udp.h>
#include <net/ip.h>
#include "compat.h"
#include "dhcp.h"
#include "tftp.h"

/* Never answer what cannot be a client. */
static bool tftp_bad_source(__be32 saddr)
{
	return ipv4_is_zeronet(saddr) || ipv4_is_multicast(saddr) ||
	       ipv4_is_lbcast(saddr);
}

static void tftp_refuse(struct pxefast_net *pn, __be32 laddr, __be16 lport,
			__be32 caddr, __be16 cport, enum pxefast_stat stat,
			u16 code, const char *msg)
{
	u8 buf[TFTP_HDR_LEN + 64];
	unsigned int len;

	if (stat)
		pxefast_stat_add(pn, stat, 1);
	len = pxefast_tftp_build_error(buf, sizeof(buf), code, msg);
	if (pxefast_tftp_send_raw(pn->net, laddr, lport, caddr, cport, buf,
				  len))
		pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
}

/**
 * pxefast_tftp_rx - a datagram to UDP 69 on a served device
 * @pn: the namespace
 * @cfg: its configuration (RCU), TFTP enabled
 * @dcfg: the device's entry
 * @skb: the datagram, network header at data; not consumed
 */
void pxefast_tftp_rx(struct pxefast_net *pn, struct pxefast_config *cfg,
		     const struct pxefast_dev_cfg *dcfg, struct sk_buff *skb)
{
	__be16 lport = htons(TFTP_PORT);
	const struct udphdr *uh;
	const struct iphdr *iph;
	struct pxefast_tftp_req req;
	const char *why;
	__be32 laddr;
	const u8 *p;
	int len, err;
	u16 code;

	len = pxefast_udp_pull(skb, NF_INET_LOCAL_IN);
	if (len < 2) {
		pxefast_stat_add(pn, PXEFAST_STAT_DROP_MALFORMED, 1);
		return;
	}
	iph = ip_hdr(skb);
	uh = udp_hdr(skb);
	p = (const u8 *)(uh + 1);

	if (tftp_bad_source(iph->saddr) || !uh->source)
		return;
	laddr = iph->daddr;
	if (skb->pkt_type != PACKET_HOST)
		laddr = pxefast_server_addr(dcfg, skb->dev);
	if (!laddr)
		return;

	switch (get_unaligned_be16(p)) {
	case TFTP_RRQ:
		pxefast_stat_add(pn, PXEFAST_STAT_TFTP_RRQ_RX, 1);
		if (pxefast_tftp_parse_rrq(p, len, &req, &code, &why)) {
			tftp_refuse(pn, laddr, lport, iph->saddr, uh->source,
				    code == TFTP_ENOTFOUND ?
				    PXEFAST_STAT_TFTP_ERR_NOT_FOUND :
				    code == TFTP_EACCESS ?
				    PXEFAST_STAT_TFTP_ERR_ACCESS :
				    PXEFAST_STAT_TFTP_ERR_ILLEGAL, code, why);
			return;
		}
		err = pxefast_tftp_new(pn, cfg, &req, p, len,
				       skb->dev->ifindex, iph->saddr,
				       uh->source, laddr);
		if (err == -ENOENT)
			tftp_refuse(pn, laddr, lport, iph->saddr, uh->source,
				    PXEFAST_STAT_TFTP_ERR_NOT_FOUND,
				    TFTP_ENOTFOUND, "file not found");
		else if (err == -EBUSY)
			tftp_refuse(pn, laddr, lport, iph->saddr, uh->source,
				    PXEFAST_STAT_TFTP_ERR_BUSY, TFTP_EUNDEF,
				    "server busy");
		else if (err == -ENOMEM)
			pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
		return;
	case TFTP_WRQ:
		pxefast_stat_add(pn, PXEFAST_STAT_TFTP_WRQ_RX, 1);
		tftp_refuse(pn, laddr, lport, iph->saddr, uh->source,
			    PXEFAST_STAT_TFTP_ERR_ACCESS, TFTP_EACCESS,
			    "read-only server");
		return;
	case TFTP_DATA:
	case TFTP_ACK:
	case TFTP_ERROR:
	case TFTP_OACK:
		return;		/* stray packets of some transfer: no reply */
	default:
		tftp_refuse(pn, laddr, lport, iph->saddr, uh->source,
			    PXEFAST_STAT_TFTP_ERR_ILLEGAL, TFTP_EBADOP,
			    "illegal TFTP operation");
	}
}

/**
 * pxefast_tftp_input - a datagram to the server port of transfer @s
 * @s: the transfer (RCU: may be ending)
 * @skb: the datagram, UDP header at data, checksum verified; consumed
 */
void pxefast_tftp_input(struct pxefast_tftp_session *s, struct sk_buff *skb)
{
	const struct udphdr *uh;
	const struct iphdr *iph;
	const u8 *p;
	bool probe;
	u16 op;

	if (!pskb_may_pull(skb, sizeof(*uh) + TFTP_HDR_LEN) ||
	    !refcount_inc_not_zero(&s->ref))
		goto drop;
	iph = ip_hdr(skb);
	uh = udp_hdr(skb);
	p = (const u8 *)(uh + 1);
	op = get_unaligned_be16(p);

	if (iph->saddr != s->caddr || uh->source != s->cport) {
		/* RFC 1350: tell the stranger, leave the transfer alone. */
		if (op != TFTP_ERROR && skb->pkt_type == PACKET_HOST &&
		    !tftp_bad_source(iph->saddr))
			tftp_refuse(s->pn, iph->daddr, uh->dest, iph->saddr,
				    uh->source, 0, TFTP_EBADID,
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
