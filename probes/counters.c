/* What a worker spent besides time, around its measured rounds: context
 * switches from getrusage, and the kernel's perf counters where it allows
 * them. A counter the kernel refuses (no PMU on a virtual machine, a
 * paranoid setting, a seccomp filter) is recorded as absent with the
 * reason, never as zero. */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	unsigned type;
	unsigned long long config;
} events[COUNTERS_N] = {
    {"task_clock_ns", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
    {"context_switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES},
    {"cpu_migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS},
    {"page_faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS},
    {"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    {"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
    {"cache_misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
};

const char *
counter_name(int id)
{
	return id >= 0 && id < COUNTERS_N ? events[id].name : "?";
}

/* This thread only (pid 0, any CPU), counting from now on. Kernel time is
 * counted where allowed: a context switch happens there. */
static int
event_open(int id)
{
	struct perf_event_attr a;
	int fd;

	for (int user_only = 0; user_only < 2; user_only++) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.type = events[id].type;
		a.config = events[id].config;
		a.exclude_kernel = (unsigned)user_only;
		a.exclude_hv = 1;
		fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
		    PERF_FLAG_FD_CLOEXEC);
		if (fd >= 0 || (errno != EACCES && errno != EPERM))
			break;
	}
	return fd;
}

static int64_t
event_read(int fd)
{
	uint64_t v;

	return read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? (int64_t)v : -1;
}

/* The second field of schedstat: nanoseconds runnable but not running. */
static int64_t
runq_read(int fd)
{
	char text[128];
	ssize_t n = fd >= 0 ? pread(fd, text, sizeof(text) - 1, 0) : -1;
	long long on_cpu, waiting;

	if (n <= 0)
		return -1;
	text[n] = '\0';
	return sscanf(text, "%lld %lld", &on_cpu, &waiting) == 2 ? waiting : -1;
}

static void
switches_read(int who, long *vcsw, long *ivcsw)
{
	struct rusage ru;

	if (getrusage(who, &ru) != 0) {
		*vcsw = *ivcsw = -1;
		return;
	}
	*vcsw = ru.ru_nvcsw;
	*ivcsw = ru.ru_nivcsw;
}

int
counters_affordable(int nworkers)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	return rl.rlim_cur == RLIM_INFINITY ||
	    (rlim_t)nworkers * (COUNTERS_N + 1) <= rl.rlim_cur / 2;
}

void
counters_open(struct counters *c, int who, int with_files)
{
	memset(c, 0, sizeof(*c));
	c->who = who;
	c->schedstat_fd = !with_files ? -1
	    : open(who == RUSAGE_SELF ? "/proc/self/schedstat"
	                              : "/proc/thread-self/schedstat",
	          O_RDONLY | O_CLOEXEC);
	for (int i = 0; i < COUNTERS_N; i++) {
		errno = 0;
		c->fd[i] = with_files ? event_open(i) : -1;
		c->absent_errno[i] = c->fd[i] >= 0 ? 0
		    : !with_files                  ? EMFILE
		    : errno                        ? errno
		                                   : ENOSYS;
	}
}

void
counters_begin(struct counters *c)
{
	switches_read(c->who, &c->vcsw0, &c->ivcsw0);
	c->runq0_ns = runq_read(c->schedstat_fd);
	for (int i = 0; i < COUNTERS_N; i++)
		c->at_begin[i] = c->fd[i] >= 0 ? event_read(c->fd[i]) : 0;
}

void
counters_end(struct counters *c, int measured, struct round_counts *out)
{
	int64_t runq = runq_read(c->schedstat_fd);
	long v, iv;

	for (int i = 0; i < COUNTERS_N && measured; i++) {
		int64_t now = c->fd[i] >= 0 ? event_read(c->fd[i]) : -1;

		if (c->fd[i] < 0)
			continue;
		if (now < 0 || c->at_begin[i] < 0) {
			c->absent_errno[i] = errno ? errno : EIO;
			close(c->fd[i]);
			c->fd[i] = -1;
			continue;
		}
		c->total[i] += now - c->at_begin[i];
	}
	switches_read(c->who, &v, &iv);
	out->vcsw = v < 0 || c->vcsw0 < 0 ? -1 : v - c->vcsw0;
	out->ivcsw = iv < 0 || c->ivcsw0 < 0 ? -1 : iv - c->ivcsw0;
	out->runq_ns = runq < 0 || c->runq0_ns < 0 ? -1 : runq - c->runq0_ns;
}

void
counters_close(struct counters *c)
{
	if (c->schedstat_fd >= 0)
		close(c->schedstat_fd);
	c->schedstat_fd = -1;
	for (int i = 0; i < COUNTERS_N; i++)
		if (c->fd[i] >= 0) {
			close(c->fd[i]);
			c->fd[i] = -1;
		}
}

/* "T0 ... T6 E0 ... E6": totals, then errno (0: counted), for the line a
 * worker process sends its parent. */
void
counters_line(struct buf *b, const struct counters *c)
{
	for (int i = 0; i < COUNTERS_N; i++)
		buf_printf(b, " %lld", (long long)c->total[i]);
	for (int i = 0; i < COUNTERS_N; i++)
		buf_printf(b, " %d", c->absent_errno[i]);
}

int
counters_parse(struct counters *c, const char *line)
{
	char *end;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 2 * COUNTERS_N; i++) {
		long long v = strtoll(line, &end, 10);

		if (end == line)
			return -1;
		if (i < COUNTERS_N)
			c->total[i] = v;
		else
			c->absent_errno[i - COUNTERS_N] = (int)v;
		line = end;
	}
	for (int i = 0; i < COUNTERS_N; i++)
		c->fd[i] = -1;
	c->schedstat_fd = -1;
	return 0;
}

void
counters_json(struct buf *b, const struct counters *c)
{
	int nabsent = 0;

	buf_puts(b, "{");
	for (int i = 0; i < COUNTERS_N; i++)
		if (!c->absent_errno[i])
			buf_printf(b, "\"%s\": %lld, ", events[i].name,
			    (long long)c->total[i]);
	buf_puts(b, "\"absent\": {");
	for (int i = 0; i < COUNTERS_N; i++) {
		char *why;

		if (!c->absent_errno[i])
			continue;
		why = xasprintf("%s (errno %d)", strerror(c->absent_errno[i]),
		    c->absent_errno[i]);
		buf_printf(b, "%s\"%s\": ", nabsent++ ? ", " : "",
		    events[i].name);
		json_string(b, why);
		free(why);
	}
	buf_puts(b, "}}");
}
