/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * pxefast: in-kernel PXE boot service (proxy DHCP, PXE boot server on
 * UDP 4011, TFTP from the page cache).
 *
 * This header is the whole netlink contract between the pxefast module
 * and userspace (pxectl).  Generic netlink family "pxefast", version 1.
 *
 * Model
 * -----
 * Each network namespace has one configuration: a set of objects (served
 * interfaces, TFTP service, architectures, boot servers, menu, NBP
 * mappings).  The kernel holds it as an immutable snapshot; every change
 * builds a new snapshot and publishes it whole, so readers (the packet
 * path) never see a half-applied change.
 *
 * Each command takes only the attributes named for it below, validated
 * strictly; any other is refused with EINVAL and an extended ack naming
 * it ("Unsupported attribute").
 *
 * PXEFAST_CMD_GET_CONFIG (dump, unprivileged; no attribute)
 *	Replies with a sequence of messages.  The first carries
 *	PXEFAST_A_GENERATION, PXEFAST_A_TFTP, PXEFAST_A_DHCP and, when set,
 *	PXEFAST_A_MENU; the following carry PXEFAST_A_DEV, PXEFAST_A_ARCH,
 *	PXEFAST_A_SERVER and PXEFAST_A_MAP nests, as many per message as fit.
 *	Each message repeats PXEFAST_A_GENERATION so a reader can tell that a
 *	dump spans one snapshot.
 *
 * PXEFAST_CMD_SET_CONFIG (GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN over the netns)
 *	Replaces the namespace's whole configuration with the one in the
 *	message: all or nothing.  Objects are repeated top-level attributes
 *	(one PXEFAST_A_MAP nest per mapping, and so on), so a configuration is
 *	not bound by the 64 KiB limit of a single nest.  An object absent from
 *	the message is absent from the new configuration; absent scalar
 *	settings take their defaults.  When PXEFAST_A_GENERATION is present
 *	the request fails with -ESTALE unless it equals the current
 *	generation (compare-and-swap for read-modify-write tools).  On
 *	success the reply carries the new generation.  On failure the
 *	extack message says why and its bad-attribute offset points into the
 *	offending object's nest, so a tool can tell which object (and which
 *	line of its file) was refused.  A configuration accepted with
 *	warnings (see enum pxefast_warning_attr) has them in the reply.
 *	With PXEFAST_A_DRY_RUN the request is built and checked exactly as
 *	for a real set (the kernel's checks included: interfaces exist in
 *	the namespace, the TFTP root is an accessible directory, mappings
 *	are not ambiguous; PXEFAST_A_GENERATION, when present, is compared)
 *	and then discarded: nothing is published, the generation does not
 *	change, no event is sent, and the reply carries the current
 *	generation.  Failures are reported as for a real set.  A module
 *	older than this attribute refuses the request as a whole (strict
 *	validation: unknown attribute), so a dry run is never applied.
 *
 * PXEFAST_CMD_GET_STATS (do, unprivileged)
 *	Replies with PXEFAST_A_STATS (counters) and PXEFAST_A_ARCH_STATS
 *	nests.  PXEFAST_A_STATS_CLEAR in a request from an admin zeroes them
 *	after reading.
 *
 * PXEFAST_CMD_GET_SESSIONS (dump, unprivileged; no attribute)
 *	One PXEFAST_A_SESSION nest per live TFTP transfer.
 *
 * PXEFAST_CMD_EVENT (multicast group "events", CAP_NET_ADMIN over the netns
 * to join where the kernel supports it)
 *	Notifications: PXEFAST_A_EVENT nest.
 */
#ifndef _UAPI_LINUX_PXEFAST_H
#define _UAPI_LINUX_PXEFAST_H

#include <linux/types.h>

#define PXEFAST_GENL_NAME		"pxefast"
#define PXEFAST_GENL_VERSION		1
#define PXEFAST_MCGRP_EVENTS		"events"

/* Limits, enforced by the kernel's policies and by pxectl. */
#define PXEFAST_PATH_MAX		1024	/* TFTP root, file names, incl. NUL */
#define PXEFAST_NAME_MAX		128	/* labels, classes, prompt, incl. NUL */
#define PXEFAST_MAX_DEVS		64
#define PXEFAST_MAX_SERVERS		64
#define PXEFAST_MAX_SERVER_ADDRS	16
#define PXEFAST_MAX_MENU_ITEMS		32
#define PXEFAST_MAX_ARCHS		256
#define PXEFAST_MAX_MAPS		65536
#define PXEFAST_UUID_LEN		16

/*
 * The TFTP service's settings (enum pxefast_tftp_attr): for each, the
 * range the kernel's policy accepts and pxectl checks, and the value an
 * absent attribute takes.  pxefast.conf(5) quotes them (userspace's
 * "make test" compares).
 */
#define PXEFAST_TFTP_MAX_SESSIONS_MIN		1
#define PXEFAST_TFTP_MAX_SESSIONS_MAX		65536
#define PXEFAST_TFTP_MAX_SESSIONS_DEFAULT	1024
#define PXEFAST_TFTP_MAX_PER_CLIENT_MIN		1
#define PXEFAST_TFTP_MAX_PER_CLIENT_MAX		65536
#define PXEFAST_TFTP_MAX_PER_CLIENT_DEFAULT	16
#define PXEFAST_TFTP_MAX_BLKSIZE_MIN		512	/* RFC 2348: 8..65464 */
#define PXEFAST_TFTP_MAX_BLKSIZE_MAX		65464
#define PXEFAST_TFTP_MAX_BLKSIZE_DEFAULT	1468	/* 1500-byte MTU */
#define PXEFAST_TFTP_MAX_WINDOW_MIN		1	/* RFC 7440 */
#define PXEFAST_TFTP_MAX_WINDOW_MAX		256
#define PXEFAST_TFTP_MAX_WINDOW_DEFAULT		64
#define PXEFAST_TFTP_TIMEOUT_MS_MIN		10
#define PXEFAST_TFTP_TIMEOUT_MS_MAX		255000	/* RFC 2349: 255 s */
#define PXEFAST_TFTP_TIMEOUT_MS_DEFAULT		1000
#define PXEFAST_TFTP_RETRIES_MIN		1
#define PXEFAST_TFTP_RETRIES_MAX		50
#define PXEFAST_TFTP_RETRIES_DEFAULT		5
#define PXEFAST_TFTP_PORTS_MIN			1024	/* PORT_MIN and PORT_MAX */
#define PXEFAST_TFTP_PORTS_MAX			65535
#define PXEFAST_TFTP_PORTS_DEFAULT_MIN		49152	/* RFC 6335 dynamic */
#define PXEFAST_TFTP_PORTS_DEFAULT_MAX		65535
#define PXEFAST_TFTP_IDLE_TIMEOUT_MS_MIN	100
#define PXEFAST_TFTP_IDLE_TIMEOUT_MS_MAX	3600000
#define PXEFAST_TFTP_IDLE_TIMEOUT_MS_DEFAULT	30000

/* PXEFAST_MAP_A_DELAY_MS: 0 (answer at once) to this. */
#define PXEFAST_MAP_DELAY_MS_MAX		60000

/*
 * The longest URL an HTTP boot client is given (a mapping's URL, or
 * PXEFAST_DHCP_A_HTTP_BASE joined with its file): option 67's 255 bytes
 * (RFC 2132 9.5).
 */
#define PXEFAST_HTTP_URL_MAX			255

enum pxefast_cmd {
	PXEFAST_CMD_UNSPEC,
	PXEFAST_CMD_GET_CONFIG,
	PXEFAST_CMD_SET_CONFIG,
	PXEFAST_CMD_GET_STATS,
	PXEFAST_CMD_GET_SESSIONS,
	PXEFAST_CMD_EVENT,

	__PXEFAST_CMD_MAX,
	PXEFAST_CMD_MAX = __PXEFAST_CMD_MAX - 1
};

/* Top-level attributes. */
enum pxefast_attr {
	PXEFAST_A_UNSPEC,
	PXEFAST_A_PAD,
	PXEFAST_A_GENERATION,		/* u32 */
	PXEFAST_A_TFTP,			/* nest, enum pxefast_tftp_attr */
	PXEFAST_A_DHCP,			/* nest, enum pxefast_dhcp_attr */
	PXEFAST_A_MENU,			/* nest, enum pxefast_menu_attr */
	PXEFAST_A_DEV,			/* nest, enum pxefast_dev_attr; repeated */
	PXEFAST_A_ARCH,			/* nest, enum pxefast_arch_attr; repeated */
	PXEFAST_A_SERVER,		/* nest, enum pxefast_server_attr; repeated */
	PXEFAST_A_MAP,			/* nest, enum pxefast_map_attr; repeated */
	PXEFAST_A_STATS,		/* nest, enum pxefast_stat */
	PXEFAST_A_ARCH_STATS,		/* nest, enum pxefast_arch_stat; repeated */
	PXEFAST_A_STATS_CLEAR,		/* flag */
	PXEFAST_A_SESSION,		/* nest, enum pxefast_session_attr */
	PXEFAST_A_EVENT,		/* nest, enum pxefast_event_attr */
	PXEFAST_A_WARNING,		/* nest, enum pxefast_warning_attr;
					 * repeated, in a SET_CONFIG reply
					 */
	PXEFAST_A_DRY_RUN,		/* flag: SET_CONFIG checks, does not apply */

	__PXEFAST_A_MAX,
	PXEFAST_A_MAX = __PXEFAST_A_MAX - 1
};

/* A served interface.  Only packets arriving on these are answered. */
enum pxefast_dev_attr {
	PXEFAST_DEV_A_UNSPEC,
	PXEFAST_DEV_A_IFINDEX,		/* u32; in SET, this or IFNAME */
	PXEFAST_DEV_A_IFNAME,		/* string, < IFNAMSIZ */
	PXEFAST_DEV_A_ADDR,		/* be32: advertised server address
					 * (default: the device's primary IPv4)
					 */
	PXEFAST_DEV_A_XDP,		/* u8, enum pxefast_xdp_mode; default
					 * OFF.  The module answers at XDP on
					 * this device only while a program
					 * calling its kfunc is attached there
					 * (pxectl attaches it)
					 */
	PXEFAST_DEV_A_DHCP6,		/* u8, 0 or 1; default 0: answer
					 * DHCPv6 boot requests (RFC 5970) on
					 * this interface: UDP 547 (with
					 * PXEFAST_DHCP_A_PROXY) and UDP 4011
					 * over IPv6 (with ..._BOOT_SERVER);
					 * the interface joins ff02::1:2
					 */
	PXEFAST_DEV_A_ADDR6,		/* binary, 16 bytes: the IPv6 address
					 * put in tftp:// boot file URLs
					 * (default: the device's first global
					 * address); unicast, not link-local
					 */

	__PXEFAST_DEV_A_MAX,
	PXEFAST_DEV_A_MAX = __PXEFAST_DEV_A_MAX - 1
};

/*
 * Where a served interface's PXE requests are answered.  OFF: the netfilter
 * hook (IPv4 LOCAL_IN).  GENERIC, NATIVE: at XDP, by the kfunc
 * PXEFAST_XDP_KFUNC called from the program PXEFAST_XDP_PROG, attached in
 * the kernel's generic (skb) or the driver's native mode; whatever XDP
 * does not answer goes on to the netfilter hook.
 */
enum pxefast_xdp_mode {
	PXEFAST_XDP_OFF,
	PXEFAST_XDP_GENERIC,
	PXEFAST_XDP_NATIVE,

	__PXEFAST_XDP_MODE_MAX,
	PXEFAST_XDP_MODE_MAX = __PXEFAST_XDP_MODE_MAX - 1
};

#define PXEFAST_XDP_KFUNC		"pxefast_xdp_rx"
#define PXEFAST_XDP_PROG		"pxefast_xdp"	/* its BPF function */

/* TFTP service; ranges and defaults: PXEFAST_TFTP_<SETTING>_* above. */
enum pxefast_tftp_attr {
	PXEFAST_TFTP_A_UNSPEC,
	PXEFAST_TFTP_A_ENABLED,		/* u8, 0 or 1; default 0 */
	PXEFAST_TFTP_A_ROOT,		/* string: absolute directory */
	PXEFAST_TFTP_A_MAX_SESSIONS,	/* u32: transfers at a time */
	PXEFAST_TFTP_A_MAX_PER_CLIENT,	/* u32: ... per client address */
	PXEFAST_TFTP_A_MAX_BLKSIZE,	/* u16: largest blksize granted */
	PXEFAST_TFTP_A_MAX_WINDOW,	/* u16: largest windowsize granted */
	PXEFAST_TFTP_A_TIMEOUT_MS,	/* u32: retransmission timeout */
	PXEFAST_TFTP_A_RETRIES,		/* u8: retransmissions before giving up */
	PXEFAST_TFTP_A_PORT_MIN,	/* u16: lowest local port of transfers */
	PXEFAST_TFTP_A_PORT_MAX,	/* u16: highest, >= PORT_MIN */
	PXEFAST_TFTP_A_IDLE_TIMEOUT_MS,	/* u32: a silent client's transfer ends */
	PXEFAST_TFTP_A_CASE_FOLD,	/* u8, 0 or 1: a name not found as
					 * sent is matched ignoring ASCII case,
					 * component by component; default 0
					 */

	__PXEFAST_TFTP_A_MAX,
	PXEFAST_TFTP_A_MAX = __PXEFAST_TFTP_A_MAX - 1
};

/* PXE discovery control, option 43 sub-option 6 (PXE 2.1, table 2-1). */
enum pxefast_discovery {
	PXEFAST_DISC_NO_BROADCAST	= 1 << 0,
	PXEFAST_DISC_NO_MULTICAST	= 1 << 1,
	PXEFAST_DISC_SERVER_LIST_ONLY	= 1 << 2,
	PXEFAST_DISC_DIRECT_BOOT_FILE	= 1 << 3,
};

/*
 * Proxy DHCP (UDP 67: PXE clients, and UEFI HTTP boot clients, whose
 * DISCOVER has option 60 "HTTPClient") and PXE boot server (UDP 4011).
 */
enum pxefast_dhcp_attr {
	PXEFAST_DHCP_A_UNSPEC,
	PXEFAST_DHCP_A_PROXY,		/* u8: answer PXE DISCOVERs on 67; default 1 */
	PXEFAST_DHCP_A_BOOT_SERVER,	/* u8: answer on 4011; default 1 */
	PXEFAST_DHCP_A_DISCOVERY,	/* u8, enum pxefast_discovery bits */
	PXEFAST_DHCP_A_MCAST_ADDR,	/* be32: multicast discovery address */
	PXEFAST_DHCP_A_HTTP_BASE,	/* string: "http://" or "https://" URL,
					 * at most PXEFAST_HTTP_URL_MAX bytes;
					 * an HTTP boot client (option 60
					 * "HTTPClient") whose mapping names a
					 * file, not a URL, is given this URL,
					 * one '/' and the file as a URL path
					 * (leading separators dropped, '\\'
					 * as '/', other bytes a path cannot
					 * carry percent-encoded).  Absent:
					 * such clients get no answer.
					 */

	__PXEFAST_DHCP_A_MAX,
	PXEFAST_DHCP_A_MAX = __PXEFAST_DHCP_A_MAX - 1
};

/* Boot menu, option 43 sub-options 9 and 10. */
enum pxefast_menu_attr {
	PXEFAST_MENU_A_UNSPEC,
	PXEFAST_MENU_A_PROMPT,		/* string */
	PXEFAST_MENU_A_TIMEOUT,		/* u8 seconds; 255 = wait for a key */
	PXEFAST_MENU_A_ITEM,		/* nest, enum pxefast_menu_item_attr; repeated */

	__PXEFAST_MENU_A_MAX,
	PXEFAST_MENU_A_MAX = __PXEFAST_MENU_A_MAX - 1
};

enum pxefast_menu_item_attr {
	PXEFAST_MENU_ITEM_A_UNSPEC,
	PXEFAST_MENU_ITEM_A_TYPE,	/* u16 boot server type */
	PXEFAST_MENU_ITEM_A_LABEL,	/* string */

	__PXEFAST_MENU_ITEM_A_MAX,
	PXEFAST_MENU_ITEM_A_MAX = __PXEFAST_MENU_ITEM_A_MAX - 1
};

/*
 * An architecture (RFC 4578 option 93 / IANA "Processor Architecture
 * Types").  Architectures not listed are enabled; a disabled one gets
 * no answer at all.
 */
enum pxefast_arch_attr {
	PXEFAST_ARCH_A_UNSPEC,
	PXEFAST_ARCH_A_CODE,		/* u16 */
	PXEFAST_ARCH_A_ENABLED,		/* u8, 0 or 1 */

	__PXEFAST_ARCH_A_MAX,
	PXEFAST_ARCH_A_MAX = __PXEFAST_ARCH_A_MAX - 1
};

/* A PXE boot server type and where it is (PXE 2.1 option 43.8). */
enum pxefast_server_attr {
	PXEFAST_SERVER_A_UNSPEC,
	PXEFAST_SERVER_A_TYPE,		/* u16: 0 bootstrap, ..0xfffe (PXE 2.1) */
	PXEFAST_SERVER_A_ADDRS,		/* binary: be32 array; empty = this host */
	PXEFAST_SERVER_A_LABEL,		/* string */

	__PXEFAST_SERVER_A_MAX,
	PXEFAST_SERVER_A_MAX = __PXEFAST_SERVER_A_MAX - 1
};

/*
 * An NBP mapping: match -> boot file.  Every match attribute present must
 * match; a mapping with none is the default.  The most specific matching
 * mapping wins: MAC > MAC prefix > UUID > UUID prefix > user class >
 * vendor class > arch > server type/layer > default, compared field by
 * field in that order; of two prefixes of the same field, the longer is
 * the more specific.  MAC and MAC prefix (UUID and UUID prefix) exclude
 * each other.  Two mappings with the same set of match fields (and prefix
 * lengths) that can match the same client are ambiguous and refused.
 */
enum pxefast_map_attr {
	PXEFAST_MAP_A_UNSPEC,
	PXEFAST_MAP_A_ARCH,		/* u16: option 93 */
	PXEFAST_MAP_A_MAC,		/* binary, 6 bytes: chaddr */
	PXEFAST_MAP_A_UUID,		/* binary, 16 bytes: option 97 */
	PXEFAST_MAP_A_VENDOR_CLASS,	/* string: prefix of option 60 */
	PXEFAST_MAP_A_USER_CLASS,	/* string: option 77 (raw or RFC 3004) */
	PXEFAST_MAP_A_SERVER_TYPE,	/* u16: option 43.71 boot item type */
	PXEFAST_MAP_A_LAYER,		/* u16: option 43.71 layer (0..0x7fff) */
	PXEFAST_MAP_A_FILE,		/* string: path beneath the TFTP root or
					 * URL.  An HTTP boot client is given
					 * an http:// or https:// URL as it
					 * is, a path joined to the HTTP base
					 * (PXEFAST_DHCP_A_HTTP_BASE); that
					 * URL has at most PXEFAST_HTTP_URL_MAX
					 * bytes
					 */
	PXEFAST_MAP_A_NEXT_SERVER,	/* be32: siaddr (default: this host) */
	PXEFAST_MAP_A_BIS_FILE,		/* string: BIS credentials file */
	PXEFAST_MAP_A_LABEL,		/* string: menu label */
	PXEFAST_MAP_A_MAC_PREFIX,	/* binary, 1..5 bytes: leading bytes
					 * of chaddr (an OUI is 3)
					 */
	PXEFAST_MAP_A_UUID_PREFIX,	/* binary, 1..17 bytes: leading bytes
					 * of option 97 as sent, type byte
					 * (0) first; only a well-formed 97
					 * (type 0 + 16 bytes) matches
					 */
	PXEFAST_MAP_A_DELAY_MS,		/* u32, 0..PXEFAST_MAP_DELAY_MS_MAX:
					 * send proxy replies
					 * (UDP 67, DHCPv6 547)
					 * this much later
					 */

	__PXEFAST_MAP_A_MAX,
	PXEFAST_MAP_A_MAX = __PXEFAST_MAP_A_MAX - 1
};

/* Counters, all u64, in PXEFAST_A_STATS. */
enum pxefast_stat {
	PXEFAST_STAT_UNSPEC,
	PXEFAST_STAT_PAD,
	PXEFAST_STAT_DHCP_RX,		/* UDP 67 packets seen on served devs */
	PXEFAST_STAT_DHCP_PXE_RX,	/* ... of which from PXE clients */
	PXEFAST_STAT_DHCP_OFFER_TX,	/* answers on 67 (offers; acks to
					 * proxy-phase REQUESTs)
					 */
	PXEFAST_STAT_BOOT_RX,		/* UDP 4011 requests */
	PXEFAST_STAT_BOOT_ACK_TX,
	PXEFAST_STAT_DROP_MALFORMED,	/* bad header, options, lengths, cookie */
	PXEFAST_STAT_DROP_HTYPE,	/* not Ethernet / bad hlen */
	PXEFAST_STAT_DROP_ARCH,		/* arch disabled */
	PXEFAST_STAT_DROP_NO_MAP,	/* no mapping matched */
	PXEFAST_STAT_DROP_NO_BIS,	/* BIS asked, none configured */
	PXEFAST_STAT_DROP_NO_ADDR,	/* no server address on the device */
	PXEFAST_STAT_TX_ERRORS,		/* reply could not be built or sent */
	PXEFAST_STAT_TFTP_RRQ_RX,
	PXEFAST_STAT_TFTP_WRQ_RX,
	PXEFAST_STAT_TFTP_OACK_TX,
	PXEFAST_STAT_TFTP_DATA_TX,
	PXEFAST_STAT_TFTP_BYTES_TX,
	PXEFAST_STAT_TFTP_RETRANSMITS,
	PXEFAST_STAT_TFTP_DONE,
	PXEFAST_STAT_TFTP_FAILED,
	PXEFAST_STAT_TFTP_ERR_NOT_FOUND,
	PXEFAST_STAT_TFTP_ERR_ACCESS,
	PXEFAST_STAT_TFTP_ERR_BUSY,
	PXEFAST_STAT_TFTP_ERR_ILLEGAL,
	PXEFAST_STAT_TFTP_CLIENT_ERR,	/* ERROR packets received */
	PXEFAST_STAT_TFTP_TIMEOUTS,	/* sessions ended by retries/idle */
	PXEFAST_STAT_TFTP_SESSIONS,	/* gauge: live sessions */
	PXEFAST_STAT_DHCP_BAD_OPTIONS,	/* unusable options ignored (93 of odd
					 * length, 97 not type 0 + 16 bytes...)
					 */
	PXEFAST_STAT_DHCP_DELAY_DROPS,	/* delayed replies refused: queue full */
	PXEFAST_STAT_TFTP_SIZE_PROBES,	/* aborted by the client right after
					 * an OACK with tsize (EDK2 probing
					 * the size): neither failed nor a
					 * client error
					 */
	PXEFAST_STAT_XDP_DHCP_TX,	/* UDP 67 answers sent with XDP_TX */
	PXEFAST_STAT_XDP_DHCP_PASS,	/* UDP 67 datagrams XDP left to the
					 * stack (not PXE, a local DHCP server
					 * listens, malformed, not for us)
					 */
	PXEFAST_STAT_XDP_BOOT_TX,	/* UDP 4011 answers sent with XDP_TX */
	PXEFAST_STAT_XDP_BOOT_PASS,	/* UDP 4011 datagrams XDP left to the
					 * stack
					 */
	PXEFAST_STAT_XDP_FALLBACK,	/* PXE requests XDP left to the
					 * netfilter hook: the reply does not
					 * fit the frame's tailroom, or is
					 * delayed
					 */
	PXEFAST_STAT_DHCP_HTTP_RX,	/* UDP 67 packets from HTTP boot
					 * clients (option 60 "HTTPClient");
					 * also in DHCP_PXE_RX when they carry
					 * option 93
					 */
	PXEFAST_STAT_DROP_NO_URL,	/* HTTP boot DISCOVERs not answered:
					 * the mapping gives no http(s) URL
					 * and no HTTP base is set
					 */
	PXEFAST_STAT_TFTP6_RRQ_RX,	/* TFTP read requests received over
					 * IPv6 (also in TFTP_RRQ_RX)
					 */
	PXEFAST_STAT_DHCP6_RX,		/* DHCPv6 messages to UDP 547 on
					 * interfaces served over DHCPv6
					 */
	PXEFAST_STAT_DHCP6_BOOT_RX,	/* DHCPv6 messages to UDP 4011 */
	PXEFAST_STAT_DHCP6_ADVERTISE_TX, /* proxy Advertises (to Solicits) */
	PXEFAST_STAT_DHCP6_REPLY_TX,	/* Replies (on 4011, and to
					 * Information-Requests)
					 */
	PXEFAST_STAT_DHCP6_DROP_MALFORMED, /* DHCPv6 messages truncated, an
					    * option running past the end, a
					    * bad UDP length or checksum;
					    * Relay-forwards nested deeper
					    * than 8 or without option 9
					    */
	PXEFAST_STAT_DHCP6_RELAY_RX,	/* DHCPv6 Relay-forwards (RFC 8415
					 * 19) to UDP 547, also in DHCP6_RX
					 */

	__PXEFAST_STAT_MAX,
	PXEFAST_STAT_MAX = __PXEFAST_STAT_MAX - 1
};

/* Per-architecture counters, in PXEFAST_A_ARCH_STATS. */
enum pxefast_arch_stat {
	PXEFAST_ARCH_STAT_UNSPEC,
	PXEFAST_ARCH_STAT_PAD,
	PXEFAST_ARCH_STAT_CODE,		/* u16 */
	PXEFAST_ARCH_STAT_REQUESTS,	/* u64 */
	PXEFAST_ARCH_STAT_ANSWERS,	/* u64 */

	__PXEFAST_ARCH_STAT_MAX,
	PXEFAST_ARCH_STAT_MAX = __PXEFAST_ARCH_STAT_MAX - 1
};

/*
 * A live TFTP transfer.  Its client's address is CLIENT_ADDR over IPv4,
 * CLIENT_ADDR6 over IPv6 (with IFINDEX, the link of a link-local one).
 */
enum pxefast_session_attr {
	PXEFAST_SESSION_A_UNSPEC,
	PXEFAST_SESSION_A_PAD,
	PXEFAST_SESSION_A_CLIENT_ADDR,	/* be32 */
	PXEFAST_SESSION_A_CLIENT_PORT,	/* u16, host order */
	PXEFAST_SESSION_A_SERVER_PORT,	/* u16, host order */
	PXEFAST_SESSION_A_FILE,		/* string */
	PXEFAST_SESSION_A_SIZE,		/* u64 bytes */
	PXEFAST_SESSION_A_BLKSIZE,	/* u16 */
	PXEFAST_SESSION_A_WINDOW,	/* u16 */
	PXEFAST_SESSION_A_ACKED_BLOCKS,	/* u64: blocks the client acknowledged */
	PXEFAST_SESSION_A_RETRANSMITS,	/* u32: blocks sent again so far */
	PXEFAST_SESSION_A_AGE_MS,	/* u64 */
	PXEFAST_SESSION_A_CLIENT_ADDR6,	/* binary, 16 bytes: struct in6_addr */
	PXEFAST_SESSION_A_IFINDEX,	/* u32: where the read request came in */

	__PXEFAST_SESSION_A_MAX,
	PXEFAST_SESSION_A_MAX = __PXEFAST_SESSION_A_MAX - 1
};

enum pxefast_event_type {
	PXEFAST_EVENT_UNSPEC,
	PXEFAST_EVENT_CLIENT_SEEN,	/* PXE DISCOVER seen */
	PXEFAST_EVENT_OFFER_SENT,	/* proxy offer sent */
	PXEFAST_EVENT_ACK_SENT,		/* ack sent (4011, or a proxy REQUEST) */
	PXEFAST_EVENT_TRANSFER_DONE,
	PXEFAST_EVENT_TRANSFER_FAILED,
	PXEFAST_EVENT_CONFIG_CHANGED,
};

enum pxefast_event_attr {
	PXEFAST_EVENT_A_UNSPEC,
	PXEFAST_EVENT_A_PAD,
	PXEFAST_EVENT_A_TYPE,		/* u8, enum pxefast_event_type */
	PXEFAST_EVENT_A_IFINDEX,	/* u32 */
	PXEFAST_EVENT_A_MAC,		/* binary, 6 bytes */
	PXEFAST_EVENT_A_ADDR,		/* be32: client address (IPv4) */
	PXEFAST_EVENT_A_ARCH,		/* u16 */
	PXEFAST_EVENT_A_FILE,		/* string */
	PXEFAST_EVENT_A_BYTES,		/* u64 */
	PXEFAST_EVENT_A_DURATION_MS,	/* u64 */
	PXEFAST_EVENT_A_ERROR,		/* u16: TFTP error code */
	PXEFAST_EVENT_A_GENERATION,	/* u32, CONFIG_CHANGED */
	PXEFAST_EVENT_A_ADDR6,		/* binary, 16 bytes, struct in6_addr:
					 * client address (IPv6), instead of
					 * ADDR
					 */

	__PXEFAST_EVENT_A_MAX,
	PXEFAST_EVENT_A_MAX = __PXEFAST_EVENT_A_MAX - 1
};

/*
 * Something accepted in a SET_CONFIG that is likely a mistake.  The reply
 * carries up to PXEFAST_MAX_WARNINGS; the first one is also the success
 * ack's extack message.
 */
#define PXEFAST_MAX_WARNINGS		8

enum pxefast_warning_attr {
	PXEFAST_WARNING_A_UNSPEC,
	PXEFAST_WARNING_A_MSG,		/* string */
	PXEFAST_WARNING_A_OFFSET,	/* u32: offset of the object's nest in
					 * the request, from its nlmsghdr (as
					 * NLMSGERR_ATTR_OFFS)
					 */

	__PXEFAST_WARNING_A_MAX,
	PXEFAST_WARNING_A_MAX = __PXEFAST_WARNING_A_MAX - 1
};

#endif /* _UAPI_LINUX_PXEFAST_H */
