// SPDX-License-Identifier: GPL-2.0
/*
 * TFTP read transfers: the session table, the state machine driven by the
 * client's ACKs and by the retransmission timer, limits, and ends.
 *
 * A read request reaches pxefast_tftp_rx() from the hook on UDP 69; the
 * client's later packets reach pxefast_tftp_input() from the socket that
 * reserves the transfer's own server port.  Both run in softirq context.  Opening the
 * file, and sending blocks whose pages are not in the page cache, is left
 * to the session's work item; blocks that are cached are sent from the
 * ACK's softirq at once.
 */

#include <linux/hash.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <linux/wait_bit.h>
#include <net/ip.h>
#include "addr.h"
#include "compat.h"
#include "dhcp.h"
#include "tftp.h"

static unsigned int max_sessions = 65536;
module_param(max_sessions, uint, 0444);
MODULE_PARM_DESC(max_sessions,
		 "Most TFTP transfers at once, all network namespaces together (default 65536)");

static atomic_t pxefast_tftp_total = ATOMIC_INIT(0);

enum tftp_end_how {
	TFTP_END_DONE,
	TFTP_END_FAILED,
	TFTP_END_TIMEOUT,
	TFTP_END_CLIENT,
	TFTP_END_PROBE,		/* aborted by the client right after a tsize OACK */
};

/* A session joined or left the table: dumps in progress are told. */
static void tftp_table_changed(struct pxefast_tftp_net *tn)
{
	lockdep_assert_held(&tn->lock);
	/*
	 * After the list change (release: a dump that reads the new value
	 * walks the changed list); 0 would turn off the dump's check.
	 */
	smp_store_release(&tn->gen, tn->gen + 1 ?: 1);
}

static u32 tftp_hash(__be32 caddr)
{
	return hash_32((__force u32)caddr, PXEFAST_TFTP_HASH_BITS);
}

static void tftp_stat(struct pxefast_tftp_session *s, enum pxefast_stat idx)
{
	pxefast_stat_add(s->pn, idx, 1);
}

static void tftp_put(struct pxefast_tftp_session *s)
{
	if (refcount_dec_and_test(&s->ref))
		queue_work(pxefast_wq, &s->free_work);
}

static void tftp_free_work(struct work_struct *work)
{
	struct pxefast_tftp_session *s =
		container_of(work, struct pxefast_tftp_session, free_work);
	struct pxefast_net *pn = s->pn;

	/* A timer or work item that dropped the last reference may still be
	 * returning.
	 */
	timer_delete_sync(&s->timer);
	cancel_work_sync(&s->work);
	pxefast_tftp_unbind(s);
	if (s->file)
		fput(s->file);
	pxefast_config_put(s->cfg);
	path_put(&s->root);
	/* A no-op on a cache never set up (the file was not opened): the
	 * session was zeroed.
	 */
	dst_cache_destroy(&s->dst_cache);
	kfree(s->name);
	kfree(s->rrq);
	kfree_rcu(s, rcu);

	/* The last one wakes pxefast_tftp_net_exit(), which takes the lock
	 * before it returns: @pn outlives the wake-up.
	 */
	spin_lock_bh(&pn->tftp.lock);
	if (atomic_dec_and_test(&pn->tftp.nobjs))
		wake_up_var(&pn->tftp.nobjs);
	spin_unlock_bh(&pn->tftp.lock);
}

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

/* Run the session's work item; it holds a reference while queued. */
static void tftp_kick(struct pxefast_tftp_session *s)
{
	refcount_inc(&s->ref);
	if (!queue_work(pxefast_wq, &s->work))
		tftp_put(s);
}

/* Mark @s ended; false when it was already.  Takes s->lock. */
static bool tftp_mark_dead(struct pxefast_tftp_session *s)
{
	bool was_dead;

	spin_lock_bh(&s->lock);
	was_dead = s->state == TFTP_S_DEAD;
	s->state = TFTP_S_DEAD;
	spin_unlock_bh(&s->lock);
	return !was_dead;
}

/* Take @s out of the table and its counts; the table's lock held. */
static void tftp_unhash_locked(struct pxefast_tftp_net *tn,
			       struct pxefast_tftp_session *s)
{
	hlist_del_rcu(&s->node);
	tftp_table_changed(tn);
	s->hashed = false;
	if (s->admitted) {
		atomic_dec(&tn->nsessions);
		atomic_dec(&pxefast_tftp_total);
	} else {
		atomic_dec(&tn->npending);
	}
}

/*
 * The rest of ending @s, once marked dead and unhashed: tell the client
 * why when @msg is set, count it, drop the table's reference.
 */
static void tftp_finish(struct pxefast_tftp_session *s, enum tftp_end_how how,
			u16 code, const char *msg)
{
	struct pxefast_net *pn = s->pn;
	enum pxefast_event_type ev;
	u8 buf[TFTP_HDR_LEN + 64];
	unsigned int len;

	if (msg) {
		len = pxefast_tftp_build_error(buf, sizeof(buf), code, msg);
		pxefast_tftp_send_buf(s, buf, len);
	}

	switch (how) {
	case TFTP_END_DONE:
		tftp_stat(s, PXEFAST_STAT_TFTP_DONE);
		ev = PXEFAST_EVENT_TRANSFER_DONE;
		break;
	case TFTP_END_PROBE:
		/* Not a failure: the client had what it asked for. */
		tftp_stat(s, PXEFAST_STAT_TFTP_SIZE_PROBES);
		ev = PXEFAST_EVENT_UNSPEC;
		break;
	case TFTP_END_TIMEOUT:
		tftp_stat(s, PXEFAST_STAT_TFTP_TIMEOUTS);
		fallthrough;
	default:
		tftp_stat(s, PXEFAST_STAT_TFTP_FAILED);
		ev = PXEFAST_EVENT_TRANSFER_FAILED;
		break;
	}
	if (ev != PXEFAST_EVENT_UNSPEC)
		pxefast_notify_transfer(pn->net, ev, s->ifindex, s->caddr,
					s->name, s->bytes,
					jiffies_to_msecs(jiffies - s->start),
					how == TFTP_END_DONE ? 0 : code);

	if (timer_delete(&s->timer))
		tftp_put(s);
	tftp_put(s);		/* the table's reference */
}

/*
 * End @s: tell the client why when @msg is set, unhash it, count it.
 * The caller holds a reference.  Ending twice is harmless.
 */
static void tftp_end(struct pxefast_tftp_session *s, enum tftp_end_how how,
		     u16 code, const char *msg)
{
	struct pxefast_tftp_net *tn = &s->pn->tftp;

	if (!tftp_mark_dead(s))
		return;
	/*
	 * Unhash before answering: a client may send its next request from
	 * the same port as soon as it has the ERROR, and while this session
	 * is hashed that request looks like a retransmission of this one.
	 */
	spin_lock_bh(&tn->lock);
	tftp_unhash_locked(tn, s);
	spin_unlock_bh(&tn->lock);
	tftp_finish(s, how, code, msg);
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
			tftp_kick(s);
			return;
		}
		if (ret == -ESTALE || ret == -EINVAL) {
			s->tx_busy = false;
			spin_unlock_bh(&s->lock);
			tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF,
				 "file changed during transfer");
			return;
		}
		sent = true;
		if (ret < 0) {
			tftp_stat(s, PXEFAST_STAT_TX_ERRORS);
			continue;
		}
		s->bytes += ret;
		tftp_stat(s, PXEFAST_STAT_TFTP_DATA_TX);
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
		tftp_stat(s, PXEFAST_STAT_TX_ERRORS);
	else
		tftp_stat(s, PXEFAST_STAT_TFTP_OACK_TX);
	spin_lock_bh(&s->lock);
	if (s->state == TFTP_S_OACK)
		tftp_arm(s);
	spin_unlock_bh(&s->lock);
}

/*
 * Admit @s, whose file is open, as a transfer: the per-client and
 * per-namespace limits count transfers only, so that lookups of absent
 * names (firmware probing names in a burst) never take a transfer's
 * place, however many are in flight.  Returns NULL or why not.
 */
static const char *tftp_admit(struct pxefast_tftp_session *s)
{
	struct pxefast_tftp_net *tn = &s->pn->tftp;
	struct pxefast_tftp_session *o;
	unsigned int per_client = 0;
	const char *busy = NULL;

	spin_lock_bh(&tn->lock);
	if (!s->hashed) {
		/* Ended meanwhile: tftp_start() stops at the state. */
		spin_unlock_bh(&tn->lock);
		return NULL;
	}
	hlist_for_each_entry(o, &tn->hash[tftp_hash(s->caddr)], node)
		if (o->caddr == s->caddr && o->admitted &&
		    READ_ONCE(o->state) != TFTP_S_DEAD)
			per_client++;
	if (per_client >= s->max_per_client) {
		busy = "too many transfers from this client";
	} else if (atomic_read(&tn->nsessions) >= s->max_sessions) {
		busy = "server busy";
	} else if (atomic_inc_return(&pxefast_tftp_total) > max_sessions) {
		atomic_dec(&pxefast_tftp_total);
		busy = "server busy";
	} else {
		s->admitted = true;
		atomic_dec(&tn->npending);
		atomic_inc(&tn->nsessions);
	}
	spin_unlock_bh(&tn->lock);
	return busy;
}

/* Process context: open the file, settle the options, start sending. */
static void tftp_start(struct pxefast_tftp_session *s)
{
	unsigned int cap;
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
		tftp_stat(s, code == TFTP_ENOTFOUND ?
			  PXEFAST_STAT_TFTP_ERR_NOT_FOUND :
			  PXEFAST_STAT_TFTP_ERR_ACCESS);
		tftp_end(s, TFTP_END_FAILED, code, why);
		return;
	}
	why = tftp_admit(s);
	if (why) {
		tftp_stat(s, PXEFAST_STAT_TFTP_ERR_BUSY);
		tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF, why);
		return;
	}
	/* Before the port is bound: from then on, the client's packets (or
	 * pxefast_tftp_end_all()) may send through the cache at any time.
	 * Without memory, end silently, as a request then used to be dropped.
	 */
	if (dst_cache_init(&s->dst_cache, GFP_KERNEL)) {
		tftp_stat(s, PXEFAST_STAT_TX_ERRORS);
		tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF, NULL);
		return;
	}
	if (pxefast_tftp_bind(s, s->port_min, s->port_max)) {
		tftp_stat(s, PXEFAST_STAT_TFTP_ERR_BUSY);
		tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF,
			 "no free server port");
		return;
	}
	mtu = pxefast_tftp_path_mtu(s);
	if (mtu < 0) {
		tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF, "no route to client");
		return;
	}

	/* No IP fragmentation: a block fits the path MTU. */
	cap = max_t(int, mtu - (int)(sizeof(struct iphdr) +
				     sizeof(struct udphdr) + TFTP_HDR_LEN),
		    TFTP_BLKSIZE_MIN);
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
	tftp_put(s);
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
		tftp_end(s, TFTP_END_TIMEOUT, TFTP_EUNDEF, "timeout");
	} else if (kick) {
		tftp_stat(s, PXEFAST_STAT_TFTP_RETRANSMITS);
		tftp_kick(s);
	}
	tftp_put(s);
}

/* The client acknowledged block @blk (16 bits, as on the wire). */
static void tftp_ack(struct pxefast_tftp_session *s, u16 blk)
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
		tftp_end(s, TFTP_END_DONE, 0, NULL);
	else if (go)
		tftp_tx(s, true);
}

static void tftp_refuse(struct pxefast_net *pn, __be32 laddr, __be16 lport,
			__be32 caddr, __be16 cport, enum pxefast_stat stat,
			u16 code, const char *msg)
{
	u8 buf[TFTP_HDR_LEN + 64];
	unsigned int len;

	if (stat)
		pxefast_stat_add(pn, stat, 1);
	len = pxefast_tftp_build_error(buf, sizeof(buf), code, msg);
	if (pxefast_tftp_send_raw(pn->net, laddr, lport, caddr, cport, buf,
				  len))
		pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
}

/* Free a session tftp_new() did not hash: it has nothing but its names. */
static void tftp_discard(struct pxefast_tftp_session *s)
{
	pxefast_config_put(s->cfg);
	kfree(s->name);
	kfree(s->rrq);
	kfree(s);
}

/*
 * Is a read request of @len bytes at @rrq, from @o's client address and
 * port, a retransmission of @o's?  Only a byte-identical request, and only
 * while the client has not answered @o (it cannot have had @o's reply):
 * anything else from that port is a new request, such as a PXE ROM's
 * after a reset, which reuses its source ports on every boot.  The
 * table's lock held.
 */
static bool tftp_is_retransmit(struct pxefast_tftp_session *o, const u8 *rrq,
			       unsigned int len)
{
	bool heard;

	spin_lock(&o->lock);
	heard = o->heard;
	spin_unlock(&o->lock);
	return !heard && o->rrq_len == len && !memcmp(o->rrq, rrq, len);
}

/*
 * The client asked again for @s's file: send what it was last sent (the
 * OACK, or the window from its first unacknowledged block).  While the
 * file is being opened, the reply on its way is the answer.
 */
static void tftp_resend(struct pxefast_tftp_session *s)
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
		tftp_stat(s, PXEFAST_STAT_TFTP_RETRANSMITS);
		tftp_kick(s);
	}
}

/*
 * A valid read request @rrq of @rrq_len bytes: start a session unless
 * the number of lookups in flight says no.  A transfer from the same
 * client address and port is either answered again (a retransmitted
 * request) or ended, quietly, in favour of the new request.  The limits
 * on transfers are applied once the file is found (tftp_admit()).
 */
static void tftp_new(struct pxefast_net *pn, struct pxefast_config *cfg,
		     const struct pxefast_tftp_req *req, const u8 *rrq,
		     unsigned int rrq_len, int ifindex, __be32 caddr,
		     __be16 cport, __be32 laddr)
{
	const struct pxefast_tftp_cfg *t = &cfg->tftp;
	struct pxefast_tftp_net *tn = &pn->tftp;
	struct pxefast_tftp_session *s, *o, *old = NULL;
	struct hlist_head *head;

	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s)
		goto nomem;
	s->name = kmemdup_nul(req->file, req->file_len, GFP_ATOMIC);
	s->rrq = kmemdup(rrq, rrq_len, GFP_ATOMIC);
	if (!s->name || !s->rrq) {
		tftp_discard(s);
		goto nomem;
	}
	s->rrq_len = rrq_len;
	if (pxefast_tftp_map_name(s->name)) {
		tftp_discard(s);
		tftp_refuse(pn, laddr, htons(TFTP_PORT), caddr, cport,
			    PXEFAST_STAT_TFTP_ERR_NOT_FOUND, TFTP_ENOTFOUND,
			    "file not found");
		return;
	}

	refcount_set(&s->ref, 1);
	spin_lock_init(&s->lock);
	s->pn = pn;
	INIT_WORK(&s->work, tftp_work);
	INIT_WORK(&s->free_work, tftp_free_work);
	timer_setup(&s->timer, tftp_timer, 0);
	s->caddr = caddr;
	s->cport = cport;
	s->laddr = laddr;
	s->ifindex = ifindex;
	s->state = TFTP_S_OPENING;
	s->max_retries = t->retries;
	s->max_blksize = t->max_blksize;
	s->max_window = t->max_window;
	s->max_sessions = t->max_sessions;
	s->max_per_client = t->max_per_client;
	s->port_min = t->port_min;
	s->port_max = t->port_max;
	s->timeout_ms = t->timeout_ms;
	s->idle_ms = t->idle_timeout_ms;
	s->case_fold = t->case_fold;
	s->asked = req->opts;
	s->blksize = TFTP_BLKSIZE_DEFAULT;
	s->window = 1;
	s->start = jiffies;
	s->last_rx = s->start;

	/* A snapshot being retired: drop the request, the client resends. */
	if (!pxefast_config_get(cfg)) {
		tftp_discard(s);
		return;
	}
	s->cfg = cfg;

	head = &tn->hash[tftp_hash(caddr)];
	spin_lock(&tn->lock);
	hlist_for_each_entry(o, head, node) {
		if (o->caddr != caddr || o->cport != cport ||
		    READ_ONCE(o->state) == TFTP_S_DEAD)
			continue;
		if (tftp_is_retransmit(o, rrq, rrq_len)) {
			refcount_inc(&o->ref);
			spin_unlock(&tn->lock);
			tftp_discard(s);
			tftp_resend(o);
			tftp_put(o);
			return;
		}
		/* One live session per client address and port. */
		if (tftp_mark_dead(o)) {
			tftp_unhash_locked(tn, o);
			old = o;
		}
		break;
	}
	if (atomic_read(&tn->npending) >= t->max_sessions) {
		spin_unlock(&tn->lock);
		if (old)
			tftp_finish(old, TFTP_END_CLIENT, TFTP_EUNDEF, NULL);
		tftp_discard(s);
		tftp_refuse(pn, laddr, htons(TFTP_PORT), caddr, cport,
			    PXEFAST_STAT_TFTP_ERR_BUSY, TFTP_EUNDEF,
			    "server busy");
		return;
	}
	atomic_inc(&tn->npending);
	atomic_inc(&tn->nobjs);
	s->hashed = true;
	hlist_add_head_rcu(&s->node, head);
	tftp_table_changed(tn);
	spin_unlock(&tn->lock);

	/* Quietly: an ERROR would reach the client as the new one's answer. */
	if (old)
		tftp_finish(old, TFTP_END_CLIENT, TFTP_EUNDEF, NULL);
	tftp_kick(s);
	return;

nomem:
	pxefast_stat_add(pn, PXEFAST_STAT_TX_ERRORS, 1);
}

/**
 * pxefast_tftp_rx - a datagram to UDP 69 on a served device
 * @pn: the namespace
 * @cfg: its configuration (RCU), TFTP enabled
 * @dcfg: the device's entry
 * @skb: the datagram, network header at data; not consumed
 */
void pxefast_tftp_rx(struct pxefast_net *pn, struct pxefast_config *cfg,
		     const struct pxefast_dev_cfg *dcfg, struct sk_buff *skb)
{
	__be16 lport = htons(TFTP_PORT);
	const struct udphdr *uh;
	const struct iphdr *iph;
	struct pxefast_tftp_req req;
	const char *why;
	__be32 laddr;
	const u8 *p;
	u16 code;
	int len;

	len = pxefast_udp_pull(skb, NF_INET_LOCAL_IN);
	if (len < 2) {
		pxefast_stat_add(pn, PXEFAST_STAT_DROP_MALFORMED, 1);
		return;
	}
	iph = ip_hdr(skb);
	uh = udp_hdr(skb);
	p = (const u8 *)(uh + 1);

	if (!pxefast_addr_unicast(iph->saddr) || !uh->source)
		return;
	laddr = iph->daddr;
	if (skb->pkt_type != PACKET_HOST)
		laddr = pxefast_server_addr(dcfg, skb->dev);
	if (!laddr)
		return;

	switch (get_unaligned_be16(p)) {
	case TFTP_RRQ:
		pxefast_stat_add(pn, PXEFAST_STAT_TFTP_RRQ_RX, 1);
		if (pxefast_tftp_parse_rrq(p, len, &req, &code, &why)) {
			tftp_refuse(pn, laddr, lport, iph->saddr, uh->source,
				    code == TFTP_ENOTFOUND ?
				    PXEFAST_STAT_TFTP_ERR_NOT_FOUND :
				    code == TFTP_EACCESS ?
				    PXEFAST_STAT_TFTP_ERR_ACCESS :
				    PXEFAST_STAT_TFTP_ERR_ILLEGAL, code, why);
			return;
		}
		tftp_new(pn, cfg, &req, p, len, skb->dev->ifindex,
			 iph->saddr, uh->source, laddr);
		return;
	case TFTP_WRQ:
		pxefast_stat_add(pn, PXEFAST_STAT_TFTP_WRQ_RX, 1);
		tftp_refuse(pn, laddr, lport, iph->saddr, uh->source,
			    PXEFAST_STAT_TFTP_ERR_ACCESS, TFTP_EACCESS,
			    "read-only server");
		return;
	case TFTP_DATA:
	case TFTP_ACK:
	case TFTP_ERROR:
	case TFTP_OACK:
		return;		/* stray packets of some transfer: no reply */
	default:
		tftp_refuse(pn, laddr, lport, iph->saddr, uh->source,
			    PXEFAST_STAT_TFTP_ERR_ILLEGAL, TFTP_EBADOP,
			    "illegal TFTP operation");
	}
}

/**
 * pxefast_tftp_input - a datagram to the server port of transfer @s
 * @s: the transfer (RCU: may be ending)
 * @skb: the datagram, UDP header at data, checksum verified; consumed
 */
void pxefast_tftp_input(struct pxefast_tftp_session *s, struct sk_buff *skb)
{
	const struct udphdr *uh;
	const struct iphdr *iph;
	const u8 *p;
	bool probe;
	u16 op;

	if (!pskb_may_pull(skb, sizeof(*uh) + TFTP_HDR_LEN) ||
	    !refcount_inc_not_zero(&s->ref))
		goto drop;
	iph = ip_hdr(skb);
	uh = udp_hdr(skb);
	p = (const u8 *)(uh + 1);
	op = get_unaligned_be16(p);

	if (iph->saddr != s->caddr || uh->source != s->cport) {
		/* RFC 1350: tell the stranger, leave the transfer alone. */
		if (op != TFTP_ERROR && skb->pkt_type == PACKET_HOST &&
		    pxefast_addr_unicast(iph->saddr))
			tftp_refuse(s->pn, iph->daddr, uh->dest, iph->saddr,
				    uh->source, 0, TFTP_EBADID,
				    "unknown transfer ID");
		goto put;
	}

	spin_lock_bh(&s->lock);
	s->heard = true;
	probe = s->state == TFTP_S_OACK && s->asked.tsize;
	spin_unlock_bh(&s->lock);

	switch (op) {
	case TFTP_ACK:
		tftp_ack(s, get_unaligned_be16(p + 2));
		break;
	case TFTP_ERROR:
		/*
		 * EDK2 asks for tsize, then aborts after the OACK (with ERROR
		 * 8) to ask again with the size known: a probe, not a failure.
		 */
		if (probe) {
			tftp_end(s, TFTP_END_PROBE, get_unaligned_be16(p + 2),
				 NULL);
			break;
		}
		tftp_stat(s, PXEFAST_STAT_TFTP_CLIENT_ERR);
		tftp_end(s, TFTP_END_CLIENT, get_unaligned_be16(p + 2), NULL);
		break;
	default:
		tftp_stat(s, PXEFAST_STAT_TFTP_ERR_ILLEGAL);
		tftp_end(s, TFTP_END_FAILED, TFTP_EBADOP,
			 "illegal TFTP operation");
		break;
	}
put:
	tftp_put(s);
	consume_skb(skb);
	return;
drop:
	kfree_skb(skb);
}

/**
 * pxefast_tftp_end_all - end every transfer of a namespace
 * @pn: the namespace
 * @why: the ERROR message for the clients, or NULL to end them silently
 *
 * Process context.
 */
void pxefast_tftp_end_all(struct pxefast_net *pn, const char *why)
{
	struct pxefast_tftp_session *s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pn->tftp.hash); i++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(s, &pn->tftp.hash[i], node) {
			if (!refcount_inc_not_zero(&s->ref))
				continue;
			tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF, why);
			tftp_put(s);
		}
		rcu_read_unlock();
	}
}

/**
 * pxefast_tftp_net_init - set up a namespace's transfer table
 * @pn: the namespace
 *
 * Pernet init; cannot fail.
 */
void pxefast_tftp_net_init(struct pxefast_net *pn)
{
	unsigned int i;

	spin_lock_init(&pn->tftp.lock);
	for (i = 0; i < ARRAY_SIZE(pn->tftp.hash); i++)
		INIT_HLIST_HEAD(&pn->tftp.hash[i]);
	atomic_set(&pn->tftp.nsessions, 0);
	atomic_set(&pn->tftp.npending, 0);
	atomic_set(&pn->tftp.nobjs, 0);
	pn->tftp.gen = 1;
}

/*
 * Under the lock the last tftp_free_work() wakes us with: once this is
 * true, that work item has let go of @tn.
 */
static bool tftp_all_freed(struct pxefast_tftp_net *tn)
{
	bool done;

	spin_lock_bh(&tn->lock);
	done = !atomic_read(&tn->nobjs);
	spin_unlock_bh(&tn->lock);
	return done;
}

/**
 * pxefast_tftp_net_exit - end a namespace's transfers and wait for them
 * @pn: the namespace, whose hooks are gone already
 *
 * Transfers free themselves (and their sockets) from work items; this waits
 * until the last one has.  Pernet exit (process context, may sleep).
 */
void pxefast_tftp_net_exit(struct pxefast_net *pn)
{
	struct pxefast_tftp_net *tn = &pn->tftp;

	if (atomic_read(&tn->nobjs))
		pxefast_tftp_end_all(pn, NULL);
	/* Transfers free themselves (and their sockets) from work items. */
	wait_var_event(&tn->nobjs, tftp_all_freed(tn));
}

/**
 * pxefast_tftp_commit - apply a new configuration to running transfers
 * @pn: the namespace, its lock held
 * @cfg: the configuration being published
 *
 * Transfers keep running across changes, with the file they opened and
 * the limits they started with; turning TFTP off ends them, with an
 * error to their clients.
 */
void pxefast_tftp_commit(struct pxefast_net *pn,
			 const struct pxefast_config *cfg)
{
	lockdep_assert_held(&pn->lock);
	if (!cfg->tftp.enabled && (atomic_read(&pn->tftp.nsessions) ||
				   atomic_read(&pn->tftp.npending)))
		pxefast_tftp_end_all(pn, "TFTP service stopped");
}
