/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an IPv4 or IPv6 address may be, wherever pxefast takes one from
 * outside: a configured server address, or a client's source address.
 */
#ifndef _PXEFAST_ADDR_H
#define _PXEFAST_ADDR_H

#include <linux/in.h>
#include <linux/types.h>
#include <net/ipv6.h>

/**
 * pxefast_addr_unicast - whether @addr can name one host
 * @addr: an IPv4 address, network order
 *
 * Not 0.0.0.0/8 ("this network", RFC 1122 section 3.2.1.3), not multicast
 * (224.0.0.0/4) and not the limited broadcast 255.255.255.255 (RFC 919):
 * what a reply may be sent to and what a client may be told to reach.
 * Any context.
 *
 * Return: true if @addr is a usable unicast address.
 */
static inline bool pxefast_addr_unicast(__be32 addr)
{
	return !ipv4_is_zeronet(addr) && !ipv4_is_multicast(addr) &&
	       !ipv4_is_lbcast(addr);
}

/**
 * pxefast_addr6_unicast - whether an IPv6 source address can name one host
 * @addr: the address
 *
 * Not the unspecified address (RFC 4291 section 2.5.2), not multicast
 * (section 2.7), not IPv4-mapped (section 2.5.5.2: such a source is an
 * IPv4 host only a dual-stack socket speaks for): what a reply may be
 * sent to.  Any context.
 *
 * Return: true if @addr is a usable unicast address.
 */
static inline bool pxefast_addr6_unicast(const struct in6_addr *addr)
{
	return !ipv6_addr_any(addr) && !ipv6_addr_is_multicast(addr) &&
	       !ipv6_addr_v4mapped(addr);
}

/**
 * pxefast_addr6_global - whether @addr can name one host without a zone
 * @addr: an IPv6 address
 *
 * Unicast and of global scope (ULAs included): not unspecified, loopback,
 * multicast, link-local or IPv4-mapped (RFC 4291 2.4), so that a client
 * told to reach it in a URL (RFC 5970 3.1) needs no zone index.  Any
 * context.
 *
 * Return: true if @addr is such an address.
 */
static inline bool pxefast_addr6_global(const struct in6_addr *addr)
{
	int type = ipv6_addr_type(addr);

	return (type & IPV6_ADDR_UNICAST) &&
	       !(type & (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_LOOPBACK |
			 IPV6_ADDR_MAPPED | IPV6_ADDR_SITELOCAL));
}

#endif /* _PXEFAST_ADDR_H */
