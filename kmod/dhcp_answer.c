// SPDX-License-Identifier: GPL-2.0
/*
 * The proxy-DHCP / boot-server core as hooks call it: parse, decide,
 * build, and account for every request in one place.
 */

#include <linux/string.h>
#include "dhcp.h"

static const enum pxefast_stat pxefast_verdict_stat[] = {
	[PXEFAST_DROP_MALFORMED]	= PXEFAST_STAT_DROP_MALFORMED,
	[PXEFAST_DROP_HTYPE]		= PXEFAST_STAT_DROP_HTYPE,
	[PXEFAST_DROP_ARCH]		= PXEFAST_STAT_DROP_ARCH,
	[PXEFAST_DROP_NO_MAP]		= PXEFAST_STAT_DROP_NO_MAP,
	[PXEFAST_DROP_NO_BIS]		= PXEFAST_STAT_DROP_NO_BIS,
	[PXEFAST_DROP_NO_ADDR]		= PXEFAST_STAT_DROP_NO_ADDR,
	[PXEFAST_DROP_TX]		= PXEFAST_STAT_TX_ERRORS,
};

/**
 * pxefast_dhcp_process - parse, decide and build the answer to a request
 * @ctx: where the request came from
 * @data: the UDP payload; NULL for a datagram that failed UDP checks
 * @len: its length in bytes
 * @reply: the buffer for the answer
 *
 * Hooks deliver packets here and send what it builds, then report the
 * outcome with pxefast_dhcp_sent().  Softirq, configuration under RCU.
 *
 * Return: PXEFAST_ANSWER with @reply built, or why there is no answer
 * (counted here).
 */
enum pxefast_verdict pxefast_dhcp_process(const struct pxefast_dhcp_ctx *ctx,
					  const u8 *data, unsigned int len,
					  struct pxefast_dhcp_reply *reply)
{
	struct pxefast_net *pn = ctx->pn;
	struct pxefast_dhcp_req req;
	enum pxefast_verdict v;

	pxefast_stat_add(pn, ctx->binl ? PXEFAST_STAT_BOOT_RX :
			 PXEFAST_STAT_DHCP_RX, 1);
	v = data ? pxefast_dhcp_parse(data, len, &req) : PXEFAST_DROP_MALFORMED;
	if (v == PXEFAST_ANSWER && req.bad_options)
		pxefast_stat_add(pn, PXEFAST_STAT_DHCP_BAD_OPTIONS,
				 req.bad_options);
	if (v == PXEFAST_ANSWER && req.pxe) {
		reply->arch = req.has_arch ? req.arch : 0;
		memcpy(reply->mac, req.hdr->chaddr, ETH_ALEN);
		if (!ctx->binl)
			pxefast_stat_add(pn, PXEFAST_STAT_DHCP_PXE_RX, 1);
		pxefast_stat_arch(pn, reply->arch, false);
		if (req.msg_type == DHCPDISCOVER)
			pxefast_notify_client(pn->net, PXEFAST_EVENT_CLIENT_SEEN,
					      ctx->ifindex, reply->mac,
					      ctx->saddr, reply->arch, NULL);
	}
	if (v == PXEFAST_ANSWER)
		v = pxefast_dhcp_answer(ctx, &req, reply);
	if (v < ARRAY_SIZE(pxefast_verdict_stat) && pxefast_verdict_stat[v])
		pxefast_stat_add(pn, pxefast_verdict_stat[v], 1);
	return v;
}

/**
 * pxefast_dhcp_sent - account for a reply the hook sent or failed to send
 * @ctx: where the request came from
 * @reply: the reply built by pxefast_dhcp_process()
 * @err: 0 when the reply left, else the negative errno of the send
 *
 * Counts the answer per protocol and architecture and sends the
 * offer-sent/ack-sent event.  Softirq.
 */
void pxefast_dhcp_sent(const struct pxefast_dhcp_ctx *ctx,
		       const struct pxefast_dhcp_reply *reply, int err)
{
	struct pxefast_net *pn = ctx->pn;

	if (err) {
		pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
		return;
	}
	pxefast_stat_add(pn, ctx->binl ? PXEFAST_STAT_BOOT_ACK_TX :
			 PXEFAST_STAT_DHCP_OFFER_TX, 1);
	pxefast_stat_arch(pn, reply->arch, true);
	pxefast_notify_client(pn->net, reply->ack ? PXEFAST_EVENT_ACK_SENT :
			      PXEFAST_EVENT_OFFER_SENT, ctx->ifindex,
			      reply->mac, ctx->saddr, reply->arch,
			      reply->file);
}
