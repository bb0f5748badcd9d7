#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* "-1.5" and "+3e4" are numbers, "=1+2" and "-2+3" are not. */
static int
csv_number(const char *s)
{
	char *end;

	if (!*s || strchr(" \t\r\n", *s))
		return 0;
	strtod(s, &end);
	return *end == '\0';
}

void
csv_esc(struct buf *b, const char *s)
{
	int formula;

	if (!s)
		s = "";
	formula = *s && strchr("=+-@\t\r", *s) && !csv_number(s);
	if (!formula && !strpbrk(s, ",\"\n\r")) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, formula ? "\"'" : "\"");
	for (; *s; s++)
		buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	buf_puts(b, "\"");
}

/* Markdown table cells: a pipe would end the cell, a newline the row. */
void
md_esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			buf_puts(b, "\\|");
		else if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '>')
			buf_puts(b, "&gt;");
		else if (*s == '&')
			buf_puts(b, "&amp;");
		else
			buf_add(b, *s == '\n' ? " " : s, 1);
	}
}

/* Text and attribute values: quotes too, so one escaper serves both. */
void
html_esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		default:
			buf_add(b, s, 1);
		}
	}
}
