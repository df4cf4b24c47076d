/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels pxefast supports (Debian's 6.1 and
 * 6.12 LTS) is bridged here and nowhere else.  The PXEFAST_HAVE_* macros
 * come from Kbuild, which reads the target kernel's headers.
 */
#ifndef _PXEFAST_COMPAT_H
#define _PXEFAST_COMPAT_H

#include <net/net_namespace.h>
#include <net/udp.h>

/* Full-range netlink policies take a const pointer from 6.2 on. */
#ifdef PXEFAST_HAVE_CONST_RANGE_POLICY
#define PXEFAST_POLICY_RANGE_CONST const
#else
#define PXEFAST_POLICY_RANGE_CONST
#endif

/* <asm/unaligned.h> became <linux/unaligned.h> in 6.12. */
#ifdef PXEFAST_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* vfs_path_lookup() is exported by both, declared in <linux/namei.h> only
 * in the newer one.
 */
#ifndef PXEFAST_HAVE_VFS_PATH_LOOKUP_DECL
struct dentry;
struct path;
struct vfsmount;
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
#endif

/*
 * Subscribing to a multicast group can require CAP_NET_ADMIN in the
 * namespace's user namespace since 6.7, backported to Debian's 6.1 and
 * 6.12.  Where the flag is absent any local listener may join.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define PXEFAST_MCGRP_ADMIN_ONLY GENL_MCAST_CAP_NET_ADMIN
#else
#define PXEFAST_MCGRP_ADMIN_ONLY 0
#endif

/*
 * The UDP socket table became per namespace in 6.2; before, one global
 * table served every namespace.
 */
static inline struct udp_table *pxefast_udp_table(const struct net *net)
{
#ifdef PXEFAST_HAVE_NETNS_UDP_TABLE
	return net->ipv4.udp_table;
#else
	return &udp_table;
#endif
}

/*
 * XDP kfunc registration (kmod/xdp_rx.c).  From 6.9 on a kfunc set must
 * carry the KFUNCS flag (BTF_KFUNCS_START); 6.1 has only BTF_SET8_START,
 * which it accepts.  __bpf_kfunc (6.3) keeps the function, and so its BTF,
 * from being inlined or dropped (by LTO too).
 */
#include <linux/btf.h>
#include <linux/btf_ids.h>
#ifndef BTF_KFUNCS_START
#define BTF_KFUNCS_START(name) BTF_SET8_START(name)
#define BTF_KFUNCS_END(name) BTF_SET8_END(name)
#endif
#ifndef __bpf_kfunc
/* Where it is missing: a global function that no C code calls is neither
 * inlined nor dropped without LTO, which out-of-tree modules do not get.
 */
#define __bpf_kfunc
#endif

#endif /* _PXEFAST_COMPAT_H */
