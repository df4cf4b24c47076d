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
 * pxefast_url_path_len - the length of a TFTP name as a URL path
 * @name: a mapping's boot file, a TFTP name
 *
 * Any context.
 *
 * Return: the bytes pxefast_url_path_put() writes for @name, without a
 * terminating NUL.
 */
size_t pxefast_url_path_len(const char *name)
{
	size_t len = 0;

	name += strspn(name, "/\\");
	for (; *name; name++)
		len += *name != '\\' && pxefast_url_escapes(*name) ? 3 : 1;
	return len;
}

/**
 * pxefast_url_path_put - write a TFTP name as a URL path
 * @q: where it goes: pxefast_url_path_len(@name) bytes, not NUL-terminated
 * @name: a mapping's boot file, a TFTP name
 *
 * @name as a URL path (RFC 3986 3.3): its leading separators dropped,
 * backslashes as slashes (as pxefast_tftp_map_name() reads them), other
 * bytes a path cannot carry percent-encoded (2.1).  Any context.
 *
 * Return: the end of what was written.
 */
char *pxefast_url_path_put(char *q, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";

	name += strspn(name, "/\\");
	for (; *name; name++) {
		u8 c = *name;

		if (c == '\\') {
			*q++ = '/';
		} else if (pxefast_url_escapes(c)) {
			*q++ = '%';
			*q++ = hex[c >> 4];
			*q++ = hex[c & 15];
		} else {
			*q++ = c;
		}
	}
	return q;
}

/**
 * pxefast_http_url_join - the URL of a boot file beneath an HTTP base
 * @base: an HTTP base URL (pxefast_http_url() holds)
 * @name: a mapping's boot file, a TFTP name
 *
 * @base, one '/', and @name as a URL path (pxefast_url_path_put()).
 * Process context (allocates with GFP_KERNEL).
 *
 * Return: the URL, kmalloc()ed (the caller frees it), or NULL without
 * memory.
 */
char *pxefast_http_url_join(const char *base, const char *name)
{
	size_t blen = strlen(base);
	char *url, *q;

	url = kmalloc(blen + 1 + pxefast_url_path_len(name) + 1, GFP_KERNEL);
	if (!url)
		return NULL;
	q = url + blen;
	memcpy(url, base, blen);
	if (base[blen - 1] != '/')
		*q++ = '/';
	q = pxefast_url_path_put(q, name);
	*q = '\0';
	return url;
}
