// SPDX-License-Identifier: GPL-2.0
/*
 * The proxy-DHCP / boot-server core: from a request's bytes to its reply's
 * bytes, in one pass: parse, decide, build.  No sk_buff and no device
 * here: the netfilter receive path (rx_nf.c) calls it today, and any
 * other receive path calls it the same way and gets the same bytes.
 * Counting and events are left to the end of the path
 * (pxefast_dhcp_account()).
 */

#include <linux/string.h>
#include "dhcp.h"

/**
 * pxefast_dhcp_answer - answer a DHCP request, into a buffer
 * @rx: where the request came from, and the configuration to apply
 * @data: the request's UDP payload
 * @len: its length in bytes
 * @buf: where the reply is built: the IPv4 header (20 bytes, no options),
 *	the UDP header, then the BOOTP/DHCP message
 * @size: room at @buf in bytes; PXEFAST_DHCP_FRAME_MAX is always enough
 * @reply: filled in for every request, answered or not: the verdict, what
 *	the request said (for the counters) and how to send the reply
 *
 * Context: any; RCU read lock held for @rx->cfg.  Reads only within
 * [@data, @data + @len), writes only within [@buf, @buf + @size).
 *
 * Parses the request (RFC 2131, RFC 2132, RFC 4578), decides whether and
 * with which mapping it is answered (PXE 2.1 2.2 proxy offer on UDP 67,
 * 2.4 boot server ACK on UDP 4011), builds the reply and its IPv4 and UDP
 * headers (checksums included).  The link-layer destination is the
 * request's source, or the broadcast address when @reply->broadcast.
 * Nothing is counted or sent here.
 *
 * Return: the length in bytes of the reply at @buf; 0 when the request
 * gets no reply (@reply->verdict says why); -EMSGSIZE when the reply would
 * exceed the client's maximum message size (RFC 2132 9.10), -ENOSPC when
 * it does not fit @size (@reply->verdict is then PXEFAST_DROP_TX).
 */
int pxefast_dhcp_answer(const struct pxefast_dhcp_rx *rx, const u8 *data,
			unsigned int len, u8 *buf, unsigned int size,
			struct pxefast_dhcp_reply *reply)
{
	const struct pxefast_map *map;
	struct pxefast_dhcp_req req;

	memset(reply, 0, sizeof(*reply));
	reply->verdict = pxefast_dhcp_parse(data, len, &req);
	if (reply->verdict != PXEFAST_ANSWER)
		return 0;
	reply->pxe = req.pxe;
	reply->discover = req.msg_type == DHCPDISCOVER;
	reply->bad_options = req.bad_options;
	reply->arch = req.has_arch ? req.arch : 0;
	memcpy(reply->mac, req.hdr->chaddr, ETH_ALEN);

	map = pxefast_dhcp_decide(rx, &req, reply);
	if (!map)
		return 0;
	return pxefast_dhcp_build(rx, &req, map, reply, buf, size);
}
