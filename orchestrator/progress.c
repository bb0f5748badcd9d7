#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ftmatrix.h"

/*
 * On a terminal: one line redrawn in place, "[====>   ] 12/48 3.13t
 * cpu_loop threads x2 rep 2  0:42, ~2:10 left". Otherwise (a log, CI) one
 * plain line per finished cell. Messages go above the bar either way.
 */

void
progress_begin(struct progress *p, int quiet, int verbose, size_t nclasses)
{
	const char *term = getenv("TERM");

	memset(p, 0, sizeof(*p));
	p->quiet = quiet;
	p->verbose = verbose;
	p->tty = !quiet && isatty(STDERR_FILENO) && term &&
	    strcmp(term, "dumb") != 0;
	p->start_s = now_mono_s();
	p->nclasses = nclasses ? nclasses : 1;
	p->class_s = xcalloc(p->nclasses, sizeof(*p->class_s));
	p->class_n = xcalloc(p->nclasses, sizeof(*p->class_n));
	p->class_left = xcalloc(p->nclasses, sizeof(*p->class_left));
}

void
progress_plan(struct progress *p, size_t cls)
{
	p->class_left[cls % p->nclasses]++;
	p->total++;
}

static void
clock_text(char *out, size_t n, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(
		    out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

/* Seconds left: each remaining cell costs what finished cells of its kind
 * (workload, engine, threads) took, else what any cell took; -1 before
 * anything finished. */
static double
eta(const struct progress *p)
{
	size_t i, nall = 0;
	double all = 0, left = 0;

	for (i = 0; i < p->nclasses; i++) {
		all += p->class_s[i];
		nall += p->class_n[i];
	}
	if (nall == 0)
		return -1;
	for (i = 0; i < p->nclasses; i++)
		left += (double)p->class_left[i] *
		    (p->class_n[i] ? p->class_s[i] / (double)p->class_n[i]
		                   : all / (double)nall);
	return left;
}

static int
term_width(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

static void
bar_clear(struct progress *p)
{
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		p->drawn = 0;
	}
}

static void
bar_draw(struct progress *p)
{
	char elapsed[32], left[32], line[512], bar[32];
	int width = term_width(), fill, i;
	double rest = eta(p);

	if (!p->tty)
		return;
	clock_text(elapsed, sizeof(elapsed), now_mono_s() - p->start_s);
	clock_text(left, sizeof(left), rest);
	if (p->total == 0) {
		/* before the cells (calibration): what runs, and for how long
		 */
		snprintf(line, sizeof(line), "%s  %s",
		    p->current ? p->current : "", elapsed);
	} else {
		fill = (int)(20 * p->done / p->total);
		for (i = 0; i < 20; i++)
			bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
		bar[20] = '\0';
		snprintf(line, sizeof(line), "[%s] %zu/%zu %s  %s%s%s%s", bar,
		    p->done + 1, p->total, p->current ? p->current : "",
		    elapsed, rest >= 0 ? ", ~" : "", rest >= 0 ? left : "",
		    rest >= 0 ? " left" : "");
	}
	if ((int)strlen(line) > width - 1)
		line[width - 1] = '\0';
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	p->drawn = 1;
}

void
progress_start(struct progress *p, const char *what)
{
	free(p->current);
	p->current = xstrdup(what);
	bar_draw(p);
}

void
progress_say(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	if (p->quiet)
		return;
	bar_clear(p);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	bar_draw(p);
}

void
progress_done(struct progress *p, size_t cls, double seconds, int failed,
    const char *summary)
{
	char elapsed[32], left[32];
	double rest;

	cls %= p->nclasses;
	p->class_s[cls] += seconds;
	p->class_n[cls]++;
	if (p->class_left[cls])
		p->class_left[cls]--;
	if (p->quiet) {
		p->done++;
		return;
	}
	rest = eta(p);
	clock_text(elapsed, sizeof(elapsed), now_mono_s() - p->start_s);
	clock_text(left, sizeof(left), rest > 0 ? rest : 0);
	/* on a terminal the bar says it all, unless asked or it failed */
	if (!p->tty || failed || p->verbose) {
		bar_clear(p);
		fprintf(stderr, "[%zu/%zu] %s: %s", p->done + 1, p->total,
		    p->current ? p->current : "", summary);
		if (!p->tty)
			fprintf(
			    stderr, " (%s elapsed, ~%s left)", elapsed, left);
		fputc('\n', stderr);
	}
	p->done++;
	bar_clear(p); /* the next start draws it again */
}

void
progress_end(struct progress *p)
{
	bar_clear(p);
	free(p->current);
	free(p->class_s);
	free(p->class_n);
	free(p->class_left);
	memset(p, 0, sizeof(*p));
}
