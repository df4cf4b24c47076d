// SPDX-License-Identifier: GPL-2.0
/*
 * The end of the DHCP path: count what became of a request and tell the
 * monitor (client seen, offer or ACK sent), once, after the reply has left
 * or failed to.  The protocol core counts nothing itself.
 */

#include "dhcp6.h"

static const enum pxefast_stat pxefast_verdict_stat[] = {
	[PXEFAST_DROP_MALFORMED]	= PXEFAST_STAT_DROP_MALFORMED,
	[PXEFAST_DROP_HTYPE]		= PXEFAST_STAT_DROP_HTYPE,
	[PXEFAST_DROP_ARCH]		= PXEFAST_STAT_DROP_ARCH,
	[PXEFAST_DROP_NO_MAP]		= PXEFAST_STAT_DROP_NO_MAP,
	[PXEFAST_DROP_NO_BIS]		= PXEFAST_STAT_DROP_NO_BIS,
	[PXEFAST_DROP_NO_ADDR]		= PXEFAST_STAT_DROP_NO_ADDR,
	[PXEFAST_DROP_NO_URL]		= PXEFAST_STAT_DROP_NO_URL,
	[PXEFAST_DROP_TX]		= PXEFAST_STAT_TX_ERRORS,
};

/* Why a request got no answer, in the counter of that reason. */
static void pxefast_dhcp_count_verdict(struct pxefast_net *pn,
				       enum pxefast_verdict v)
{
	if (v < ARRAY_SIZE(pxefast_verdict_stat) && pxefast_verdict_stat[v])
		pxefast_stat_add(pn, pxefast_verdict_stat[v], 1);
}

/*
 * For a reply to be sent @delay_ms later (dhcp_delay.c): a queue refusing
 * it (@err) is counted; once queued, it is accounted for when it leaves.
 * Returns false when the reply was not to wait (@delay_ms is 0).
 */
static bool pxefast_dhcp_count_queued(struct pxefast_net *pn, u32 delay_ms,
				      int err)
{
	if (!delay_ms)
		return false;
	if (err == -ENOSPC)
		pxefast_stat_add(pn, PXEFAST_STAT_DHCP_DELAY_DROPS, 1);
	else if (err)
		pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
	return true;
}

/*
 * A DHCP client's source address for an event: NULL when it has none
 * (0.0.0.0), else IPv4-mapped in @buf.
 */
static const struct in6_addr *dhcp_event_addr(__be32 saddr,
					      struct in6_addr *buf)
{
	if (!saddr)
		return NULL;
	ipv6_addr_set_v4mapped(saddr, buf);
	return buf;
}

/**
 * pxefast_dhcp_account_tx - account for a reply sent, or that failed to be
 * @rx: where its request came from (@pn, @ifindex, @saddr, @dport)
 * @reply: the reply (@ack, @arch, @mac, @file)
 * @err: 0 when the reply left, else the negative errno of the send
 *
 * Counts the answer per protocol and architecture and sends the
 * offer-sent or ack-sent event; a failure counts as a transmit error.
 * The delay queue calls this when a delayed reply leaves.
 *
 * Context: softirq, or process context with bottom halves disabled.
 */
void pxefast_dhcp_account_tx(const struct pxefast_dhcp_rx *rx,
			     const struct pxefast_dhcp_reply *reply, int err)
{
	struct pxefast_net *pn = rx->pn;
	struct in6_addr addr;

	if (err) {
		pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
		return;
	}
	pxefast_stat_add(pn, pxefast_dhcp_binl(rx) ? PXEFAST_STAT_BOOT_ACK_TX :
			 PXEFAST_STAT_DHCP_OFFER_TX, 1);
	pxefast_stat_arch(pn, reply->arch, true);
	pxefast_notify_client(pn->net, reply->ack ? PXEFAST_EVENT_ACK_SENT :
			      PXEFAST_EVENT_OFFER_SENT, rx->ifindex,
			      reply->mac, dhcp_event_addr(rx->saddr, &addr),
			      reply->arch, reply->file);
}

/**
 * pxefast_dhcp_account - account for a request at the end of its path
 * @rx: where it came from
 * @reply: what pxefast_dhcp_answer() made of it; a request that failed
 *	the receive path's checks has only @verdict set, to
 *	PXEFAST_DROP_MALFORMED
 * @err: for an answered request, how sending its reply went: 0 when it
 *	left (or, with @reply->delay_ms, was queued to leave later), else
 *	the negative errno of pxefast_dhcp_xmit() or pxefast_dhcp_delay()
 *	(-ENOSPC from the latter: the delay queue is full)
 *
 * Counts the request (per port, PXE, HTTP boot, per architecture, options
 * ignored), why it got no answer, and the answer's fate; tells the monitor
 * of a PXE client's DHCPDISCOVER and of the reply sent.  A delayed reply is
 * accounted for by pxefast_dhcp_account_tx() when it leaves.
 *
 * Context: softirq (the receive path), RCU read lock held.
 */
void pxefast_dhcp_account(const struct pxefast_dhcp_rx *rx,
			  const struct pxefast_dhcp_reply *reply, int err)
{
	struct pxefast_net *pn = rx->pn;
	struct in6_addr addr;
	bool binl = pxefast_dhcp_binl(rx);
	enum pxefast_verdict v = reply->verdict;

	pxefast_stat_add(pn, binl ? PXEFAST_STAT_BOOT_RX :
			 PXEFAST_STAT_DHCP_RX, 1);
	if (reply->bad_options)
		pxefast_stat_add(pn, PXEFAST_STAT_DHCP_BAD_OPTIONS,
				 reply->bad_options);
	if (reply->http && !binl)
		pxefast_stat_add(pn, PXEFAST_STAT_DHCP_HTTP_RX, 1);
	if (reply->pxe) {
		if (!binl)
			pxefast_stat_add(pn, PXEFAST_STAT_DHCP_PXE_RX, 1);
		pxefast_stat_arch(pn, reply->arch, false);
		if (reply->discover)
			pxefast_notify_client(pn->net,
					      PXEFAST_EVENT_CLIENT_SEEN,
					      rx->ifindex, reply->mac,
					      dhcp_event_addr(rx->saddr, &addr),
					      reply->arch, NULL);
	}
	pxefast_dhcp_count_verdict(pn, v);
	if (v != PXEFAST_ANSWER)
		return;
	if (!pxefast_dhcp_count_queued(pn, reply->delay_ms, err))
		pxefast_dhcp_account_tx(rx, reply, err);
}

/**
 * pxefast_dhcp6_account - account for a DHCPv6 request at the end of its path
 * @rx: where it came from
 * @reply: what pxefast_dhcp6_answer() or pxefast_dhcp6_relay() made of
 *	it; a request that failed the receive path's checks has only
 *	@verdict set, to PXEFAST_DROP_MALFORMED
 * @err: for an answered request, 0 when its reply left (or, with
 *	@reply->delay_ms, was queued to leave later), else the negative errno
 *	of pxefast_dhcp6_xmit() or pxefast_dhcp6_delay() (-ENOSPC from the
 *	latter: the delay queue is full, counted as dhcp-delay-drops)
 *
 * Counts the request (per port, and as dhcp6-relay-rx when it came in a
 * Relay-forward; a malformed one as dhcp6-drop-malformed),
 * options ignored, why it got no answer (the reasons DHCP over IPv4
 * counts), the client's architecture, and the reply (Advertise or Reply);
 * tells the monitor of a netboot client's Solicit and of the reply sent
 * (an Advertise as an offer, a Reply as an ACK, with the client's IPv6
 * address).  A delayed reply is accounted for by pxefast_dhcp6_account_tx()
 * when it leaves.
 *
 * Context: softirq (the receive path), RCU read lock held.
 */
void pxefast_dhcp6_account(const struct pxefast_dhcp6_rx *rx,
			   const struct pxefast_dhcp6_reply *reply, int err)
{
	struct pxefast_net *pn = rx->pn;
	enum pxefast_verdict v = reply->verdict;

	pxefast_stat_add(pn, rx->dport == PXE_BINL_PORT ?
			 PXEFAST_STAT_DHCP6_BOOT_RX : PXEFAST_STAT_DHCP6_RX, 1);
	if (reply->relayed)
		pxefast_stat_add(pn, PXEFAST_STAT_DHCP6_RELAY_RX, 1);
	if (reply->bad_options)
		pxefast_stat_add(pn, PXEFAST_STAT_DHCP_BAD_OPTIONS,
				 reply->bad_options);
	if (v == PXEFAST_DROP_MALFORMED) {
		pxefast_stat_add(pn, PXEFAST_STAT_DHCP6_DROP_MALFORMED, 1);
		return;
	}
	if (reply->pxe || reply->http) {
		pxefast_stat_arch(pn, reply->arch, false);
		if (reply->solicit)
			pxefast_notify_client(pn->net,
					      PXEFAST_EVENT_CLIENT_SEEN,
					      rx->ifindex, reply->mac,
					      rx->saddr, reply->arch, NULL);
	}
	pxefast_dhcp_count_verdict(pn, v);
	if (v != PXEFAST_ANSWER)
		return;
	if (!pxefast_dhcp_count_queued(pn, reply->delay_ms, err))
		pxefast_dhcp6_account_tx(rx, reply, err);
}

/**
 * pxefast_dhcp6_account_tx - account for a DHCPv6 reply sent, or that
 *	failed to be
 * @rx: where its request came from (@pn, @ifindex)
 * @reply: the reply (@msg_type, @arch, @mac, @file)
 * @err: 0 when the reply left, else the negative errno of
 *	pxefast_dhcp6_xmit()
 *
 * Counts the Advertise or Reply and the client's architecture and sends
 * the offer-sent (Advertise) or ack-sent (Reply) event; a failure counts
 * as a transmit error.  The delay queue calls this when a delayed reply
 * leaves.
 *
 * Context: softirq, or process context with bottom halves disabled.
 */
void pxefast_dhcp6_account_tx(const struct pxefast_dhcp6_rx *rx,
			      const struct pxefast_dhcp6_reply *reply, int err)
{
	struct pxefast_net *pn = rx->pn;
	bool advertise = reply->msg_type == DHCP6_ADVERTISE;

	if (err) {
		pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
		return;
	}
	pxefast_stat_add(pn, advertise ? PXEFAST_STAT_DHCP6_ADVERTISE_TX :
			 PXEFAST_STAT_DHCP6_REPLY_TX, 1);
	pxefast_stat_arch(pn, reply->arch, true);
	pxefast_notify_client(pn->net, advertise ? PXEFAST_EVENT_OFFER_SENT :
			      PXEFAST_EVENT_ACK_SENT, rx->ifindex, reply->mac,
			      rx->saddr, reply->arch, reply->file);
}
