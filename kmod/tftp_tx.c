// SPDX-License-Identifier: GPL-2.0
/*
 * Sending TFTP packets.  A DATA packet is a 4-byte header in the skb's
 * head and the block's bytes as page fragments taken straight from the
 * file's page cache: the data is never copied by pxefast.  Blocks whose
 * pages are not cached are read (which also starts readahead) into fresh
 * pages, in process context only.
 *
 * Packets leave through pxefast_tftp_xmit() (tftp_xmit.c), over the
 * client's IP version; a session caches its route.
 */

#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/skbuff.h>
#include "compat.h"
#include "tftp.h"

static struct sk_buff *tftp_alloc(unsigned int len, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(TFTP_HEADROOM + len, gfp);

	if (skb)
		skb_reserve(skb, TFTP_HEADROOM);
	return skb;
}

/* Attach @n bytes of @page at @off as the next fragment (takes the ref). */
static void tftp_add_frag(struct sk_buff *skb, struct page *page,
			  unsigned int off, unsigned int n)
{
	skb_fill_page_desc(skb, skb_shinfo(skb)->nr_frags, page, off, n);
	skb->len += n;
	skb->data_len += n;
	skb->truesize += n;
}

/* Copy @n bytes at @pos of the file into a new page (may sleep). */
static int tftp_read_frag(struct file *file, struct sk_buff *skb, loff_t pos,
			  unsigned int n)
{
	struct page *page = alloc_page(GFP_KERNEL);
	ssize_t got;

	if (!page)
		return -ENOMEM;
	got = kernel_read(file, page_address(page), n, &pos);
	if (got != n) {
		put_page(page);
		return got < 0 ? got : -ESTALE;
	}
	tftp_add_frag(skb, page, 0, n);
	return 0;
}

/* The file bytes [@off, @off + @len) as fragments of @skb. */
static int tftp_fill(struct file *file, struct sk_buff *skb, loff_t off,
		     unsigned int len, bool atomic)
{
	struct address_space *mapping = file->f_mapping;
	unsigned int done = 0;
	int err;

	while (done < len) {
		loff_t pos = off + done;
		unsigned int poff = offset_in_page(pos);
		unsigned int n = min_t(unsigned int, len - done,
				       PAGE_SIZE - poff);
		struct page *page;

		if (skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS)
			return -EMSGSIZE;
		page = find_get_page(mapping, pos >> PAGE_SHIFT);
		if (page && PageUptodate(page)) {
			tftp_add_frag(skb, page, poff, n);
		} else {
			if (page)
				put_page(page);
			if (atomic)
				return -EAGAIN;
			err = tftp_read_frag(file, skb, pos, n);
			if (err)
				return err;
		}
		done += n;
	}
	return 0;
}

/**
 * pxefast_tftp_send_data - send block @blk (1-based) of @s's file
 * @s: the session
 * @blk: the block
 * @atomic: in softirq context: fail with -EAGAIN rather than sleep
 *
 * Return: the number of file bytes the block carried (0 for an empty last
 * block), or -EAGAIN, -ESTALE when the file shrank below the block, or
 * another negative errno.
 */
int pxefast_tftp_send_data(struct pxefast_tftp_session *s, u64 blk,
			   bool atomic)
{
	loff_t off = (blk - 1) * s->blksize;
	struct sk_buff *skb;
	unsigned int len;
	u8 *hdr;
	int err;

	if (off > s->size)
		return -EINVAL;
	len = min_t(u64, s->blksize, s->size - off);
	if (off + len > i_size_read(file_inode(s->file)))
		return -ESTALE;

	skb = tftp_alloc(TFTP_HDR_LEN, atomic ? GFP_ATOMIC : GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = skb_put(skb, TFTP_HDR_LEN);
	put_unaligned_be16(TFTP_DATA, hdr);
	put_unaligned_be16((u16)blk, hdr + 2);
	err = tftp_fill(s->file, skb, off, len, atomic);
	if (err) {
		kfree_skb(skb);
		return err;
	}

	local_bh_disable();
	err = pxefast_tftp_xmit(s->pn->net, &s->dst_cache, skb, &s->peer,
				s->sport);
	local_bh_enable();
	if (err)
		return err;
	return len;
}

/**
 * pxefast_tftp_send_buf - send a small packet (OACK, ERROR) of a transfer
 * @s: the transfer
 * @buf: the TFTP packet
 * @len: its length in bytes
 *
 * From the transfer's port once it has one, else from port 69 and without
 * the route cache (a refused request).  Any context.
 *
 * Return: 0 or a negative errno.
 */
int pxefast_tftp_send_buf(struct pxefast_tftp_session *s, const u8 *buf,
			  unsigned int len)
{
	struct sk_buff *skb = tftp_alloc(len, GFP_ATOMIC);
	__be16 sport;
	int err;

	if (!skb)
		return -ENOMEM;
	skb_put_data(skb, buf, len);
	/* Pairs with pxefast_tftp_bind(): a port means a ready cache. */
	sport = smp_load_acquire(&s->sport);
	local_bh_disable();
	err = pxefast_tftp_xmit(s->pn->net, sport ? &s->dst_cache : NULL, skb,
				&s->peer, sport ? sport : htons(TFTP_PORT));
	local_bh_enable();
	return err;
}

/**
 * pxefast_tftp_send_raw - send a TFTP packet outside any transfer
 * @net: the namespace
 * @p: the client, and this host's address it sent to
 * @sport: source port
 * @buf: the TFTP packet
 * @len: its length in bytes
 *
 * For errors to requests that start no transfer.  Any context (GFP_ATOMIC).
 *
 * Return: 0 or a negative errno.
 */
int pxefast_tftp_send_raw(struct net *net, const struct pxefast_tftp_peer *p,
			  __be16 sport, const u8 *buf, unsigned int len)
{
	struct sk_buff *skb = tftp_alloc(len, GFP_ATOMIC);

	if (!skb)
		return -ENOMEM;
	skb_put_data(skb, buf, len);
	return pxefast_tftp_xmit(net, NULL, skb, p, sport);
}
