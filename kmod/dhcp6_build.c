// SPDX-License-Identifier: GPL-2.0
/*
 * Build the DHCPv6 reply the core decided on, into a caller's buffer: an
 * Advertise to a Solicit, a Reply to an Information-Request or to the
 * PXEv6 boot server step on UDP 4011.  The message only: the transmit
 * path (dhcp6_xmit.c) adds the IPv6 and UDP headers.
 */

#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "dhcp6.h"

/* Start an option (RFC 8415 21.1) whose length is known only at its end. */
static u8 *dhcp6_open(struct dhcp_writer *w, u16 code)
{
	u8 *p = dhcp_put(w, DHCP6_OPT_HDR_LEN);

	if (p)
		put_unaligned_be16(code, p);
	return p;
}

static void dhcp6_close(struct dhcp_writer *w, u8 *start)
{
	if (start && !w->overflow)
		put_unaligned_be16(w->p - start - DHCP6_OPT_HDR_LEN, start + 2);
}

static void dhcp6_put_bytes(struct dhcp_writer *w, const void *data,
			    size_t len)
{
	u8 *p = dhcp_put(w, len);

	if (p)
		memcpy(p, data, len);
}

static void dhcp6_put_opt(struct dhcp_writer *w, u16 code, const void *data,
			  size_t len)
{
	u8 *opt = dhcp6_open(w, code);

	dhcp6_put_bytes(w, data, len);
	dhcp6_close(w, opt);
}

/*
 * Option 16 (RFC 8415 21.16): enterprise 343 and one class, "PXEClient"
 * or "HTTPClient", which EDK2 looks for at the option's sixth byte.
 */
static void dhcp6_put_vendor_class(struct dhcp_writer *w, bool http)
{
	const char *cls = http ? "HTTPClient" : "PXEClient";
	u8 *opt = dhcp6_open(w, D6O_VENDOR_CLASS);
	u8 *p = dhcp_put(w, 6);

	if (p) {
		put_unaligned_be32(DHCP6_ENTERPRISE_PXE, p);
		put_unaligned_be16(strlen(cls), p + 4);
	}
	dhcp6_put_bytes(w, cls, strlen(cls));
	dhcp6_close(w, opt);
}

/*
 * Option 59 (RFC 5970 3.1): a URL as configured, else tftp://[A]/ and the
 * file as a URL path, A this host's address in brackets (RFC 3986 3.2.2),
 * which EDK2 percent-decodes back to the TFTP name.
 */
static void dhcp6_put_url(struct dhcp_writer *w,
			  const struct pxefast_dhcp6_rx *rx, const char *file)
{
	char host[sizeof("tftp://[]/") + INET6_ADDRSTRLEN];
	u8 *opt, *p;
	int n;

	if (strstr(file, "://")) {
		dhcp6_put_opt(w, D6O_BOOTFILE_URL, file, strlen(file));
		return;
	}
	opt = dhcp6_open(w, D6O_BOOTFILE_URL);
	n = snprintf(host, sizeof(host), "tftp://[%pI6c]/", &rx->addr);
	dhcp6_put_bytes(w, host, n);
	p = dhcp_put(w, pxefast_url_path_len(file));
	if (p)
		pxefast_url_path_put((char *)p, file);
	dhcp6_close(w, opt);
}

/**
 * pxefast_dhcp6_build - build the reply to a DHCPv6 request
 * @rx: where the request came from (this server's DUID and address)
 * @req: the request, from pxefast_dhcp6_parse()
 * @reply: the decision (@msg_type, @file, @http)
 * @buf: where the message goes
 * @size: room at @buf in bytes
 *
 * Context: any; RCU read lock held for @rx->cfg.
 *
 * The request's transaction id, then options 1 (the client's identifier
 * echoed, when it sent one; RFC 8415 18.3.9), 2 (this server's DUID), 16
 * (enterprise 343, "PXEClient" or "HTTPClient") and 59 (the boot file
 * URL, RFC 5970 3.1).  No IA, Status Code (EDK2 drops an Advertise whose
 * status is not Success), Preference (255 would make EDK2 choose before
 * the site server's offer arrives) or Server Unicast.  At most
 * PXEFAST_DHCP6_REPLY_MAX bytes.
 *
 * Return: the length in bytes of the message at @buf, or -ENOSPC when it
 * does not fit (@reply->verdict is then PXEFAST_DROP_TX).
 */
int pxefast_dhcp6_build(const struct pxefast_dhcp6_rx *rx,
			const struct pxefast_dhcp6_req *req,
			struct pxefast_dhcp6_reply *reply, u8 *buf,
			unsigned int size)
{
	struct dhcp_writer w = {
		.p = buf,
		.end = buf + min_t(unsigned int, size, PXEFAST_DHCP6_REPLY_MAX),
	};
	u8 *hdr = dhcp_put(&w, DHCP6_HDR_LEN);

	if (hdr) {
		hdr[0] = reply->msg_type;
		memcpy(hdr + 1, req->xid, 3);
	}
	if (req->client_id)
		dhcp6_put_opt(&w, D6O_CLIENTID, req->client_id,
			      req->client_id_len);
	dhcp6_put_opt(&w, D6O_SERVERID, rx->duid, rx->duid_len);
	dhcp6_put_vendor_class(&w, reply->http);
	dhcp6_put_url(&w, rx, reply->file);
	if (w.overflow) {
		reply->verdict = PXEFAST_DROP_TX;
		return -ENOSPC;
	}
	return w.p - buf;
}
