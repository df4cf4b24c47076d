// SPDX-License-Identifier: GPL-2.0
/*
 * DHCPv6 through relay agents (RFC 8415 19, 9): a netboot client's
 * request on another link arrives wrapped in one Relay-forward per relay
 * agent on its way.  Unwrap them down to the client's message, answer
 * that as the core answers it on the link (pxefast_dhcp6_answer()), and
 * wrap the answer in one Relay-reply per level, each echoing its
 * Relay-forward's hop-count, link-address, peer-address and Interface-Id
 * option (19.3), so that each relay agent passes it back down.  Bytes in,
 * bytes out, as the core: the receive path sends the result back to the
 * outermost relay agent.
 */

#include <linux/string.h>
#include "dhcp6.h"

/* What a Relay-reply echoes of one Relay-forward level. */
struct dhcp6_relay_level {
	const u8 *hdr;		/* hop-count, link-address, peer-address */
	const u8 *ifid;		/* option 18's content, or NULL */
	u16 ifid_len;
};

/* The levels of a relayed request, outermost first. */
struct dhcp6_relay_path {
	struct dhcp6_relay_level lv[DHCP6_HOP_COUNT_LIMIT];
	unsigned int depth;
	const u8 *lla;		/* the innermost level's option 79, or NULL */
	u16 lla_len;
};

/*
 * Unwrap the Relay-forward at @data, @len bytes long, into the next level
 * of @path; point @data and @len at its Relay Message option's content.
 * The first instance of options 9, 18 and 79 counts.  Returns false when
 * it is malformed: shorter than its fixed fields, a hop-count above
 * DHCP6_HOP_COUNT_LIMIT (which no relay agent sends on, RFC 8415 19.1.2),
 * an option running past its end, or no Relay Message (RFC 8415 9).
 */
static bool dhcp6_relay_unwrap(const u8 **data, unsigned int *len,
			       struct dhcp6_relay_path *path)
{
	struct dhcp6_relay_level *lv = &path->lv[path->depth];
	const u8 *p = *data, *end = *data + *len, *msg = NULL;
	u16 msg_len = 0;

	if (*len < DHCP6_RELAY_HDR_LEN || p[1] > DHCP6_HOP_COUNT_LIMIT)
		return false;
	lv->hdr = p + 1;
	lv->ifid = NULL;
	lv->ifid_len = 0;
	path->lla = NULL;
	for (p += DHCP6_RELAY_HDR_LEN; p < end; ) {
		u16 code, olen;

		if (!pxefast_dhcp6_option(&p, end, &code, &olen))
			return false;
		if (code == D6O_RELAY_MSG && !msg) {
			msg = p;
			msg_len = olen;
		} else if (code == D6O_INTERFACE_ID && !lv->ifid) {
			lv->ifid = p;
			lv->ifid_len = olen;
		} else if (code == D6O_CLIENT_LINKLAYER_ADDR && !path->lla) {
			path->lla = p;
			path->lla_len = olen;
		}
		p += olen;
	}
	if (!msg)
		return false;
	*data = msg;
	*len = msg_len;
	path->depth++;
	return true;
}

/*
 * The client's MAC in option 79 (RFC 6939 4: link-layer type, then the
 * address), when it is an Ethernet one; NULL otherwise.
 */
static const u8 *dhcp6_relay_mac(const struct dhcp6_relay_path *path)
{
	if (!path->lla || path->lla_len != 2 + ETH_ALEN ||
	    get_unaligned_be16(path->lla) != DHCP6_HWTYPE_ETHER)
		return NULL;
	return path->lla + 2;
}

/* The bytes a level's Relay-reply puts before its Relay Message's content. */
static unsigned int dhcp6_relay_level_len(const struct dhcp6_relay_level *lv)
{
	return DHCP6_RELAY_HDR_LEN +
	       (lv->ifid ? DHCP6_OPT_HDR_LEN + lv->ifid_len : 0) +
	       DHCP6_OPT_HDR_LEN;
}

/*
 * Write the Relay-replies of @path in front of the @len-byte answer at
 * @buf + @head, @head the sum of their levels' lengths: innermost level
 * last, each Relay Message holding the rest.  Returns the total length.
 */
static unsigned int dhcp6_relay_wrap(const struct dhcp6_relay_path *path,
				     u8 *buf, unsigned int head,
				     unsigned int len)
{
	unsigned int i = path->depth;

	while (i--) {
		const struct dhcp6_relay_level *lv = &path->lv[i];
		u8 *p;

		head -= dhcp6_relay_level_len(lv);
		p = buf + head;
		p[0] = DHCP6_RELAY_REPL;
		memcpy(p + 1, lv->hdr, DHCP6_RELAY_HDR_LEN - 1);
		p += DHCP6_RELAY_HDR_LEN;
		if (lv->ifid) {
			put_unaligned_be16(D6O_INTERFACE_ID, p);
			put_unaligned_be16(lv->ifid_len, p + 2);
			memcpy(p + DHCP6_OPT_HDR_LEN, lv->ifid, lv->ifid_len);
			p += DHCP6_OPT_HDR_LEN + lv->ifid_len;
		}
		put_unaligned_be16(D6O_RELAY_MSG, p);
		put_unaligned_be16(len, p + 2);
		len += dhcp6_relay_level_len(lv);
	}
	return len;
}

/**
 * pxefast_dhcp6_relay - answer a netboot request a relay agent forwarded
 * @rx: where the Relay-forward came from; for the request inside it,
 *	@rx->saddr is set to the client's address (the innermost
 *	peer-address, kept in @rx->peer), @rx->mac cleared (the frame is
 *	the relay agent's) and @rx->relay_mac set from option 79
 * @data: the Relay-forward's UDP payload, whatever its first byte says
 * @len: its length in bytes
 * @buf: where the Relay-reply is built (no IPv6 or UDP header)
 * @size: room at @buf in bytes
 * @reply: filled in as by pxefast_dhcp6_answer(), @relayed set
 *
 * Context: any; RCU read lock held for @rx->cfg.  Reads only within
 * [@data, @data + @len), writes only within [@buf, @buf + @size).
 *
 * RFC 8415 19.2, 19.3 and 9: up to DHCP6_HOP_COUNT_LIMIT nested
 * Relay-forwards are unwrapped through their Relay Message options (9);
 * the client message inside is answered by pxefast_dhcp6_answer(), as on
 * the link, its MAC taken from the innermost level's Client Link-Layer
 * Address option (79, RFC 6939) when that is an Ethernet one.  The answer
 * goes back in as many Relay-replies, each with its level's hop-count,
 * link-address, peer-address and Interface-Id option (18) copied, to be
 * sent to the outermost relay agent.  Deeper nesting, a Relay-forward
 * shorter than 34 bytes or with a hop-count above the limit, an option
 * running past its level, or a level without option 9 make the request
 * PXEFAST_DROP_MALFORMED; an unusable option 79 is ignored and counted in
 * @reply->bad_options.
 *
 * Return: the length in bytes of the Relay-reply at @buf; 0 when the
 * request gets no answer (@reply->verdict says why); -ENOSPC when it does
 * not fit @size (@reply->verdict is then PXEFAST_DROP_TX).
 */
int pxefast_dhcp6_relay(struct pxefast_dhcp6_rx *rx, const u8 *data,
			unsigned int len, u8 *buf, unsigned int size,
			struct pxefast_dhcp6_reply *reply)
{
	struct dhcp6_relay_path path = { };
	unsigned int head = 0, i;
	int n;

	do {
		if (path.depth == DHCP6_HOP_COUNT_LIMIT ||
		    !dhcp6_relay_unwrap(&data, &len, &path)) {
			memset(reply, 0, sizeof(*reply));
			reply->verdict = PXEFAST_DROP_MALFORMED;
			reply->relayed = true;
			return 0;
		}
	} while (len && data[0] == DHCP6_RELAY_FORW);
	for (i = 0; i < path.depth; i++)
		head += dhcp6_relay_level_len(&path.lv[i]);

	/* The client's address: after hop-count and link-address. */
	memcpy(&rx->peer, path.lv[path.depth - 1].hdr + 1 + sizeof(rx->peer),
	       sizeof(rx->peer));
	rx->saddr = &rx->peer;
	rx->mac = NULL;
	rx->relay_mac = dhcp6_relay_mac(&path);
	/* Levels that alone fill @buf leave the answer no room: -ENOSPC. */
	head = min(head, size);
	n = pxefast_dhcp6_answer(rx, data, len, buf + head, size - head, reply);
	reply->relayed = true;
	if (path.lla && !rx->relay_mac)
		reply->bad_options++;
	if (n <= 0)
		return n;
	return dhcp6_relay_wrap(&path, buf, head, n);
}
