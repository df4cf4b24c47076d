// SPDX-License-Identifier: GPL-2.0
/*
 * The shape of every request of the "pxefast" family, one policy per
 * command (include/uapi/linux/pxefast.h says what each carries).  The
 * generic netlink core validates a request against its command's policy,
 * strictly and nests included, before the handler runs: an attribute a
 * command does not take is refused there ("Unsupported attribute", or
 * "Unknown attribute type" past PXEFAST_A_MAX) with its offset in the
 * extended ack.
 */

#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <net/netlink.h>
#include "compat.h"
#include "pxefast.h"

#define PXEFAST_STR(max)	{ .type = NLA_NUL_STRING, .len = (max) - 1 }
#define PXEFAST_BOOL		NLA_POLICY_MAX(NLA_U8, 1)

/* Bounds beyond the s16 min/max of a plain range policy. */
#define PXEFAST_RANGE(name, lo, hi)					\
	static PXEFAST_POLICY_RANGE_CONST struct netlink_range_validation \
	name = { .min = (lo), .max = (hi) }

PXEFAST_RANGE(pxefast_sessions_range, PXEFAST_TFTP_MAX_SESSIONS_MIN,
	      PXEFAST_TFTP_MAX_SESSIONS_MAX);
PXEFAST_RANGE(pxefast_per_client_range, PXEFAST_TFTP_MAX_PER_CLIENT_MIN,
	      PXEFAST_TFTP_MAX_PER_CLIENT_MAX);
PXEFAST_RANGE(pxefast_blksize_range, PXEFAST_TFTP_MAX_BLKSIZE_MIN,
	      PXEFAST_TFTP_MAX_BLKSIZE_MAX);
PXEFAST_RANGE(pxefast_timeout_range, PXEFAST_TFTP_TIMEOUT_MS_MIN,
	      PXEFAST_TFTP_TIMEOUT_MS_MAX);
PXEFAST_RANGE(pxefast_idle_range, PXEFAST_TFTP_IDLE_TIMEOUT_MS_MIN,
	      PXEFAST_TFTP_IDLE_TIMEOUT_MS_MAX);
PXEFAST_RANGE(pxefast_delay_range, 0, PXEFAST_MAP_DELAY_MS_MAX);
/* Boot server types: 0..65534 (PXE 2.1; 32768 and up are vendor types). */
PXEFAST_RANGE(pxefast_type_range, 0, 0xfffe);

static const struct nla_policy pxefast_tftp_policy[PXEFAST_TFTP_A_MAX + 1] = {
	[PXEFAST_TFTP_A_ENABLED]	= PXEFAST_BOOL,
	[PXEFAST_TFTP_A_ROOT]		= PXEFAST_STR(PXEFAST_PATH_MAX),
	[PXEFAST_TFTP_A_MAX_SESSIONS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_sessions_range),
	[PXEFAST_TFTP_A_MAX_PER_CLIENT]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_per_client_range),
	[PXEFAST_TFTP_A_MAX_BLKSIZE]	=
		NLA_POLICY_FULL_RANGE(NLA_U16, &pxefast_blksize_range),
	[PXEFAST_TFTP_A_MAX_WINDOW]	=
		NLA_POLICY_RANGE(NLA_U16, PXEFAST_TFTP_MAX_WINDOW_MIN,
				 PXEFAST_TFTP_MAX_WINDOW_MAX),
	[PXEFAST_TFTP_A_TIMEOUT_MS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_timeout_range),
	[PXEFAST_TFTP_A_RETRIES]	=
		NLA_POLICY_RANGE(NLA_U8, PXEFAST_TFTP_RETRIES_MIN,
				 PXEFAST_TFTP_RETRIES_MAX),
	[PXEFAST_TFTP_A_PORT_MIN]	=
		NLA_POLICY_MIN(NLA_U16, PXEFAST_TFTP_PORTS_MIN),
	[PXEFAST_TFTP_A_PORT_MAX]	=
		NLA_POLICY_MIN(NLA_U16, PXEFAST_TFTP_PORTS_MIN),
	[PXEFAST_TFTP_A_IDLE_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_idle_range),
	[PXEFAST_TFTP_A_CASE_FOLD]	= PXEFAST_BOOL,
};

static const struct nla_policy pxefast_dhcp_policy[PXEFAST_DHCP_A_MAX + 1] = {
	[PXEFAST_DHCP_A_PROXY]		= PXEFAST_BOOL,
	[PXEFAST_DHCP_A_BOOT_SERVER]	= PXEFAST_BOOL,
	[PXEFAST_DHCP_A_DISCOVERY]	= NLA_POLICY_MAX(NLA_U8, 0xf),
	[PXEFAST_DHCP_A_MCAST_ADDR]	= { .type = NLA_BE32 },
	[PXEFAST_DHCP_A_HTTP_BASE]	= PXEFAST_STR(PXEFAST_HTTP_URL_MAX + 1),
};

static const struct nla_policy
pxefast_menu_item_policy[PXEFAST_MENU_ITEM_A_MAX + 1] = {
	[PXEFAST_MENU_ITEM_A_TYPE]	=
		NLA_POLICY_FULL_RANGE(NLA_U16, &pxefast_type_range),
	[PXEFAST_MENU_ITEM_A_LABEL]	= PXEFAST_STR(PXEFAST_NAME_MAX),
};

static const struct nla_policy pxefast_menu_policy[PXEFAST_MENU_A_MAX + 1] = {
	[PXEFAST_MENU_A_PROMPT]		= PXEFAST_STR(PXEFAST_NAME_MAX),
	[PXEFAST_MENU_A_TIMEOUT]	= { .type = NLA_U8 },
	[PXEFAST_MENU_A_ITEM]		= NLA_POLICY_NESTED(pxefast_menu_item_policy),
};

static const struct nla_policy pxefast_dev_policy[PXEFAST_DEV_A_MAX + 1] = {
	[PXEFAST_DEV_A_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[PXEFAST_DEV_A_IFNAME]		= PXEFAST_STR(IFNAMSIZ),
	[PXEFAST_DEV_A_ADDR]		= { .type = NLA_BE32 },
	[PXEFAST_DEV_A_XDP]		= NLA_POLICY_MAX(NLA_U8, PXEFAST_XDP_MODE_MAX),
	[PXEFAST_DEV_A_DHCP6]		= PXEFAST_BOOL,
	[PXEFAST_DEV_A_ADDR6]		=
		NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

static const struct nla_policy pxefast_arch_policy[PXEFAST_ARCH_A_MAX + 1] = {
	[PXEFAST_ARCH_A_CODE]		= { .type = NLA_U16 },
	[PXEFAST_ARCH_A_ENABLED]	= PXEFAST_BOOL,
};

static const struct nla_policy
pxefast_server_policy[PXEFAST_SERVER_A_MAX + 1] = {
	[PXEFAST_SERVER_A_TYPE]		=
		NLA_POLICY_FULL_RANGE(NLA_U16, &pxefast_type_range),
	[PXEFAST_SERVER_A_ADDRS]	= { .type = NLA_BINARY,
					    .len = PXEFAST_MAX_SERVER_ADDRS * 4 },
	[PXEFAST_SERVER_A_LABEL]	= PXEFAST_STR(PXEFAST_NAME_MAX),
};

static const struct nla_policy pxefast_map_policy[PXEFAST_MAP_A_MAX + 1] = {
	[PXEFAST_MAP_A_ARCH]		= { .type = NLA_U16 },
	[PXEFAST_MAP_A_MAC]		= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[PXEFAST_MAP_A_UUID]		= NLA_POLICY_EXACT_LEN(PXEFAST_UUID_LEN),
	[PXEFAST_MAP_A_VENDOR_CLASS]	= PXEFAST_STR(PXEFAST_NAME_MAX),
	[PXEFAST_MAP_A_USER_CLASS]	= PXEFAST_STR(PXEFAST_NAME_MAX),
	[PXEFAST_MAP_A_SERVER_TYPE]	=
		NLA_POLICY_FULL_RANGE(NLA_U16, &pxefast_type_range),
	[PXEFAST_MAP_A_LAYER]		= NLA_POLICY_MAX(NLA_U16, 0x7fff),
	[PXEFAST_MAP_A_FILE]		= PXEFAST_STR(PXEFAST_PATH_MAX),
	[PXEFAST_MAP_A_NEXT_SERVER]	= { .type = NLA_BE32 },
	[PXEFAST_MAP_A_BIS_FILE]	= PXEFAST_STR(PXEFAST_PATH_MAX),
	[PXEFAST_MAP_A_LABEL]		= PXEFAST_STR(PXEFAST_NAME_MAX),
	[PXEFAST_MAP_A_MAC_PREFIX]	=
		NLA_POLICY_RANGE(NLA_BINARY, 1, ETH_ALEN - 1),
	[PXEFAST_MAP_A_UUID_PREFIX]	=
		NLA_POLICY_RANGE(NLA_BINARY, 1, 1 + PXEFAST_UUID_LEN),
	[PXEFAST_MAP_A_DELAY_MS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &pxefast_delay_range),
};

/*
 * PXEFAST_CMD_SET_CONFIG: a configuration and how to apply it.  Replies'
 * attributes (counters, sessions, events, warnings) and STATS_CLEAR are
 * not among them.
 */
const struct nla_policy pxefast_set_config_policy[PXEFAST_A_MAX + 1] = {
	[PXEFAST_A_GENERATION]		= { .type = NLA_U32 },
	[PXEFAST_A_TFTP]		= NLA_POLICY_NESTED(pxefast_tftp_policy),
	[PXEFAST_A_DHCP]		= NLA_POLICY_NESTED(pxefast_dhcp_policy),
	[PXEFAST_A_MENU]		= NLA_POLICY_NESTED(pxefast_menu_policy),
	[PXEFAST_A_DEV]			= NLA_POLICY_NESTED(pxefast_dev_policy),
	[PXEFAST_A_ARCH]		= NLA_POLICY_NESTED(pxefast_arch_policy),
	[PXEFAST_A_SERVER]		= NLA_POLICY_NESTED(pxefast_server_policy),
	[PXEFAST_A_MAP]			= NLA_POLICY_NESTED(pxefast_map_policy),
	[PXEFAST_A_DRY_RUN]		= { .type = NLA_FLAG },
};

/* PXEFAST_CMD_GET_STATS: only the request to clear after reading. */
const struct nla_policy pxefast_get_stats_policy[PXEFAST_A_MAX + 1] = {
	[PXEFAST_A_STATS_CLEAR]		= { .type = NLA_FLAG },
};

/*
 * PXEFAST_CMD_GET_CONFIG and PXEFAST_CMD_GET_SESSIONS take no attribute:
 * every entry is NLA_UNSPEC, which strict validation refuses.
 */
const struct nla_policy pxefast_no_attr_policy[PXEFAST_A_MAX + 1] = {};
