/* The command line as results and reports record it, so it can be run
 * again: shell-quoted, without a URL's password. */
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define SHELL_SAFE \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@"

char *
command_line(int argc, char **argv)
{
	struct buf b = { 0 };
	int i;

	buf_puts(&b, "ftmatrix");
	for (i = 0; i < argc; i++) {
		/* a URL's password is not recorded with the results */
		char *shown = url_is_remote(argv[i]) ? url_display(argv[i])
						     : xstrdup(argv[i]);
		const char *a = shown;

		if (a[0] && strspn(a, SHELL_SAFE) == strlen(a)) {
			buf_printf(&b, " %s", a);
			free(shown);
			continue;
		}
		buf_puts(&b, " '");
		for (; *a; a++)
			if (*a == '\'')
				buf_puts(&b, "'\\''");
			else
				buf_add(&b, a, 1);
		buf_puts(&b, "'");
		free(shown);
	}
	return buf_detach(&b);
}
