// SPDX-License-Identifier: GPL-2.0
/*
 * Decide what a PXE client's DHCP request gets and build the reply:
 * a proxy DHCPOFFER (UDP 67) or a boot server DHCPACK (UDP 4011).
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include "dhcp.h"

/* Appends options to a reply without ever writing past its end. */
struct dhcp_writer {
	u8 *p;
	u8 *end;
	bool overflow;
};

static u8 *dhcp_put(struct dhcp_writer *w, unsigned int len)
{
	u8 *p = w->p;

	if (w->overflow || len > w->end - w->p) {
		w->overflow = true;
		return NULL;
	}
	w->p += len;
	return p;
}

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

/*
 * Option 43 of a proxy offer.  With a menu, the client discovers a boot
 * server and asks it on UDP 4011; without one, the offer names the boot
 * file and discovery control tells the client to take it directly, unless
 * the administrator set discovery control to send it to a boot server.
 */
static u8 dhcp_discovery(const struct pxefast_config *cfg)
{
	u8 disc = cfg->dhcp.discovery;

	if (!cfg->menu.prompt && !cfg->nservers)
		disc |= PXEFAST_DISC_DIRECT_BOOT_FILE;
	return disc;
}

static void dhcp_put_offer_vendor(struct dhcp_writer *w,
				  const struct pxefast_config *cfg,
				  __be32 self)
{
	u8 *opt = dhcp_open(w, DHO_VENDOR_OPTS);
	u8 disc = dhcp_discovery(cfg);

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

/* Is this a request pxefast answers on this port, per the config? */
/**
 * pxefast_dhcp_wanted - is a parsed request one this host answers?
 * @ctx: where it came from and the configuration to apply
 * @req: the request, from pxefast_dhcp_parse()
 *
 * PXE clients only: a DISCOVER, or an address-less REQUEST naming us, on
 * 67 (PXE 2.1 proxy DHCP); a REQUEST or INFORM on 4011 (boot server).  Any
 * context, configuration under RCU.
 *
 * Return: true when pxefast_dhcp_answer() would consider it.
 */
bool pxefast_dhcp_wanted(const struct pxefast_dhcp_ctx *ctx,
			 const struct pxefast_dhcp_req *req)
{
	const struct pxefast_dhcp_cfg *d = &ctx->cfg->dhcp;

	if (!req->pxe)
		return false;
	if (ctx->binl)
		return d->boot_server && (req->msg_type == DHCPREQUEST ||
					  req->msg_type == DHCPINFORM);
	if (!d->proxy)
		return false;
	if (req->msg_type == DHCPDISCOVER)
		return true;
	/*
	 * A REQUEST on 67 is for us only when it names us as its server and
	 * asks for no address.  One asking for an address takes a lease from
	 * a DHCP server, which may share our address (and so option 54) when
	 * it runs on this host: an address-less ACK from us would be taken
	 * for its ACK, and EDK2 then declines the lease (PXE-E07).
	 */
	return req->msg_type == DHCPREQUEST && !req->wants_lease &&
	       req->server_id == ctx->server_addr;
}

/* Room for the reply: the client's option 57 less IP and UDP headers. */
static unsigned int dhcp_reply_room(const struct pxefast_dhcp_req *req,
				    unsigned int size)
{
	unsigned int max = max_t(unsigned int, req->max_msg, DHCP_MIN_MAX_MSG);

	return min(size, max - 28);
}

/**
 * pxefast_dhcp_answer - decide and build the answer to a parsed request
 * @ctx: where it came from and the configuration to apply
 * @req: the request, from pxefast_dhcp_parse()
 * @reply: buffer to build into; on PXEFAST_ANSWER, len, broadcast, file
 *	and delay_ms are set
 *
 * Context: any (softirq from the hook); RCU read lock held for @ctx->cfg.
 *
 * A proxy DHCPOFFER or proxy DHCPACK on 67 (PXE 2.1 2.2), or a boot server
 * DHCPACK on 4011 (PXE 2.1 2.4).  Proxy replies carry the broadcast flag
 * (RFC 2131 4.1), a request's option 82 is echoed as the last option
 * (RFC 3046 2.2), and options follow each other with no PAD between them.
 *
 * Return: PXEFAST_ANSWER with the reply in @reply, or why there is none.
 */
enum pxefast_verdict pxefast_dhcp_answer(const struct pxefast_dhcp_ctx *ctx,
					 const struct pxefast_dhcp_req *req,
					 struct pxefast_dhcp_reply *reply)
{
	const struct pxefast_config *cfg = ctx->cfg;
	const struct bootp_hdr *rq = req->hdr;
	const struct pxefast_map *map;
	struct dhcp_writer w;
	struct bootp_hdr *h;
	const char *file;
	bool bis, proxy;
	u16 arch;

	if (!pxefast_dhcp_wanted(ctx, req))
		return PXEFAST_IGNORE;

	arch = req->has_arch ? req->arch : 0;
	if (!pxefast_dhcp_arch_enabled(cfg, arch))
		return PXEFAST_DROP_ARCH;
	proxy = !ctx->binl;
	/* Only mapped clients are answered, menus or not: that is how a
	 * client that cannot use boot servers (iPXE's EFI build) is kept
	 * away from an offer that would send it to them.
	 */
	map = pxefast_map_lookup(cfg, req);
	if (!map)
		return PXEFAST_DROP_NO_MAP;

	bis = ctx->binl && (req->item_layer & PXE_LAYER_CREDENTIALS);
	if (bis && !map->bis_file)
		return PXEFAST_DROP_NO_BIS;
	if (!ctx->server_addr)
		return PXEFAST_DROP_NO_ADDR;

	file = bis ? map->bis_file : map->file;
	if (proxy && !(dhcp_discovery(cfg) & PXEFAST_DISC_DIRECT_BOOT_FILE))
		file = NULL;

	if (reply->size < BOOTP_MIN_LEN)
		return PXEFAST_DROP_TX;
	h = (struct bootp_hdr *)reply->buf;
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
	h->siaddr = map->next_server ?: ctx->server_addr;
	h->giaddr = rq->giaddr;
	memcpy(h->chaddr, rq->chaddr, sizeof(h->chaddr));
	h->magic = htonl(DHCP_MAGIC);
	if (file && strlen(file) < sizeof(h->file))
		strscpy(h->file, file, sizeof(h->file));

	w.p = h->options;
	w.end = reply->buf + dhcp_reply_room(req, reply->size);
	w.overflow = false;

	reply->ack = req->msg_type != DHCPDISCOVER;
	dhcp_put_u8(&w, DHO_MSG_TYPE, reply->ack ? DHCPACK : DHCPOFFER);
	dhcp_put_opt(&w, DHO_SERVER_ID, &ctx->server_addr, 4);
	dhcp_put_opt(&w, DHO_VENDOR_CLASS, "PXEClient", 9);
	if (req->has_uuid) {
		u8 uuid[1 + PXEFAST_UUID_LEN];

		uuid[0] = 0;	/* RFC 4578 2.3: the only type there is */
		memcpy(uuid + 1, req->uuid, PXEFAST_UUID_LEN);
		dhcp_put_opt(&w, DHO_CLIENT_UUID, uuid, sizeof(uuid));
	}
	/* Names too long for the file field go in option 67 alone. */
	if (file && strlen(file) >= sizeof(h->file))
		dhcp_put_opt(&w, DHO_BOOTFILE_67, file, strlen(file));
	if (proxy)
		dhcp_put_offer_vendor(&w, cfg, ctx->server_addr);
	else if (req->has_item)
		dhcp_put_ack_vendor(&w, req);
	/* RFC 3046 2.2: the relay agent information, verbatim, last. */
	if (req->relay_info)
		dhcp_put_opt(&w, DHO_RELAY_INFO, req->relay_info,
			     req->relay_info_len);
	dhcp_put_end(&w);
	if (w.overflow)
		return PXEFAST_DROP_TX;

	reply->len = w.p - reply->buf;
	reply->file = file;
	reply->delay_ms = proxy ? map->delay_ms : 0;
	/*
	 * RFC 2131 4.1: through a relay, to the relay; to a client with an
	 * address, to it; else broadcast (a proxy offer carries no address
	 * the client could be reached at).
	 */
	reply->broadcast = !rq->giaddr && !rq->ciaddr &&
			   (proxy || !ctx->saddr);
	return PXEFAST_ANSWER;
}
