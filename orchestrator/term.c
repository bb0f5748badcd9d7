#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * Text from outside (results files, servers, HTTP headers) printed to a
 * terminal: control characters would move the cursor, retitle the window
 * or, with OSC 52, write the clipboard. Every such string goes through
 * term_safe, which makes them visible (\x1b, \u009b) and keeps the rest:
 * printable ASCII and well-formed UTF-8 outside the C1 range.
 */

/* The length of the well-formed UTF-8 sequence at s, 0 if it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void
term_esc(struct buf *b, const char *text, int keep_newlines)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");

	while (*s) {
		size_t n = utf8_len(s);

		if (*s == '\n' && keep_newlines) {
			buf_puts(b, "\n");
		} else if (*s == '\t' && keep_newlines) {
			buf_puts(b, "\t");
		} else if (*s == '\n') {
			buf_puts(b, "\\n");
		} else if (*s == '\t') {
			buf_puts(b, "\\t");
		} else if (*s < 0x20 || *s == 0x7f) {
			buf_printf(b, "\\x%02x", *s);
		} else if (n == 0) {
			buf_printf(b, "\\x%02x", *s);
			n = 1;
			s++;
			continue;
		} else if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0) {
			buf_printf(b, "\\u%04x", s[1]); /* C1: U+0080..U+009F */
		} else {
			buf_add(b, s, n);
		}
		s += n ? n : 1;
	}
}

char *
term_safe(const char *text)
{
	struct buf b = {0};

	buf_puts(&b, "");
	term_esc(&b, text, 0);
	return buf_detach(&b);
}

/* printf to stdout for lines that quote results files: the text is
 * escaped as term_esc does, newlines and tabs kept. */
void
term_printf(const char *fmt, ...)
{
	struct buf raw = {0}, safe = {0};
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	term_esc(&safe, buf_str(&raw), 1);
	fputs(buf_str(&safe), stdout);
	buf_free(&raw);
	buf_free(&safe);
}
