/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The XDP receive path: a kfunc that BPF programs attached to served
 * interfaces call (kmod/xdp_rx.c).
 */
#ifndef _PXEFAST_XDP_H
#define _PXEFAST_XDP_H

struct xdp_md;

int pxefast_xdp_rx(struct xdp_md *xdp_ctx);
int pxefast_xdp_init(void);

#endif /* _PXEFAST_XDP_H */
