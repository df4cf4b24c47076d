// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: a minimal streaming JSON writer (compact output).
 */
#include <inttypes.h>
#include "pxectl.h"

#define JSON_DEPTH 16

static char stack[JSON_DEPTH];	/* '{' or '[' */
static bool first[JSON_DEPTH];
static int depth;

/* Length of a valid UTF-8 sequence at @p, 0 if none. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n, i;
	uint32_t cp;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

static void json_string(FILE *f, const char *s)
{
	const unsigned char *p;
	size_t n;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else if (*p >= 0x80 && !(n = utf8_len(p)))
				/* not UTF-8: keep the output valid JSON */
				fprintf(f, "\\u%04x", *p);
			else if (*p >= 0x80) {
				fwrite(p, 1, n, f);
				p += n - 1;
			} else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Separator and key of the next value. */
static void json_key(FILE *f, const char *key)
{
	if (depth) {
		if (!first[depth - 1])
			fputc(',', f);
		first[depth - 1] = false;
	}
	if (depth && stack[depth - 1] == '{' && key) {
		json_string(f, key);
		fputc(':', f);
	}
}

void json_open(FILE *f, const char *key, char type)
{
	json_key(f, key);
	fputc(type, f);
	if (depth < JSON_DEPTH) {
		stack[depth] = type;
		first[depth] = true;
		depth++;
	}
}

void json_close(FILE *f)
{
	if (!depth)
		return;
	depth--;
	fputc(stack[depth] == '{' ? '}' : ']', f);
}

void json_end(FILE *f)
{
	while (depth)
		json_close(f);
	fputc('\n', f);
	fflush(f);
}

void json_str(FILE *f, const char *key, const char *v)
{
	json_key(f, key);
	json_string(f, v);
}

void json_u64(FILE *f, const char *key, uint64_t v)
{
	json_key(f, key);
	fprintf(f, "%" PRIu64, v);
}

void json_bool(FILE *f, const char *key, bool v)
{
	json_key(f, key);
	fputs(v ? "true" : "false", f);
}
