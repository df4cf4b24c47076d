/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels pxefast supports (Debian's 6.1 and
 * 6.12 LTS) is bridged here and nowhere else.
 */
#ifndef _PXEFAST_COMPAT_H
#define _PXEFAST_COMPAT_H

#include <linux/version.h>

/* Full-range netlink policies take a const pointer from 6.2 on. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define PXEFAST_POLICY_RANGE_CONST
#else
#define PXEFAST_POLICY_RANGE_CONST const
#endif

/* <asm/unaligned.h> became <linux/unaligned.h> in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* vfs_path_lookup() is exported by both, declared in <linux/namei.h> only
 * in the newer one.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
struct dentry;
struct path;
struct vfsmount;
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
#endif

#endif /* _PXEFAST_COMPAT_H */
