// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit a reply the core built (IPv4 header on) straight out of a
 * device: the link-layer header is pushed in front of it and the frame
 * goes to the device queue.  Replies go to the link-layer address the
 * request came from (or broadcast), as a DHCP server's raw socket would:
 * clients answered here often have no IP address yet, so no route or
 * neighbour entry leads to them.
 */

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include "dhcp.h"

/**
 * pxefast_dhcp_xmit - send a built reply out of a device
 * @dev: the device the request arrived on
 * @frame: the reply, IPv4 header on, checksums set (pxefast_dhcp_answer())
 * @len: its length in bytes
 * @dst_mac: the link-layer destination, or NULL for @dev's broadcast
 *	address
 *
 * Context: softirq, or process context with bottom halves disabled; RCU
 * read lock held for @dev.  @frame is copied; the caller keeps it.
 *
 * Return: 0 when the frame was queued to @dev; -ENETDOWN when @dev is
 * down, -ENOMEM without memory, -EINVAL when no link-layer header could be
 * made, -ENOBUFS when the device queue dropped it.
 */
int pxefast_dhcp_xmit(struct net_device *dev, const u8 *frame,
		      unsigned int len, const u8 *dst_mac)
{
	unsigned int head = LL_RESERVED_SPACE(dev);
	struct sk_buff *skb;
	int err;

	if (!(dev->flags & IFF_UP))
		return -ENETDOWN;
	skb = alloc_skb(head + len + dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, head);
	skb_put_data(skb, frame, len);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, sizeof(struct iphdr));
	skb->ip_summed = CHECKSUM_NONE;
	skb->protocol = htons(ETH_P_IP);
	skb->dev = dev;
	err = dev_hard_header(skb, dev, ETH_P_IP, dst_mac ?: dev->broadcast,
			      NULL, skb->len);
	if (err < 0) {
		kfree_skb(skb);
		return -EINVAL;
	}
	err = dev_queue_xmit(skb);
	return net_xmit_eval(err) ? -ENOBUFS : 0;
}
