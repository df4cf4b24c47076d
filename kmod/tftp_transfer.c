// SPDX-License-Identifier: GPL-2.0
/*
 * A TFTP read transfer's state machine: open the file and settle the
 * options (RFC 2347-2349, 7440), send the OACK or the first window, move
 * the window on the client's ACKs, retransmit on the timer, give up after
 * the retries or the idle timeout.
 *
 * ACKs arrive in softirq context (tftp_rx.c); blocks that are in the page
 * cache are sent from there at once.  Opening the file, and sending
 * blocks whose pages are not cached, is left to the session's work item.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/path.h>
#include <linux/udp.h>
#include "compat.h"
#include "tftp.h"

/* When @s's client has been silent for the idle timeout; s->lock held. */
static unsigned long tftp_idle_end(const struct pxefast_tftp_session *s)
{
	return s->last_rx + msecs_to_jiffies(s->idle_ms);
}

/*
 * (Re)start @s's timer for the earlier of its two deadlines: the
 * retransmission timeout (@s->rto_end) and the end of the idle timeout.
 * Whatever timeout the client negotiated, a client silent for the idle
 * timeout ends its transfer.  Caller holds s->lock; the timer holds a
 * reference while pending.
 */
static void tftp_arm_deadline(struct pxefast_tftp_session *s)
{
	unsigned long expires = s->rto_end;

	if (s->state == TFTP_S_DEAD)
		return;
	if (time_before(tftp_idle_end(s), expires))
		expires = tftp_idle_end(s);
	refcount_inc(&s->ref);
	if (mod_timer(&s->timer, expires))
		refcount_dec(&s->ref);
}

/* Something was sent: wait the retransmission timeout.  s->lock held. */
static void tftp_arm(struct pxefast_tftp_session *s)
{
	s->rto_end = jiffies + msecs_to_jiffies(s->timeout_ms);
	tftp_arm_deadline(s);
}

/**
 * pxefast_tftp_kick - run a session's work item
 * @s: the session
 *
 * The work item opens the file, or sends what the state calls for; it
 * holds a reference while queued.  Any context.
 */
void pxefast_tftp_kick(struct pxefast_tftp_session *s)
{
	refcount_inc(&s->ref);
	if (!queue_work(pxefast_wq, &s->work))
		pxefast_tftp_put(s);
}

/*
 * Send what the window allows.  One sender at a time: a caller finding
 * another at work leaves the rest to it.  @atomic: from softirq, where a
 * block not in the page cache is handed to the work item.
 */
static void tftp_tx(struct pxefast_tftp_session *s, bool atomic)
{
	bool sent = false;
	u64 blk;
	int ret;

	spin_lock_bh(&s->lock);
	if (s->tx_busy) {
		/* The sender at work reads the new state before it stops. */
		spin_unlock_bh(&s->lock);
		return;
	}
	s->tx_busy = true;
	for (;;) {
		if (s->state != TFTP_S_DATA || s->next > s->nblocks ||
		    s->next > s->acked + s->window)
			break;
		blk = s->next++;
		spin_unlock_bh(&s->lock);

		ret = pxefast_tftp_send_data(s, blk, atomic);

		spin_lock_bh(&s->lock);
		if (ret == -EAGAIN) {
			s->next = min(s->next, blk);
			s->tx_busy = false;
			spin_unlock_bh(&s->lock);
			pxefast_tftp_kick(s);
			return;
		}
		if (ret == -ESTALE || ret == -EINVAL) {
			s->tx_busy = false;
			spin_unlock_bh(&s->lock);
			pxefast_tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF,
					 "file changed during transfer");
			return;
		}
		sent = true;
		if (ret < 0) {
			pxefast_tftp_stat(s, PXEFAST_STAT_TX_ERRORS);
			continue;
		}
		s->bytes += ret;
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_DATA_TX);
		pxefast_stat_add(s->pn, PXEFAST_STAT_TFTP_BYTES_TX, ret);
	}
	if (sent)
		tftp_arm(s);
	s->tx_busy = false;
	spin_unlock_bh(&s->lock);
}

static void tftp_send_oack(struct pxefast_tftp_session *s)
{
	u8 buf[TFTP_OACK_MAX];
	unsigned int len;

	len = pxefast_tftp_build_oack(buf, sizeof(buf),
				      s->asked.blksize ? s->blksize : 0,
				      s->asked.window ? s->window : 0,
				      s->asked.timeout, s->asked.tsize,
				      s->size);
	if (pxefast_tftp_send_buf(s, buf, len))
		pxefast_tftp_stat(s, PXEFAST_STAT_TX_ERRORS);
	else
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_OACK_TX);
	spin_lock_bh(&s->lock);
	if (s->state == TFTP_S_OACK)
		tftp_arm(s);
	spin_unlock_bh(&s->lock);
}

/* Process context: open the file, settle the options, start sending. */
static void tftp_start(struct pxefast_tftp_session *s)
{
	unsigned int cap, hdrs;
	const char *why;
	int code, mtu;

	if (s->cfg) {
		s->root = s->cfg->tftp.root;
		path_get(&s->root);
		pxefast_config_put(s->cfg);
		s->cfg = NULL;
	}

	code = pxefast_tftp_open(s, &why);
	if (code) {
		pxefast_tftp_stat(s, code == TFTP_ENOTFOUND ?
			  PXEFAST_STAT_TFTP_ERR_NOT_FOUND :
			  PXEFAST_STAT_TFTP_ERR_ACCESS);
		pxefast_tftp_end(s, TFTP_END_FAILED, code, why);
		return;
	}
	why = pxefast_tftp_admit(s);
	if (why) {
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_ERR_BUSY);
		pxefast_tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF, why);
		return;
	}
	/* Before the port is bound: from then on, the client's packets (or
	 * pxefast_tftp_end_all()) may send through the cache at any time.
	 * Without memory, end silently, as a request then used to be dropped.
	 */
	if (dst_cache_init(&s->dst_cache, GFP_KERNEL)) {
		pxefast_tftp_stat(s, PXEFAST_STAT_TX_ERRORS);
		pxefast_tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF, NULL);
		return;
	}
	if (pxefast_tftp_bind(s, s->port_min, s->port_max)) {
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_ERR_BUSY);
		pxefast_tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF,
				 "no free server port");
		return;
	}
	mtu = pxefast_tftp_mtu(s->pn->net, &s->dst_cache, &s->peer, s->sport);
	if (mtu < 0) {
		pxefast_tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF, "no route to client");
		return;
	}

	/* No IP fragmentation: a block fits the path MTU. */
	hdrs = (pxefast_tftp_peer_v6(&s->peer) ? sizeof(struct ipv6hdr) :
						  sizeof(struct iphdr)) +
	       sizeof(struct udphdr) + TFTP_HDR_LEN;
	cap = max_t(int, mtu - (int)hdrs, TFTP_BLKSIZE_MIN);
	if (s->asked.blksize)
		s->blksize = min_t(unsigned int, cap,
				   min(s->asked.blksize, s->max_blksize));
	else
		s->blksize = TFTP_BLKSIZE_DEFAULT;
	s->window = s->asked.window ? min(s->asked.window, s->max_window) : 1;
	/*
	 * The client's timeout (RFC 2349) is granted, and echoed, only when
	 * it leaves room for a retransmission within the idle timeout; else
	 * the option is not acknowledged and the server's timeout applies.
	 */
	if (s->asked.timeout * MSEC_PER_SEC >= s->idle_ms)
		s->asked.timeout = 0;
	if (s->asked.timeout)
		s->timeout_ms = s->asked.timeout * MSEC_PER_SEC;
	s->nblocks = div_u64(s->size, s->blksize) + 1;
	s->oack = s->asked.blksize || s->asked.window || s->asked.timeout ||
		  s->asked.tsize;

	spin_lock_bh(&s->lock);
	if (s->state != TFTP_S_OPENING) {
		spin_unlock_bh(&s->lock);
		return;
	}
	s->acked = 0;
	s->next = 1;
	s->state = s->oack ? TFTP_S_OACK : TFTP_S_DATA;
	spin_unlock_bh(&s->lock);

	if (s->oack)
		tftp_send_oack(s);
	else
		tftp_tx(s, false);
}

static void tftp_work(struct work_struct *work)
{
	struct pxefast_tftp_session *s =
		container_of(work, struct pxefast_tftp_session, work);
	bool oack;
	u8 state;

	spin_lock_bh(&s->lock);
	state = s->state;
	oack = s->resend_oack;
	s->resend_oack = false;
	spin_unlock_bh(&s->lock);

	if (state == TFTP_S_OPENING)
		tftp_start(s);
	else if (state == TFTP_S_OACK && oack)
		tftp_send_oack(s);
	else if (state == TFTP_S_DATA)
		tftp_tx(s, false);
	pxefast_tftp_put(s);
}

static void tftp_timer(struct timer_list *t)
{
	struct pxefast_tftp_session *s = from_timer(s, t, timer);
	bool give_up = false, kick = false;

	spin_lock_bh(&s->lock);
	if (s->state == TFTP_S_OACK || s->state == TFTP_S_DATA) {
		if (time_after_eq(jiffies, tftp_idle_end(s))) {
			give_up = true;
		} else if (time_before(jiffies, s->rto_end)) {
			/* An idle deadline the client's packets moved on. */
			tftp_arm_deadline(s);
		} else if (++s->retries > s->max_retries) {
			give_up = true;
		} else {
			/* Go back to the first unacknowledged block. */
			if (s->state == TFTP_S_OACK)
				s->resend_oack = true;
			else
				s->next = s->acked + 1;
			s->retransmits++;
			kick = true;
		}
	}
	spin_unlock_bh(&s->lock);

	if (give_up) {
		pxefast_tftp_end(s, TFTP_END_TIMEOUT, TFTP_EUNDEF, "timeout");
	} else if (kick) {
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_RETRANSMITS);
		pxefast_tftp_kick(s);
	}
	pxefast_tftp_put(s);
}

/**
 * pxefast_tftp_ack - the client acknowledged a block
 * @s: the session; the caller holds a reference
 * @blk: the block number, 16 bits as on the wire (RFC 1350; block 0
 *	acknowledges the OACK, RFC 2347)
 *
 * Moves the window on and sends what it now allows, or ends the transfer
 * at the last block.  Softirq (the transfer's port).
 */
void pxefast_tftp_ack(struct pxefast_tftp_session *s, u16 blk)
{
	bool done = false, go = false;
	u64 abs;

	spin_lock_bh(&s->lock);
	s->last_rx = jiffies;
	if (s->state == TFTP_S_OACK) {
		if (blk == 0) {
			s->state = TFTP_S_DATA;
			s->retries = 0;
			go = true;
		}
	} else if (s->state == TFTP_S_DATA) {
		/* Block numbers wrap at 65536 (to 0); windows are far smaller,
		 * so the number names one block after the last acknowledged.
		 * A duplicate ACK is ignored: no Sorcerer's Apprentice.
		 */
		abs = s->acked + (u16)(blk - (u16)s->acked);
		if (abs > s->acked && abs < s->next) {
			s->acked = abs;
			s->retries = 0;
			if (abs == s->nblocks) {
				done = true;
			} else {
				/* Inside the window: the rest was lost. */
				if (abs + 1 < s->next)
					s->next = abs + 1;
				go = true;
			}
		}
	}
	spin_unlock_bh(&s->lock);

	if (done)
		pxefast_tftp_end(s, TFTP_END_DONE, 0, NULL);
	else if (go)
		tftp_tx(s, true);
}

/**
 * pxefast_tftp_resend - answer a retransmitted read request again
 * @s: the session; the caller holds a reference
 *
 * Sends what the client was last sent (the OACK, or the window from its
 * first unacknowledged block).  While the file is being opened, the
 * reply on its way is the answer.  Softirq.
 */
void pxefast_tftp_resend(struct pxefast_tftp_session *s)
{
	bool kick = true;

	spin_lock_bh(&s->lock);
	if (s->state == TFTP_S_OACK)
		s->resend_oack = true;
	else if (s->state == TFTP_S_DATA)
		s->next = s->acked + 1;
	else
		kick = false;
	if (kick)
		s->retransmits++;
	spin_unlock_bh(&s->lock);
	if (kick) {
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_RETRANSMITS);
		pxefast_tftp_kick(s);
	}
}

/**
 * pxefast_tftp_transfer_init - set up a new session's work item and timer
 * @s: the session, not yet in the table
 *
 * Any context.
 */
void pxefast_tftp_transfer_init(struct pxefast_tftp_session *s)
{
	INIT_WORK(&s->work, tftp_work);
	timer_setup(&s->timer, tftp_timer, 0);
}
