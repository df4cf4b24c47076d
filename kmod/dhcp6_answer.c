// SPDX-License-Identifier: GPL-2.0
/*
 * The DHCPv6 netboot core: from a request's bytes to its reply's bytes,
 * parse, decide, build, as pxefast_dhcp_answer() does over IPv4.  No
 * sk_buff and no device here; counting and events are left to the end of
 * the path (pxefast_dhcp6_account()).
 *
 * pxefast answers beside the site's DHCPv6 server and gives no address:
 * EDK2's UefiPxeBcDxe and HttpBootDxe take an Advertise without IA_NA
 * carrying option 16 "PXEClient" or "HTTPClient" and option 59 as a proxy
 * offer, and pair it with another server's address.
 */

#include <linux/string.h>
#include "dhcp6.h"

/* The request carries a Server Identifier naming this server. */
static bool dhcp6_names_us(const struct pxefast_dhcp6_rx *rx,
			   const struct pxefast_dhcp6_req *req)
{
	return req->server_id && req->server_id_len == rx->duid_len &&
	       !memcmp(req->server_id, rx->duid, rx->duid_len);
}

/* Is this a request pxefast answers on this port, per the config? */
static bool dhcp6_wanted(const struct pxefast_dhcp6_rx *rx,
			 const struct pxefast_dhcp6_req *req)
{
	const struct pxefast_dhcp_cfg *d = &rx->cfg->dhcp;

	if (!req->m.pxe && !req->m.http)
		return false;
	/*
	 * The PXEv6 boot server step: EDK2 sends a copy of its Request,
	 * with this server's identifier, to the address of option 59's URL
	 * on UDP 4011.  HTTP boot has no such step.
	 */
	if (rx->dport == PXE_BINL_PORT)
		return d->boot_server && !req->m.http &&
		       dhcp6_names_us(rx, req) &&
		       (req->msg_type == DHCP6_REQUEST ||
			req->msg_type == DHCP6_INFORMATION_REQUEST);
	if (!d->proxy)
		return false;
	switch (req->msg_type) {
	case DHCP6_SOLICIT:		/* RFC 8415 16.2 */
		return req->client_id && !req->server_id;
	case DHCP6_INFORMATION_REQUEST:	/* RFC 8415 16.12 */
		return !req->has_ia && (!req->server_id ||
					dhcp6_names_us(rx, req));
	default:
		/* A Request on 547 asks the site's server for its address. */
		return false;
	}
}

/*
 * Whether and with which boot file the request is answered: the verdict,
 * and on an answer @reply->file, @reply->msg_type and @reply->delay_ms.
 */
static void dhcp6_decide(const struct pxefast_dhcp6_rx *rx,
			 const struct pxefast_dhcp6_req *req,
			 struct pxefast_dhcp6_reply *reply)
{
	const struct pxefast_config *cfg = rx->cfg;
	const struct pxefast_map *map;

	if (!dhcp6_wanted(rx, req)) {
		reply->verdict = PXEFAST_IGNORE;
		return;
	}
	if (!pxefast_dhcp_arch_enabled(cfg, reply->arch)) {
		reply->verdict = PXEFAST_DROP_ARCH;
		return;
	}
	map = pxefast_map_lookup(cfg, &req->m);
	if (!map) {
		reply->verdict = PXEFAST_DROP_NO_MAP;
		return;
	}
	/* An HTTP boot client gets the URL an IPv4 one would (http_url.c). */
	reply->file = req->m.http ? map->url : map->file;
	if (!reply->file) {
		reply->verdict = PXEFAST_DROP_NO_URL;
		return;
	}
	/* A file that is not a URL is named by tftp://[this host]/. */
	if (!strstr(reply->file, "://") && !rx->has_addr) {
		reply->verdict = PXEFAST_DROP_NO_ADDR;
		return;
	}
	reply->verdict = PXEFAST_ANSWER;
	reply->msg_type = req->msg_type == DHCP6_SOLICIT ? DHCP6_ADVERTISE :
							   DHCP6_REPLY;
	/* EDK2 reads the boot server's Reply only some time after asking. */
	reply->delay_ms = rx->dport == PXE_BINL_PORT ?
			  PXEFAST_DHCP6_BINL_DELAY_MS : map->delay_ms;
}

/**
 * pxefast_dhcp6_answer - answer a DHCPv6 netboot request, into a buffer
 * @rx: where the request came from, and the configuration to apply
 * @data: the request's UDP payload
 * @len: its length in bytes
 * @buf: where the reply's DHCPv6 message is built (no IPv6 or UDP header)
 * @size: room at @buf in bytes; PXEFAST_DHCP6_REPLY_MAX is always enough
 *	for a boot file URL that fits a reply
 * @reply: filled in for every request, answered or not: the verdict and
 *	what the request said (for the counters)
 *
 * Context: any; RCU read lock held for @rx->cfg.  Reads only within
 * [@data, @data + @len), writes only within [@buf, @buf + @size).
 *
 * A PXE or HTTP boot client's Solicit (with a Client Identifier and no
 * Server Identifier, RFC 8415 16.2) on UDP 547 gets an Advertise; its
 * Information-Request (no IA, no other server's identifier, 16.12) a
 * Reply; its Request or Information-Request naming this server on UDP 4011
 * (the PXEv6 boot server step) a Reply.  Each carries options 1 (echoed),
 * 2, 16 and 59 (RFC 5970 3.1), and no IA, Status Code or Preference, so
 * that the client pairs it with the site server's address offer.  The
 * mapping is chosen as for DHCP over IPv4.  The Reply on UDP 4011 is to
 * leave PXEFAST_DHCP6_BINL_DELAY_MS later, one on 547 the mapping's
 * delay-ms later (@reply->delay_ms).  Nothing is counted or sent.
 *
 * Return: the length in bytes of the reply at @buf; 0 when the request
 * gets no reply (@reply->verdict says why); -ENOSPC when the reply does
 * not fit @size (@reply->verdict is then PXEFAST_DROP_TX).
 */
int pxefast_dhcp6_answer(const struct pxefast_dhcp6_rx *rx, const u8 *data,
			 unsigned int len, u8 *buf, unsigned int size,
			 struct pxefast_dhcp6_reply *reply)
{
	struct pxefast_dhcp6_req req;

	memset(reply, 0, sizeof(*reply));
	reply->verdict = pxefast_dhcp6_parse(data, len, rx->relay_mac,
					     rx->mac, &req);
	if (reply->verdict != PXEFAST_PARSED)
		return 0;
	reply->pxe = req.m.pxe;
	reply->http = req.m.http;
	reply->solicit = req.msg_type == DHCP6_SOLICIT;
	reply->bad_options = req.m.bad_options;
	reply->arch = req.m.has_arch ? req.m.arch : 0;
	memcpy(reply->mac, req.m.mac, ETH_ALEN);

	dhcp6_decide(rx, &req, reply);
	if (reply->verdict != PXEFAST_ANSWER)
		return 0;
	return pxefast_dhcp6_build(rx, &req, reply, buf, size);
}
