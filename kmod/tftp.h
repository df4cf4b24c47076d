/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TFTP (RFC 1350, options RFC 2347/2348/2349/7440): wire format, the
 * request parser (bytes in, no sk_buff), and the transfer engine's
 * interfaces.
 */
#ifndef _PXEFAST_TFTP_H
#define _PXEFAST_TFTP_H

#include <linux/in6.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/udp.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <net/ipv6.h>
#include "pxefast.h"

#define TFTP_PORT		69

enum tftp_opcode {
	TFTP_RRQ	= 1,
	TFTP_WRQ	= 2,
	TFTP_DATA	= 3,
	TFTP_ACK	= 4,
	TFTP_ERROR	= 5,
	TFTP_OACK	= 6,
};

enum tftp_error {
	TFTP_EUNDEF	= 0,	/* see message */
	TFTP_ENOTFOUND	= 1,
	TFTP_EACCESS	= 2,
	TFTP_ENOSPACE	= 3,
	TFTP_EBADOP	= 4,
	TFTP_EBADID	= 5,
	TFTP_EEXISTS	= 6,
	TFTP_ENOUSER	= 7,
	TFTP_EOPTNEG	= 8,
};

#define TFTP_HDR_LEN		4	/* opcode + block number / error code */
#define TFTP_BLKSIZE_DEFAULT	512
#define TFTP_BLKSIZE_MIN	8
#define TFTP_BLKSIZE_MAX	PXEFAST_TFTP_MAX_BLKSIZE_MAX	/* RFC 2348 */
#define TFTP_WINDOW_MAX		65535
#define TFTP_OACK_MAX		128	/* four options with their values */

/* The options of a read request (RFC 2347), as the client asked for them. */
struct pxefast_tftp_opts {
	u16 blksize;		/* 0: not asked */
	u16 window;		/* 0: not asked */
	u8 timeout;		/* seconds, 0: not asked */
	bool tsize;
};

/* A parsed read request; strings point into the packet. */
struct pxefast_tftp_req {
	const char *file;
	unsigned int file_len;
	struct pxefast_tftp_opts opts;
};

/* tftp_proto.c: parse and build packets, no skb or socket involved. */
int pxefast_tftp_parse_rrq(const u8 *p, unsigned int len,
			   struct pxefast_tftp_req *req, u16 *code,
			   const char **why);
unsigned int pxefast_tftp_build_error(u8 *buf, unsigned int size, u16 code,
				      const char *msg);
unsigned int pxefast_tftp_build_oack(u8 *buf, unsigned int size,
				     u16 blksize, u16 window, u8 timeout,
				     bool tsize, u64 file_size);
int pxefast_tftp_map_name(char *name);
int pxefast_tftp_name_check(const char *name);

/*
 * A client as a transfer knows it, over either IP version: its address and
 * port, this host's address it sent to, and for an IPv6 link-local client
 * its link (the interface it was heard on, RFC 4007 section 6), else 0.
 * IPv4 addresses are held IPv4-mapped (::ffff:a.b.c.d, RFC 4291 section
 * 2.5.5.2), as dual-stack sockets show them, so one comparison and one hash
 * serve both versions.
 */
struct pxefast_tftp_peer {
	struct in6_addr caddr;
	struct in6_addr laddr;
	__be16 cport;
	int scope;
};

static inline bool pxefast_tftp_peer_v6(const struct pxefast_tftp_peer *p)
{
	return !ipv6_addr_v4mapped(&p->caddr);
}

/* The same client host: address, and link where the address needs one. */
static inline bool pxefast_tftp_same_host(const struct pxefast_tftp_peer *a,
					  const struct pxefast_tftp_peer *b)
{
	return ipv6_addr_equal(&a->caddr, &b->caddr) && a->scope == b->scope;
}

enum pxefast_tftp_state {
	TFTP_S_OPENING,		/* waiting for the file to be opened */
	TFTP_S_OACK,		/* OACK sent, waiting for ACK 0 */
	TFTP_S_DATA,		/* streaming */
	TFTP_S_DEAD,		/* ended, waiting for the last reference */
};

/*
 * One read transfer.  Hashed by client address (duplicate requests,
 * per-client limits, dumps); its state is under @lock.  References: the hash table,
 * a pending timer, a queued work item and transient lookups each hold
 * one; the last one queues @free_work, which sleeps as freeing needs to.
 */
struct pxefast_tftp_session {
	struct hlist_node node;
	struct rcu_head rcu;
	refcount_t ref;
	spinlock_t lock;		/* the fields below */
	struct pxefast_net *pn;
	struct work_struct work;
	struct work_struct free_work;
	struct timer_list timer;
	struct dst_cache dst_cache;	/* set up once the file is open */
	/*
	 * The snapshot the request arrived under, until tftp_start() has
	 * taken its own reference on the snapshot's TFTP root (@root):
	 * dentry references are not taken in softirq, where the d_lock a
	 * path_get() may spin on can be held by the task it interrupted.
	 */
	struct pxefast_config *cfg;
	struct path root;
	struct file *file;
	struct socket *sock;	/* reserves @sport, receives the client */
	char *name;
	u8 *rrq;		/* the read request as received, opcode on */
	unsigned int rrq_len;

	struct pxefast_tftp_peer peer;
	__be16 sport;		/* our transfer ID, 0 until bound; once set,
				 * @dst_cache is ready
				 */
	int ifindex;		/* the read request's interface */

	u8 state;
	u8 retries;		/* consecutive timeouts */
	u8 max_retries;
	bool resend_oack;
	bool tx_busy;		/* a sender is at work */
	bool oack;		/* options were acknowledged */
	bool heard;		/* the client has sent to @sport */
	bool hashed;		/* in the table; under the table's lock */
	bool admitted;		/* a transfer, not a lookup; table's lock */
	bool case_fold;		/* match names ignoring ASCII case */
	struct pxefast_tftp_opts asked;
	u16 max_blksize;
	u16 max_window;
	u16 port_min;
	u16 port_max;
	u32 max_sessions;
	u32 max_per_client;
	u16 blksize;
	u16 window;
	u32 timeout_ms;
	u32 idle_ms;

	loff_t size;
	u64 nblocks;		/* index of the last block (1-based) */
	u64 acked;		/* blocks acknowledged, contiguous */
	u64 next;		/* next block to send */
	u64 bytes;		/* DATA payload sent, retransmits included */
	u32 retransmits;
	unsigned long start;	/* jiffies */
	unsigned long last_rx;	/* jiffies of the client's last packet */
	unsigned long rto_end;	/* jiffies: retransmission due */
};

/* How a transfer ended, for its counters and the monitor's event. */
enum tftp_end_how {
	TFTP_END_DONE,
	TFTP_END_FAILED,
	TFTP_END_TIMEOUT,
	TFTP_END_CLIENT,
	TFTP_END_PROBE,		/* aborted by the client right after a tsize OACK */
};

static inline void pxefast_tftp_stat(struct pxefast_tftp_session *s,
				     enum pxefast_stat idx)
{
	pxefast_stat_add(s->pn, idx, 1);
}

/* tftp_rx.c: packets in */
void pxefast_tftp_rx(struct pxefast_net *pn, struct pxefast_config *cfg,
		     const struct pxefast_dev_cfg *dcfg, struct sk_buff *skb);
void pxefast_tftp_rx6(struct pxefast_net *pn, struct pxefast_config *cfg,
		      struct sk_buff *skb, unsigned int thoff);
void pxefast_tftp_input(struct pxefast_tftp_session *s, struct sk_buff *skb);

/* tftp_session.c: the table, and a session's birth, admission and end */
int pxefast_tftp_new(struct pxefast_net *pn, struct pxefast_config *cfg,
		     const struct pxefast_tftp_req *req, const u8 *rrq,
		     unsigned int rrq_len, int ifindex,
		     const struct pxefast_tftp_peer *peer);
const char *pxefast_tftp_admit(struct pxefast_tftp_session *s);
void pxefast_tftp_end(struct pxefast_tftp_session *s, enum tftp_end_how how,
		      u16 code, const char *msg);
void pxefast_tftp_put(struct pxefast_tftp_session *s);
void pxefast_tftp_end_all(struct pxefast_net *pn, const char *why);
void pxefast_tftp_net_init(struct pxefast_net *pn);
void pxefast_tftp_net_exit(struct pxefast_net *pn);
void pxefast_tftp_commit(struct pxefast_net *pn,
			 const struct pxefast_config *cfg);

/* tftp_transfer.c: the state machine */
void pxefast_tftp_transfer_init(struct pxefast_tftp_session *s);
void pxefast_tftp_kick(struct pxefast_tftp_session *s);
void pxefast_tftp_ack(struct pxefast_tftp_session *s, u16 blk);
void pxefast_tftp_resend(struct pxefast_tftp_session *s);

/* tftp_tx.c */
int pxefast_tftp_send_data(struct pxefast_tftp_session *s, u64 blk,
			   bool atomic);
int pxefast_tftp_send_buf(struct pxefast_tftp_session *s, const u8 *buf,
			  unsigned int len);
int pxefast_tftp_send_raw(struct net *net, const struct pxefast_tftp_peer *p,
			  __be16 sport, const u8 *buf, unsigned int len);

/* tftp_xmit.c: IP and UDP headers on, routed, out; either IP version */
#define TFTP_HEADROOM	(MAX_HEADER + sizeof(struct ipv6hdr) + \
			 sizeof(struct udphdr))
int pxefast_tftp_xmit(struct net *net, struct dst_cache *dc,
		      struct sk_buff *skb, const struct pxefast_tftp_peer *p,
		      __be16 sport);
int pxefast_tftp_mtu(struct net *net, struct dst_cache *dc,
		     const struct pxefast_tftp_peer *p, __be16 sport);

/* tftp_file.c */
int pxefast_tftp_open(struct pxefast_tftp_session *s, const char **why);

/* tftp_port.c */
int pxefast_tftp_bind(struct pxefast_tftp_session *s, u16 port_min,
		      u16 port_max);
void pxefast_tftp_unbind(struct pxefast_tftp_session *s);

#endif /* _PXEFAST_TFTP_H */
