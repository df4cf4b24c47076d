// SPDX-License-Identifier: GPL-2.0
/*
 * Parse a DHCP request into struct pxefast_dhcp_req.  Reads only within
 * [data, data + len); every length is checked before use.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include "dhcp.h"

#define PXE_VCLASS		"PXEClient"
#define PXE_VCLASS_ARCH		"PXEClient:Arch:"

/* Options whose length is fixed by their RFC; anything else is malformed. */
static bool dhcp_opt_len_ok(u8 code, u8 len)
{
	switch (code) {
	case DHO_MSG_TYPE:
		return len == 1;
	case DHO_MAX_MSG_SIZE:
		return len == 2;
	case DHO_SERVER_ID:
	case DHO_REQUESTED_IP:
		return len == 4;
	case DHO_CLIENT_ARCH:
		return len >= 2 && !(len & 1);
	case DHO_CLIENT_NDI:
		return len == 3;
	case DHO_CLIENT_UUID:
		return len == 17;
	default:
		return true;
	}
}

/* Option 43 as a PXE client sends it: sub-options, of which 71 matters. */
static enum pxefast_verdict dhcp_parse_vendor(const u8 *p, u8 len,
					      struct pxefast_dhcp_req *req)
{
	const u8 *end = p + len;

	while (p < end) {
		u8 code = *p++, olen;

		if (code == DHO_PAD)
			continue;
		if (code == DHO_END)
			break;
		if (p >= end)
			return PXEFAST_DROP_MALFORMED;
		olen = *p++;
		if (olen > end - p)
			return PXEFAST_DROP_MALFORMED;
		if (code == PXE_BOOT_ITEM) {
			if (olen != 4)
				return PXEFAST_DROP_MALFORMED;
			req->has_item = true;
			req->item_type = get_unaligned_be16(p);
			req->item_layer = get_unaligned_be16(p + 2);
		}
		p += olen;
	}
	return PXEFAST_ANSWER;
}

/* PXE 2.0 clients name their architecture only in option 60. */
static void dhcp_arch_from_vclass(struct pxefast_dhcp_req *req)
{
	const size_t plen = sizeof(PXE_VCLASS_ARCH) - 1;
	unsigned int arch = 0, i;

	if (req->vclass_len < plen + 5 ||
	    memcmp(req->vclass, PXE_VCLASS_ARCH, plen))
		return;
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

static enum pxefast_verdict dhcp_parse_option(u8 code, const u8 *p, u8 len,
					      struct pxefast_dhcp_req *req)
{
	if (!dhcp_opt_len_ok(code, len))
		return PXEFAST_DROP_MALFORMED;

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
		req->vclass = p;
		req->vclass_len = len;
		if (len >= sizeof(PXE_VCLASS) - 1 &&
		    !memcmp(p, PXE_VCLASS, sizeof(PXE_VCLASS) - 1))
			req->pxe = true;
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
		req->uuid_type = p[0];
		memcpy(req->uuid, p + 1, PXEFAST_UUID_LEN);
		break;
	case DHO_IPXE_ENCAP:
		req->ipxe = true;
		break;
	case DHO_VENDOR_OPTS:
		return dhcp_parse_vendor(p, len, req);
	}
	return PXEFAST_ANSWER;
}

/**
 * pxefast_dhcp_parse - parse a BOOTP/DHCP request
 * @data: the UDP payload
 * @len: its length
 * @req: filled in; points into @data
 *
 * Return: PXEFAST_ANSWER when @req describes a well-formed DHCP request,
 * PXEFAST_IGNORE for BOOTP replies and plain BOOTP, or the drop reason.
 * The first instance of an option counts; later ones are ignored.
 */
enum pxefast_verdict pxefast_dhcp_parse(const u8 *data, unsigned int len,
					struct pxefast_dhcp_req *req)
{
	const struct bootp_hdr *h = (const struct bootp_hdr *)data;
	DECLARE_BITMAP(seen, 256);
	const u8 *p, *end = data + len;
	enum pxefast_verdict v;

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

	bitmap_zero(seen, 256);
	p = h->options;
	while (p < end) {
		u8 code = *p++, olen;

		if (code == DHO_PAD)
			continue;
		if (code == DHO_END)
			break;
		if (p >= end)
			return PXEFAST_DROP_MALFORMED;
		olen = *p++;
		if (olen > end - p)
			return PXEFAST_DROP_MALFORMED;
		if (!__test_and_set_bit(code, seen)) {
			v = dhcp_parse_option(code, p, olen, req);
			if (v != PXEFAST_ANSWER)
				return v;
		}
		p += olen;
	}

	if (!req->msg_type)
		return PXEFAST_IGNORE;
	if (!req->has_arch)
		dhcp_arch_from_vclass(req);
	return PXEFAST_ANSWER;
}
