// SPDX-License-Identifier: GPL-2.0
/*
 * Parse a DHCPv6 request (RFC 8415 8, 21; RFC 5970 3) into struct
 * pxefast_dhcp6_req: what the matcher reads, and what the reply echoes.
 * Reads only within [data, data + len); every length is checked before
 * use.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include "dhcp6.h"

/* A client's link-layer address when neither its DUID nor its frame has one. */
static const u8 dhcp6_no_mac[ETH_ALEN];

/*
 * A DUID client identifier (RFC 8415 11): a DUID-LLT or DUID-LL of an
 * Ethernet interface names the client's MAC; a DUID-UUID (RFC 6355, what
 * EDK2 sends by default) its UUID, in the byte order option 97 carries it
 * over IPv4, so that the same mapping matches both.
 */
static void dhcp6_parse_duid(const u8 *p, u16 len, struct pxefast_dhcp6_req *req)
{
	u16 type = get_unaligned_be16(p);

	if (type == DHCP6_DUID_LLT && len == 8 + ETH_ALEN &&
	    get_unaligned_be16(p + 2) == DHCP6_HWTYPE_ETHER)
		req->m.mac = p + 8;
	else if (type == DHCP6_DUID_LL && len == 4 + ETH_ALEN &&
		 get_unaligned_be16(p + 2) == DHCP6_HWTYPE_ETHER)
		req->m.mac = p + 4;
	else if (type == DHCP6_DUID_UUID && len == 2 + PXEFAST_UUID_LEN) {
		req->m.has_uuid = true;
		memcpy(req->m.uuid, p + 2, PXEFAST_UUID_LEN);
	}
}

/*
 * Options 15 and 16 carry lists of 2-byte length-prefixed items (RFC 8415
 * 21.15, 21.16).  Returns the first item in *@first (NULL for an empty
 * list) and false when an item runs past the list.
 */
static bool dhcp6_class_list(const u8 *p, u16 len, const u8 **first,
			     u16 *first_len)
{
	const u8 *end = p + len;

	*first = NULL;
	*first_len = 0;
	while (p < end) {
		u16 clen;

		if (end - p < 2)
			return false;
		clen = get_unaligned_be16(p);
		p += 2;
		if (clen > end - p)
			return false;
		if (!*first) {
			*first = p;
			*first_len = clen;
		}
		p += clen;
	}
	return true;
}

/*
 * Take one option into @req.  An option whose content is unusable is left
 * out as if absent and counted in @req->m.bad_options; the rest of the
 * request is still answered.
 */
static void dhcp6_parse_option(u16 code, const u8 *p, u16 len,
			       struct pxefast_dhcp6_req *req)
{
	const u8 *cls;
	u16 clen;

	switch (code) {
	case D6O_CLIENTID:
	case D6O_SERVERID:
		if (len < 2 || len > DHCP6_DUID_MAX)
			break;
		if (code == D6O_SERVERID) {
			req->server_id = p;
			req->server_id_len = len;
			return;
		}
		req->client_id = p;
		req->client_id_len = len;
		dhcp6_parse_duid(p, len, req);
		return;
	case D6O_IA_NA:
	case D6O_IA_TA:
	case D6O_IA_PD:
		req->has_ia = true;
		return;
	case D6O_USER_CLASS:
		if (len > U8_MAX || !dhcp6_class_list(p, len, &cls, &clen))
			break;
		req->m.uclass = p;
		req->m.uclass_len = len;
		req->m.uclass_be16 = true;
		return;
	case D6O_VENDOR_CLASS:		/* enterprise-number, then classes */
		if (len < 4 || !dhcp6_class_list(p + 4, len - 4, &cls, &clen))
			break;
		if (cls)
			pxefast_dhcp_vclass(&req->m, cls, min_t(u16, clen, U8_MAX));
		return;
	case D6O_CLIENT_ARCH:		/* RFC 5970 3.3: u16 list */
		if (len < 2 || (len & 1))
			break;
		req->m.has_arch = true;
		req->m.arch = get_unaligned_be16(p);
		req->m.pxe = true;
		return;
	default:
		return;
	}
	req->m.bad_options++;
}

/**
 * pxefast_dhcp6_parse - parse a DHCPv6 request
 * @data: the UDP payload
 * @len: its length in bytes
 * @relay_mac: the client's link-layer address (ETH_ALEN bytes) a relay
 *	agent gave in option 79 (RFC 6939), or NULL
 * @l2_mac: the request's link-layer source (ETH_ALEN bytes) when the client
 *	sent it on the link (not through a relay agent), or NULL
 * @req: filled in; points into @data (and @relay_mac or @l2_mac)
 *
 * Context: any; reads only within [@data, @data + @len).
 *
 * Only Solicit, Request and Information-Request, the messages a netboot
 * client sends a server (RFC 8415 7.3), are parsed; others are
 * PXEFAST_IGNORE.  Structural damage makes a request malformed: shorter
 * than its 4-byte header, or an option header or body running past the
 * datagram (RFC 8415 21.1).  An option whose content is unusable (a
 * client or server identifier shorter than 2 or longer than 130 bytes,
 * option 61 of odd length, a class list item running past option 15 or
 * 16) is ignored as if absent and counted in @req->m.bad_options.  The
 * first instance of an option counts.
 *
 * The client's MAC is @relay_mac when a relay agent saw it (RFC 6939 4:
 * the address of the interface the client sent from), else taken from a
 * DUID-LLT or DUID-LL client identifier of Ethernet type, else @l2_mac;
 * its UUID from a DUID-UUID (RFC 6355); its vendor class from option
 * 16's first class, whose enterprise number is not checked.
 *
 * Return: PXEFAST_PARSED, PXEFAST_IGNORE or PXEFAST_DROP_MALFORMED.
 */
enum pxefast_verdict pxefast_dhcp6_parse(const u8 *data, unsigned int len,
					 const u8 *relay_mac, const u8 *l2_mac,
					 struct pxefast_dhcp6_req *req)
{
	const u8 *p = data + DHCP6_HDR_LEN, *end = data + len;
	/* Options seen: the first instance of each counts. */
	u64 seen = 0;

	memset(req, 0, sizeof(*req));
	if (len < DHCP6_HDR_LEN)
		return PXEFAST_DROP_MALFORMED;
	req->msg_type = data[0];
	req->xid = data + 1;
	if (req->msg_type != DHCP6_SOLICIT && req->msg_type != DHCP6_REQUEST &&
	    req->msg_type != DHCP6_INFORMATION_REQUEST)
		return PXEFAST_IGNORE;

	while (p < end) {
		u16 code, olen;

		if (!pxefast_dhcp6_option(&p, end, &code, &olen))
			return PXEFAST_DROP_MALFORMED;
		/* Every option taken has a code below 64. */
		if (code < 64 && !(seen & BIT_ULL(code))) {
			seen |= BIT_ULL(code);
			dhcp6_parse_option(code, p, olen, req);
		}
		p += olen;
	}

	if (!req->m.has_arch)
		pxefast_dhcp_arch_from_vclass(&req->m);
	if (relay_mac)
		req->m.mac = relay_mac;
	else if (!req->m.mac)
		req->m.mac = l2_mac ?: dhcp6_no_mac;
	return PXEFAST_PARSED;
}
