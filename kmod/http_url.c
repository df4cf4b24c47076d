// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP boot URLs (UEFI 2.x HTTP Boot; EDK2 HttpBootDxe): which URLs a
 * client can be given, and the URL of a boot file beneath a base.
 */

#include <linux/slab.h>
#include <linux/string.h>
#include "dhcp.h"

/**
 * pxefast_http_url - whether @s is a URL an HTTP boot client can fetch
 * @s: a NUL-terminated string
 *
 * "http://" or "https://" (any case), then a host, all printable ASCII
 * without spaces (RFC 3986 3.2.2: the authority follows the scheme), as
 * EDK2's HttpBootDxe takes it from option 67.  Any context.
 *
 * Return: true if @s is such a URL.
 */
bool pxefast_http_url(const char *s)
{
	size_t n;

	if (!strncasecmp(s, "http://", 7))
		n = 7;
	else if (!strncasecmp(s, "https://", 8))
		n = 8;
	else
		return false;
	if (!s[n] || s[n] == '/')
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

/*
 * A byte of a TFTP name that a URL's path cannot carry as it is (RFC 3986
 * 2.1, 3.3: not a pchar or '/'; '?' and '#' would start a query or a
 * fragment).  It is percent-encoded.
 */
static bool pxefast_url_escapes(u8 c)
{
	return c <= ' ' || c >= 0x7f || strchr("\"#%<>?[\\]^`{|}", c);
}

/**
 * pxefast_http_url_join - the URL of a boot file beneath an HTTP base
 * @base: an HTTP base URL (pxefast_http_url() holds)
 * @name: a mapping's boot file, a TFTP name
 *
 * @base, one '/', and @name as a URL path (RFC 3986 3.3): its leading
 * separators dropped, backslashes as slashes (as pxefast_tftp_map_name()
 * reads them), other bytes a path cannot carry percent-encoded (2.1).
 * Process context (allocates with GFP_KERNEL).
 *
 * Return: the URL, kmalloc()ed (the caller frees it), or NULL without
 * memory.
 */
char *pxefast_http_url_join(const char *base, const char *name)
{
	size_t blen = strlen(base), len = blen + 1;
	const char *p;
	char *url, *q;

	name += strspn(name, "/\\");
	for (p = name; *p; p++)
		len += *p != '\\' && pxefast_url_escapes(*p) ? 3 : 1;
	url = kmalloc(len + 1, GFP_KERNEL);
	if (!url)
		return NULL;
	q = url + blen;
	memcpy(url, base, blen);
	if (base[blen - 1] != '/')
		*q++ = '/';
	for (p = name; *p; p++) {
		if (*p == '\\')
			*q++ = '/';
		else if (pxefast_url_escapes(*p))
			q += sprintf(q, "%%%02X", (u8)*p);
		else
			*q++ = *p;
	}
	*q = '\0';
	return url;
}
