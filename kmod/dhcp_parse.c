// SPDX-License-Identifier: GPL-2.0
/*
 * Parse a DHCP request into struct pxefast_dhcp_req.  Reads only within
 * [data, data + len); every length is checked before use.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include "dhcp.h"

#define PXE_VCLASS		"PXEClient"
#define HTTP_VCLASS		"HTTPClient"
#define VCLASS_ARCH		":Arch:"

/*
 * Is the content of option @code usable?  Fields with a form fixed by their
 * RFC that do not have it are ignored as if absent (only the message type,
 * without which nothing can be answered, makes the request malformed).
 */
static bool dhcp_opt_usable(u8 code, const u8 *p, u8 len)
{
	switch (code) {
	case DHO_MSG_TYPE:
		return len == 1;
	case DHO_MAX_MSG_SIZE:
		return len == 2;
	case DHO_SERVER_ID:
		return len == 4;
	case DHO_CLIENT_ARCH:			/* RFC 4578 2.1: u16 list */
		return len >= 2 && !(len & 1);
	case DHO_CLIENT_NDI:			/* RFC 4578 2.2 */
		return len == 3;
	case DHO_CLIENT_UUID:			/* RFC 4578 2.3: type 0, 16 bytes */
		return len == 1 + PXEFAST_UUID_LEN && p[0] == 0;
	default:
		return true;
	}
}

/*
 * The next option of an RFC 2132 section 2 option area (pad, end, or code,
 * length, value) from *@pp, before @end: its @code, @val and @olen, with
 * *@pp moved past it.  Returns 1 for an option, 0 at the end option or the
 * end of the area, -1 when an option runs past @end.
 */
static int dhcp_opt_next(const u8 **pp, const u8 *end, u8 *code,
			 const u8 **val, u8 *olen)
{
	const u8 *p = *pp;

	while (p < end && *p == DHO_PAD)
		p++;
	if (p >= end || *p == DHO_END)
		return 0;
	if (end - p < 2 || p[1] > end - p - 2)
		return -1;
	*code = p[0];
	*olen = p[1];
	*val = p + 2;
	*pp = p + 2 + p[1];
	return 1;
}

/* Option 43 as a PXE client sends it: sub-options, of which 71 matters.
 * Returns false when the sub-options do not parse; the option is then
 * ignored as a whole.
 */
static bool dhcp_parse_vendor(const u8 *p, u8 len, struct pxefast_dhcp_req *req)
{
	const u8 *end = p + len, *val;
	bool has_item = false;
	u16 type = 0, layer = 0;
	u8 code, olen;
	int r;

	while ((r = dhcp_opt_next(&p, end, &code, &val, &olen)) > 0) {
		if (code == PXE_BOOT_ITEM && !has_item) {
			if (olen != 4)
				return false;
			has_item = true;
			type = get_unaligned_be16(val);
			layer = get_unaligned_be16(val + 2);
		}
	}
	if (r < 0)
		return false;
	req->has_item = has_item;
	req->item_type = type;
	req->item_layer = layer;
	return true;
}

/* Does option 60 start with @prefix (a string literal's bytes)? */
static bool dhcp_vclass_is(const struct pxefast_dhcp_req *req,
			   const char *prefix, size_t plen)
{
	return req->vclass_len >= plen && !memcmp(req->vclass, prefix, plen);
}

/**
 * pxefast_dhcp_vclass - take a vendor class into a request
 * @req: the request being parsed
 * @p: the class: DHCP option 60 (RFC 2132 9.13), or the first
 *	vendor-class-data of DHCPv6 option 16 (RFC 8415 21.16)
 * @len: its length in bytes
 *
 * Sets @req->pxe for a class starting with "PXEClient" (PXE 2.1) and
 * @req->http for one starting with "HTTPClient" (UEFI 2.x HTTP Boot).
 * Any context.
 */
void pxefast_dhcp_vclass(struct pxefast_dhcp_req *req, const u8 *p, u8 len)
{
	req->vclass = p;
	req->vclass_len = len;
	if (dhcp_vclass_is(req, PXE_VCLASS, sizeof(PXE_VCLASS) - 1))
		req->pxe = true;
	if (dhcp_vclass_is(req, HTTP_VCLASS, sizeof(HTTP_VCLASS) - 1))
		req->http = true;
}

/**
 * pxefast_dhcp_arch_from_vclass - a client's architecture from its class
 * @req: a request whose vendor class was taken by pxefast_dhcp_vclass()
 *	and which named no architecture (option 93, DHCPv6 option 61)
 *
 * PXE 2.0 clients name their architecture only in option 60
 * ("PXEClient:Arch:NNNNN"); HTTP boot clients' 60 has the same form
 * ("HTTPClient:Arch:NNNNN", the UEFI specification's "HTTP Boot").  Sets
 * @req->arch when the class has that form.  Any context.
 */
void pxefast_dhcp_arch_from_vclass(struct pxefast_dhcp_req *req)
{
	const size_t alen = sizeof(VCLASS_ARCH) - 1;
	unsigned int arch = 0, i;
	size_t plen;

	/* Without option 93, only option 60 makes either true. */
	if (!req->pxe && !req->http)
		return;
	plen = req->http ? sizeof(HTTP_VCLASS) - 1 : sizeof(PXE_VCLASS) - 1;
	if (req->vclass_len < plen + alen + 5 ||
	    memcmp(req->vclass + plen, VCLASS_ARCH, alen))
		return;
	plen += alen;
	for (i = 0; i < 5; i++) {
		u8 c = req->vclass[plen + i];

		if (c < '0' || c > '9')
			return;
		arch = arch * 10 + (c - '0');
	}
	if (arch <= U16_MAX) {
		req->has_arch = true;
		req->arch = arch;
	}
}

/*
 * Take one option into @req.  Returns PXEFAST_DROP_MALFORMED only for a
 * message type that is not one byte; any other option whose content is
 * unusable is left out (and counted in @req->bad_options): the rest of the
 * request is still answered (RFC 2131 4.1: what a server cannot use it
 * ignores).
 */
static enum pxefast_verdict dhcp_parse_option(u8 code, const u8 *p, u8 len,
					      struct pxefast_dhcp_req *req)
{
	if (!dhcp_opt_usable(code, p, len)) {
		if (code == DHO_MSG_TYPE)
			return PXEFAST_DROP_MALFORMED;
		req->bad_options++;
		/* Option 50 in any form still says "an address, please". */
		if (code == DHO_REQUESTED_IP)
			req->wants_lease = true;
		return PXEFAST_PARSED;
	}

	switch (code) {
	case DHO_MSG_TYPE:
		req->msg_type = p[0];
		break;
	case DHO_MAX_MSG_SIZE:
		req->max_msg = get_unaligned_be16(p);
		break;
	case DHO_SERVER_ID:
		req->server_id = get_unaligned((const __be32 *)p);
		break;
	case DHO_REQUESTED_IP:
		req->wants_lease = true;
		break;
	case DHO_VENDOR_CLASS:
		pxefast_dhcp_vclass(req, p, len);
		break;
	case DHO_USER_CLASS:
		req->uclass = p;
		req->uclass_len = len;
		break;
	case DHO_CLIENT_ARCH:
		req->has_arch = true;
		req->arch = get_unaligned_be16(p);
		req->pxe = true;
		break;
	case DHO_CLIENT_NDI:
		req->ndi = p;
		break;
	case DHO_CLIENT_UUID:
		req->has_uuid = true;
		memcpy(req->uuid, p + 1, PXEFAST_UUID_LEN);
		break;
	case DHO_IPXE_ENCAP:
		req->ipxe = true;
		break;
	case DHO_RELAY_INFO:
		req->relay_info = p;
		req->relay_info_len = len;
		break;
	case DHO_VENDOR_OPTS:
		if (!dhcp_parse_vendor(p, len, req))
			req->bad_options++;
		break;
	}
	return PXEFAST_PARSED;
}

/**
 * pxefast_dhcp_parse - parse a BOOTP/DHCP request
 * @data: the UDP payload
 * @len: its length in bytes
 * @req: filled in; points into @data
 *
 * Context: any; reads only within [@data, @data + @len).
 *
 * Only structural damage makes a request malformed (RFC 2131 section 2,
 * RFC 2132 section 2): shorter than the fixed header, no magic cookie, an
 * option running past the datagram, or a message type (53) that is not
 * one byte.  An optional field whose content is unusable (option 93 of odd
 * length, 94 not 3 bytes, 97 not type 0 plus 16 bytes (RFC 4578 2.3), 57
 * or 54 of the wrong size, 43 whose sub-options do not parse) is ignored
 * as if absent and counted in @req->bad_options.  The first instance of an
 * option counts; later ones are ignored.
 *
 * Return: PXEFAST_PARSED when @req describes a DHCP request, PXEFAST_IGNORE
 * for BOOTP replies and plain BOOTP, or the drop reason.
 */
enum pxefast_verdict pxefast_dhcp_parse(const u8 *data, unsigned int len,
					struct pxefast_dhcp_req *req)
{
	const struct bootp_hdr *h = (const struct bootp_hdr *)data;
	DECLARE_BITMAP(seen, 256);
	const u8 *p, *val, *end = data + len;
	enum pxefast_verdict v;
	u8 code, olen;
	int r;

	memset(req, 0, sizeof(*req));
	if (len < BOOTP_MIN_LEN)
		return PXEFAST_DROP_MALFORMED;
	if (h->op != BOOTP_REQUEST)
		return PXEFAST_IGNORE;
	if (get_unaligned_be32(&h->magic) != DHCP_MAGIC)
		return PXEFAST_DROP_MALFORMED;
	if (h->htype != BOOTP_HTYPE_ETHER || h->hlen != ETH_ALEN)
		return PXEFAST_DROP_HTYPE;
	req->hdr = h;
	req->mac = h->chaddr;

	bitmap_zero(seen, 256);
	p = h->options;
	while ((r = dhcp_opt_next(&p, end, &code, &val, &olen)) > 0) {
		if (!__test_and_set_bit(code, seen)) {
			v = dhcp_parse_option(code, val, olen, req);
			if (v != PXEFAST_PARSED)
				return v;
		}
	}
	if (r < 0)
		return PXEFAST_DROP_MALFORMED;

	if (!req->msg_type)
		return PXEFAST_IGNORE;
	if (!req->has_arch)
		pxefast_dhcp_arch_from_vclass(req);
	return PXEFAST_PARSED;
}
