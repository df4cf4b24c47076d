// SPDX-License-Identifier: GPL-2.0
/*
 * Build the reply the matcher decided on, into a caller's buffer: a proxy
 * DHCPOFFER or DHCPACK (UDP 67) or a boot server DHCPACK (UDP 4011), then
 * the IPv4 and UDP headers in front of it, checksums included, so that a
 * receive path sends the bytes as they are.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include <net/checksum.h>
#include <net/ip.h>
#include "dhcp.h"

static void dhcp_put_opt(struct dhcp_writer *w, u8 code, const void *data,
			 unsigned int len)
{
	u8 *p;

	if (len > 255) {
		w->overflow = true;
		return;
	}
	p = dhcp_put(w, 2 + len);
	if (!p)
		return;
	p[0] = code;
	p[1] = len;
	memcpy(p + 2, data, len);
}

static void dhcp_put_u8(struct dhcp_writer *w, u8 code, u8 v)
{
	dhcp_put_opt(w, code, &v, 1);
}

static void dhcp_put_end(struct dhcp_writer *w)
{
	u8 *p = dhcp_put(w, 1);

	if (p)
		*p = DHO_END;
}

/* Start an option whose length is known only at its end. */
static u8 *dhcp_open(struct dhcp_writer *w, u8 code)
{
	u8 *p = dhcp_put(w, 2);

	if (p)
		p[0] = code;
	return p;
}

static void dhcp_close(struct dhcp_writer *w, u8 *start)
{
	unsigned int len;

	if (!start || w->overflow)
		return;
	len = w->p - start - 2;
	if (len > 255)
		w->overflow = true;
	else
		start[1] = len;
}

/* PXE 2.1 option 43.8: servers of each type, this host where none is set. */
static void dhcp_put_servers(struct dhcp_writer *w,
			     const struct pxefast_config *cfg, __be32 self)
{
	u8 *opt = dhcp_open(w, PXE_BOOT_SERVERS);
	unsigned int i;

	for (i = 0; i < cfg->nservers; i++) {
		const struct pxefast_server *s = &cfg->servers[i];
		unsigned int n = s->naddrs ?: 1;
		u8 *p = dhcp_put(w, 3 + 4 * n);

		if (!p)
			return;
		put_unaligned_be16(s->type, p);
		p[2] = n;
		if (s->naddrs)
			memcpy(p + 3, s->addrs, 4 * n);
		else
			memcpy(p + 3, &self, 4);
	}
	dhcp_close(w, opt);
}

/* 43.9 and 43.10: the boot menu and its prompt. */
static void dhcp_put_menu(struct dhcp_writer *w, const struct pxefast_menu *m)
{
	u8 *opt = dhcp_open(w, PXE_BOOT_MENU);
	unsigned int i;
	size_t len;
	u8 *p;

	for (i = 0; i < m->nitems; i++) {
		len = min_t(size_t, strlen(m->items[i].label), 255);
		p = dhcp_put(w, 3 + len);
		if (!p)
			return;
		put_unaligned_be16(m->items[i].type, p);
		p[2] = len;
		memcpy(p + 3, m->items[i].label, len);
	}
	dhcp_close(w, opt);

	len = min_t(size_t, strlen(m->prompt), 254);
	opt = dhcp_open(w, PXE_MENU_PROMPT);
	p = dhcp_put(w, 1 + len);
	if (!p)
		return;
	p[0] = m->timeout;
	memcpy(p + 1, m->prompt, len);
	dhcp_close(w, opt);
}

static void dhcp_put_offer_vendor(struct dhcp_writer *w,
				  const struct pxefast_config *cfg,
				  __be32 self)
{
	u8 *opt = dhcp_open(w, DHO_VENDOR_OPTS);
	u8 disc = pxefast_dhcp_discovery(cfg);

	dhcp_put_u8(w, PXE_DISCOVERY_CONTROL, disc);
	if (cfg->dhcp.mcast_addr)
		dhcp_put_opt(w, PXE_DISCOVERY_MCAST, &cfg->dhcp.mcast_addr, 4);
	if (cfg->nservers)
		dhcp_put_servers(w, cfg, self);
	if (cfg->menu.prompt)
		dhcp_put_menu(w, &cfg->menu);
	dhcp_put_end(w);
	dhcp_close(w, opt);
}

/* 43 of a boot server ACK: the boot item asked for, echoed. */
static void dhcp_put_ack_vendor(struct dhcp_writer *w,
				const struct pxefast_dhcp_req *req)
{
	u8 *opt = dhcp_open(w, DHO_VENDOR_OPTS);
	u8 item[4];

	put_unaligned_be16(req->item_type, item);
	put_unaligned_be16(req->item_layer, item + 2);
	dhcp_put_opt(w, PXE_BOOT_ITEM, item, sizeof(item));
	dhcp_put_end(w);
	dhcp_close(w, opt);
}

/*
 * The IPv4 and UDP headers in front of the @len bytes of message at
 * @buf + PXEFAST_DHCP_HDRS_LEN, addressed as RFC 2131 4.1 says (see
 * pxefast_dhcp_build()); a boot server answers the port it was asked on.
 */
static void dhcp_put_headers(const struct pxefast_dhcp_rx *rx,
			     const struct bootp_hdr *rq,
			     const struct pxefast_dhcp_reply *reply, u8 *buf,
			     unsigned int len)
{
	struct iphdr *iph = (struct iphdr *)buf;
	struct udphdr *uh = (struct udphdr *)(iph + 1);
	bool binl = pxefast_dhcp_binl(rx);
	unsigned int ulen = sizeof(*uh) + len;

	iph->saddr = rx->server_addr;
	uh->source = htons(binl ? PXE_BINL_PORT : DHCP_SERVER_PORT);
	if (reply->broadcast) {
		iph->daddr = htonl(INADDR_BROADCAST);
		uh->dest = binl ? rx->sport : htons(DHCP_CLIENT_PORT);
	} else if (binl) {
		iph->daddr = rx->saddr;
		uh->dest = rx->sport;
	} else if (rq->giaddr) {
		iph->daddr = rq->giaddr;
		uh->dest = htons(DHCP_SERVER_PORT);
	} else {
		iph->daddr = rq->ciaddr;
		uh->dest = htons(DHCP_CLIENT_PORT);
	}

	uh->len = htons(ulen);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
				      IPPROTO_UDP, csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(sizeof(*iph) + ulen);
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	ip_send_check(iph);
}

/* Room for the message: the client's option 57 less IP and UDP headers. */
static unsigned int dhcp_client_room(const struct pxefast_dhcp_req *req)
{
	return max_t(unsigned int, req->max_msg, DHCP_MIN_MAX_MSG) -
	       PXEFAST_DHCP_HDRS_LEN;
}

/**
 * pxefast_dhcp_build - build the reply to a request, headers included
 * @rx: where the request came from and the configuration to apply
 * @req: the request, from pxefast_dhcp_parse()
 * @map: the client's mapping, from pxefast_dhcp_decide()
 * @reply: the decision (@ack, @file); @broadcast is set here
 * @buf: where the IPv4 header, the UDP header and the message go
 * @size: room at @buf in bytes
 *
 * Context: any; RCU read lock held for @rx->cfg.
 *
 * A proxy DHCPOFFER or proxy DHCPACK on 67 (PXE 2.1 2.2), or a boot server
 * DHCPACK on 4011 (PXE 2.1 2.4).  A UEFI HTTP boot client's proxy
 * DHCPOFFER has option 60 "HTTPClient", its URL in option 67 and in the
 * file field when it fits, siaddr 0 and no option 43.  Proxy replies
 * carry the broadcast flag (RFC 2131 4.1), a request's option 82 is
 * echoed as the last option (RFC 3046 2.2), and options follow each other
 * with no PAD between them.
 * The message is at most PXEFAST_DHCP_REPLY_MAX bytes and within the
 * client's maximum message size (option 57, RFC 2132 9.10).
 *
 * Return: the length in bytes of what was built at @buf; -EMSGSIZE when
 * the message exceeds the client's maximum message size, -ENOSPC when it
 * does not fit @size (in both cases @reply->verdict is PXEFAST_DROP_TX).
 */
int pxefast_dhcp_build(const struct pxefast_dhcp_rx *rx,
		       const struct pxefast_dhcp_req *req,
		       const struct pxefast_map *map,
		       struct pxefast_dhcp_reply *reply, u8 *buf,
		       unsigned int size)
{
	const struct pxefast_config *cfg = rx->cfg;
	const struct bootp_hdr *rq = req->hdr;
	bool proxy = !pxefast_dhcp_binl(rx);
	const char *file = reply->file;
	unsigned int room, client;
	struct dhcp_writer w;
	struct bootp_hdr *h;

	room = size > PXEFAST_DHCP_HDRS_LEN ? size - PXEFAST_DHCP_HDRS_LEN : 0;
	room = min_t(unsigned int, room, PXEFAST_DHCP_REPLY_MAX);
	client = dhcp_client_room(req);
	if (min(room, client) < BOOTP_MIN_LEN) {
		reply->verdict = PXEFAST_DROP_TX;
		return room < BOOTP_MIN_LEN ? -ENOSPC : -EMSGSIZE;
	}
	h = (struct bootp_hdr *)(buf + PXEFAST_DHCP_HDRS_LEN);
	memset(h, 0, BOOTP_MIN_LEN);
	h->op = BOOTP_REPLY;
	h->htype = rq->htype;
	h->hlen = rq->hlen;
	h->xid = rq->xid;
	/*
	 * A proxy reply gives no address, so a relay could only unicast it
	 * to yiaddr 0.0.0.0: ask for a broadcast (RFC 2131 4.1), as dnsmasq
	 * does.  The client may have no address yet on 67 either way.
	 */
	h->flags = proxy ? htons(BOOTP_FLAG_BROADCAST) : rq->flags;
	h->ciaddr = proxy ? 0 : rq->ciaddr;
	/* HTTP boot takes no next server: its URL names the host. */
	h->siaddr = reply->http ? 0 : map->next_server ?: rx->server_addr;
	h->giaddr = rq->giaddr;
	memcpy(h->chaddr, rq->chaddr, sizeof(h->chaddr));
	h->magic = htonl(DHCP_MAGIC);
	if (file && strlen(file) < sizeof(h->file))
		strscpy(h->file, file, sizeof(h->file));

	w.p = h->options;
	w.end = (u8 *)h + min(room, client);
	w.overflow = false;

	dhcp_put_u8(&w, DHO_MSG_TYPE, reply->ack ? DHCPACK : DHCPOFFER);
	dhcp_put_opt(&w, DHO_SERVER_ID, &rx->server_addr, 4);
	/* EDK2 drops a proxy offer whose 60 does not match its own 10 bytes. */
	if (reply->http)
		dhcp_put_opt(&w, DHO_VENDOR_CLASS, "HTTPClient", 10);
	else
		dhcp_put_opt(&w, DHO_VENDOR_CLASS, "PXEClient", 9);
	if (req->has_uuid) {
		u8 uuid[1 + PXEFAST_UUID_LEN];

		uuid[0] = 0;	/* RFC 4578 2.3: the only type there is */
		memcpy(uuid + 1, req->uuid, PXEFAST_UUID_LEN);
		dhcp_put_opt(&w, DHO_CLIENT_UUID, uuid, sizeof(uuid));
	}
	/*
	 * Names too long for the file field go in option 67 alone; an HTTP
	 * boot client's URL always does, EDK2 reading 67 first.
	 */
	if (file && (reply->http || strlen(file) >= sizeof(h->file)))
		dhcp_put_opt(&w, DHO_BOOTFILE_67, file, strlen(file));
	/* HTTP boot has no use for PXE's vendor options. */
	if (proxy && !reply->http)
		dhcp_put_offer_vendor(&w, cfg, rx->server_addr);
	else if (!proxy && req->has_item)
		dhcp_put_ack_vendor(&w, req);
	/* RFC 3046 2.2: the relay agent information, verbatim, last. */
	if (req->relay_info)
		dhcp_put_opt(&w, DHO_RELAY_INFO, req->relay_info,
			     req->relay_info_len);
	dhcp_put_end(&w);
	if (w.overflow) {
		reply->verdict = PXEFAST_DROP_TX;
		return client < room ? -EMSGSIZE : -ENOSPC;
	}

	/*
	 * RFC 2131 4.1: through a relay, to the relay; to a client with an
	 * address, to it; else broadcast (a proxy offer carries no address
	 * the client could be reached at).
	 */
	reply->broadcast = !rq->giaddr && !rq->ciaddr &&
			   (proxy || !rx->saddr);
	dhcp_put_headers(rx, rq, reply, buf, w.p - (u8 *)h);
	return PXEFAST_DHCP_HDRS_LEN + (w.p - (u8 *)h);
}
