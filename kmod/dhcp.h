/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DHCP/BOOTP wire format (RFC 2131/2132), PXE 2.1 vendor options and the
 * hook-independent proxy-DHCP / boot-server core.
 */
#ifndef _PXEFAST_DHCP_H
#define _PXEFAST_DHCP_H

#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include "compat.h"
#include "pxefast.h"

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68
#define PXE_BINL_PORT		4011

#define BOOTP_REQUEST		1
#define BOOTP_REPLY		2
#define BOOTP_HTYPE_ETHER	1
#define BOOTP_FLAG_BROADCAST	0x8000
#define DHCP_MAGIC		0x63825363

/* Fixed BOOTP header (RFC 951/2131), then the magic cookie and options. */
struct bootp_hdr {
	u8 op;
	u8 htype;
	u8 hlen;
	u8 hops;
	__be32 xid;
	__be16 secs;
	__be16 flags;
	__be32 ciaddr;
	__be32 yiaddr;
	__be32 siaddr;
	__be32 giaddr;
	u8 chaddr[16];
	char sname[64];
	char file[128];
	__be32 magic;
	u8 options[];
} __packed;

#define BOOTP_MIN_LEN		sizeof(struct bootp_hdr)
/* Smallest reply clients must accept (RFC 2131: 576-byte IP datagram). */
#define DHCP_MIN_MAX_MSG	576

enum dhcp_option {
	DHO_PAD			= 0,
	DHO_SERVER_NAME_66	= 66,
	DHO_BOOTFILE_67		= 67,
	DHO_VENDOR_OPTS		= 43,
	DHO_MSG_TYPE		= 53,
	DHO_SERVER_ID		= 54,
	DHO_REQUESTED_IP	= 50,
	DHO_PARAM_LIST		= 55,
	DHO_MAX_MSG_SIZE	= 57,
	DHO_VENDOR_CLASS	= 60,
	DHO_CLIENT_ID		= 61,
	DHO_USER_CLASS		= 77,
	DHO_RELAY_INFO		= 82,
	DHO_CLIENT_ARCH		= 93,
	DHO_CLIENT_NDI		= 94,
	DHO_CLIENT_UUID		= 97,
	DHO_IPXE_ENCAP		= 175,
	DHO_END			= 255,
};

enum dhcp_msg_type {
	DHCPDISCOVER	= 1,
	DHCPOFFER	= 2,
	DHCPREQUEST	= 3,
	DHCPACK		= 5,
	DHCPINFORM	= 8,
};

/* PXE 2.1 option 43 sub-options. */
enum pxe_vendor_option {
	PXE_DISCOVERY_CONTROL	= 6,
	PXE_DISCOVERY_MCAST	= 7,
	PXE_BOOT_SERVERS	= 8,
	PXE_BOOT_MENU		= 9,
	PXE_MENU_PROMPT		= 10,
	PXE_CREDENTIAL_TYPES	= 12,
	PXE_BOOT_ITEM		= 71,
};

#define PXE_LAYER_CREDENTIALS	0x8000	/* 43.71 layer bit: BIS credentials */
#define PXE_LAYER_MASK		0x7fff

/* Why a request got no answer; each maps to a counter. */
enum pxefast_verdict {
	PXEFAST_ANSWER,
	PXEFAST_IGNORE,			/* not ours (not PXE, not a request) */
	PXEFAST_DROP_MALFORMED,
	PXEFAST_DROP_HTYPE,
	PXEFAST_DROP_ARCH,
	PXEFAST_DROP_NO_MAP,
	PXEFAST_DROP_NO_BIS,
	PXEFAST_DROP_NO_ADDR,
	PXEFAST_DROP_TX,		/* reply does not fit the client's limit */
};

/* What a request says, with pointers into the packet it was parsed from. */
struct pxefast_dhcp_req {
	const struct bootp_hdr *hdr;
	u8 msg_type;
	u16 max_msg;			/* option 57, 0 if absent */
	__be32 server_id;		/* option 54, 0 if absent */
	bool wants_lease;		/* option 50: asks for an address */
	bool pxe;			/* option 60 "PXEClient..." or 93 */
	bool has_arch;
	u16 arch;			/* option 93, first entry */
	bool has_uuid;			/* option 97 is type 0 + 16 bytes */
	u8 uuid[PXEFAST_UUID_LEN];	/* option 97 after its type byte */
	const u8 *vclass;		/* option 60 */
	u8 vclass_len;
	const u8 *uclass;		/* option 77 as sent */
	u8 uclass_len;
	bool ipxe;			/* option 175 present */
	bool has_item;
	u16 item_type;			/* option 43.71 */
	u16 item_layer;
	const u8 *ndi;			/* option 94, 3 bytes */
	const u8 *relay_info;		/* option 82, echoed (RFC 3046 2.2) */
	u8 relay_info_len;
	unsigned int bad_options;	/* options ignored as unusable */
};

/* Where the packet came from and where an answer would come from. */
struct pxefast_dhcp_ctx {
	struct pxefast_net *pn;
	const struct pxefast_config *cfg;
	int ifindex;
	__be32 server_addr;		/* this host's address on that device */
	__be32 saddr;			/* request's IP source */
	bool binl;			/* arrived on UDP 4011 */
};

/* The reply, built into a caller-provided buffer. */
struct pxefast_dhcp_reply {
	u8 *buf;
	bool ack;			/* a DHCPACK rather than an OFFER */
	unsigned int size;		/* capacity of buf */
	unsigned int len;		/* reply length */
	bool broadcast;			/* send to 255.255.255.255 */
	const char *file;		/* the file named, if any */
	u32 delay_ms;			/* send this much later (mapping's) */
	u16 arch;			/* the client's architecture */
	u8 mac[ETH_ALEN];		/* the client's hardware address */
};

#define PXEFAST_DHCP_REPLY_MAX	1472	/* fits any Ethernet MTU >= 1500 */

enum pxefast_verdict pxefast_dhcp_parse(const u8 *data, unsigned int len,
					struct pxefast_dhcp_req *req);
bool pxefast_dhcp_arch_enabled(const struct pxefast_config *cfg, u16 arch);
const struct pxefast_map *pxefast_map_lookup(const struct pxefast_config *cfg,
					     const struct pxefast_dhcp_req *req);
bool pxefast_dhcp_wanted(const struct pxefast_dhcp_ctx *ctx,
			 const struct pxefast_dhcp_req *req);
enum pxefast_verdict pxefast_dhcp_answer(const struct pxefast_dhcp_ctx *ctx,
					 const struct pxefast_dhcp_req *req,
					 struct pxefast_dhcp_reply *reply);
enum pxefast_verdict pxefast_dhcp_process(const struct pxefast_dhcp_ctx *ctx,
					  const u8 *data, unsigned int len,
					  struct pxefast_dhcp_reply *reply);
void pxefast_dhcp_sent(const struct pxefast_dhcp_ctx *ctx,
		       const struct pxefast_dhcp_reply *reply, int err);

/* dhcp_skb.c */
__be32 pxefast_server_addr(const struct pxefast_dev_cfg *dcfg,
			   const struct net_device *dev);
int pxefast_udp_pull(struct sk_buff *skb, unsigned int hook);
bool pxefast_udp_listened(struct sk_buff *skb);
struct pxefast_udp_ep;
void pxefast_dhcp_reply_ep(const struct pxefast_dhcp_ctx *ctx,
			   const struct pxefast_dhcp_reply *reply,
			   const struct bootp_hdr *rq, __be16 sport,
			   const u8 *src_mac, struct pxefast_udp_ep *ep);
bool pxefast_dhcp_send(struct net_device *dev,
		       const struct pxefast_dhcp_ctx *ctx,
		       const struct pxefast_dhcp_reply *reply,
		       const struct pxefast_udp_ep *ep);
bool pxefast_dhcp_rx(struct pxefast_net *pn, const struct pxefast_config *cfg,
		     const struct pxefast_dev_cfg *dcfg, struct sk_buff *skb,
		     bool binl);

/* dhcp_delay.c */
int pxefast_dhcp_delay(const struct pxefast_dhcp_ctx *ctx,
		       const struct pxefast_dhcp_reply *reply,
		       const struct pxefast_udp_ep *ep);

#endif /* _PXEFAST_DHCP_H */
