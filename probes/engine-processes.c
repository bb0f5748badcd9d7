/* Engine "processes": the probe runs itself N times as worker processes
 * (probe ... --worker-index I), each with its own interpreter, and releases
 * them together each round by writing one byte to each worker's release
 * pipe (one pipe per worker, so a fast worker cannot take a slow one's
 * byte). A worker reports each round on its own pipe as a text line:
 *   ready GIL DRIFT | round R START END CPU VCSW IVCSW RUNQ DRIFT |
 *   done GIL COUNTERS | error MESSAGE
 * where DRIFT is the drift snippet's time right after (0: not run).
 * Closing its release pipe tells a worker to finish. */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct child {
	pid_t pid;
	int fd;      /* its records */
	int release; /* one byte per round */
	char line[1024];
	size_t len;
	int gil_before, gil_after;
};

/* One line from a worker, without the newline; NULL at EOF. */
static char *
child_line(struct child *c)
{
	for (;;) {
		char *nl = memchr(c->line, '\n', c->len);
		ssize_t n;

		if (nl) {
			static char out[sizeof(c->line)];
			size_t used = (size_t)(nl - c->line) + 1;

			memcpy(out, c->line, used - 1);
			out[used - 1] = '\0';
			memmove(c->line, c->line + used, c->len - used);
			c->len -= used;
			return out;
		}
		if (c->len == sizeof(c->line) - 1)
			c->len = 0; /* a runaway line: drop it */
		n = read(c->fd, c->line + c->len, sizeof(c->line) - 1 - c->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		c->len += (size_t)n;
	}
}

static char *
child_status(struct child *c)
{
	int status;

	if (c->pid <= 0)
		return xstrdup("not started");
	if (waitpid(c->pid, &status, 0) < 0)
		return xasprintf("cannot wait: %s", strerror(errno));
	c->pid = 0;
	if (WIFSIGNALED(status))
		return xasprintf("killed by signal %d (%s)", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	return xasprintf("exit status %d", WEXITSTATUS(status));
}

/* Reads what the worker says next; a record of the wrong kind, an error
 * or EOF becomes the failure. */
static char *
expect(struct child *c, int index, const char *kind, struct failure *f)
{
	char *line = child_line(c);
	size_t n = strlen(kind);
	char *status;

	if (line && strncmp(line, kind, n) == 0 && line[n] == ' ')
		return line + n + 1;
	if (line && strncmp(line, "error ", 6) == 0) {
		failure_set(f,
		    xasprintf("worker process %d: %s", index, line + 6), NULL);
		return NULL;
	}
	if (line) {
		failure_set(f,
		    xasprintf(
		        "worker process %d: expected \"%s\", got \"%.80s\"",
		        index, kind, line),
		    NULL);
		return NULL;
	}
	status = child_status(c);
	failure_set(f,
	    xasprintf("worker process %d ended before \"%s\" (%s; its stderr "
	              "is in the probe's)",
	        index, kind, status),
	    NULL);
	free(status);
	return NULL;
}

/* Descriptors at 10 and up, close-on-exec: the spawn's dup2 to 3 and 4 then
 * never meets one of its own sources. */
static int
pipe_high(int fds[2])
{
	int raw[2];

	fds[0] = fds[1] = -1;
	if (pipe(raw) != 0)
		return -1;
	fds[0] = fcntl(raw[0], F_DUPFD_CLOEXEC, 10);
	fds[1] = fcntl(raw[1], F_DUPFD_CLOEXEC, 10);
	close(raw[0]);
	close(raw[1]);
	if (fds[0] >= 0 && fds[1] >= 0)
		return 0;
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	fds[0] = fds[1] = -1;
	return -1;
}

static char **
worker_argv(const struct options *opt, const char *exe, int index)
{
	char **argv = xcalloc(32 + 2 * (size_t)opt->nparams, sizeof(char *));
	int n = 0;

	argv[n++] = xstrdup(exe);
	argv[n++] = xstrdup("--workloads-dir");
	argv[n++] = xstrdup(opt->workloads_dir);
	if (opt->helpers_dir)
		argv[n++] = xasprintf("--helpers-dir=%s", opt->helpers_dir);
	argv[n++] = xstrdup("--workload");
	argv[n++] = xstrdup(opt->workload);
	argv[n++] = xstrdup("--engine");
	argv[n++] = xstrdup("processes");
	argv[n++] = xasprintf("--threads=%d", opt->threads);
	argv[n++] = xasprintf("--iterations=%lld", opt->iterations);
	argv[n++] = xasprintf(
	    "--scaling=%s", opt->scaling == SCALING_STRONG ? "strong" : "weak");
	argv[n++] = xasprintf("--samples=%d", opt->samples);
	argv[n++] = xasprintf("--warmup=%d", opt->warmup);
	argv[n++] = xasprintf("--tasks=%d", opt->tasks);
	argv[n++] = xasprintf("--task-warmup=%d", opt->task_warmup);
	if (opt->python)
		argv[n++] = xasprintf("--python=%s", opt->python);
	if (!opt->drift)
		argv[n++] = xstrdup("--no-drift");
	for (int i = 0; i < opt->nparams; i++)
		argv[n++] = xasprintf(
		    "--param=%s=%s", opt->params[i].name, opt->params[i].value);
	if (opt->load == LOAD_MAIN)
		argv[n++] = xstrdup("--load=main");
	argv[n++] = xasprintf("--worker-index=%d", index);
	return argv;
}

static void
argv_free(char **argv)
{
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

static int
spawn_worker(
    const struct options *opt, struct child *c, int index, struct failure *f)
{
	posix_spawn_file_actions_t fa;
	char exe[PATH_MAX], **argv;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fds[2], rel[2], err;

	if (len <= 0) {
		failure_set(f,
		    xasprintf("cannot find the probe's own path: %s",
		        strerror(errno)),
		    NULL);
		return -1;
	}
	exe[len] = '\0';
	if (pipe_high(fds) != 0 || pipe_high(rel) != 0) {
		if (fds[0] >= 0) {
			close(fds[0]);
			close(fds[1]);
		}
		failure_set(f,
		    xasprintf("cannot create a pipe: %s", strerror(errno)),
		    NULL);
		return -1;
	}
	argv = worker_argv(opt, exe, index);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, rel[0], WORKER_RELEASE_FD);
	posix_spawn_file_actions_adddup2(&fa, fds[1], WORKER_RESULT_FD);
	/* our stdout is the JSON report: workers print to stderr only */
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	err = posix_spawn(&c->pid, exe, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	argv_free(argv);
	close(fds[1]);
	close(rel[0]);
	c->fd = fds[0];
	c->release = rel[1];
	if (err) {
		c->pid = 0;
		failure_set(f,
		    xasprintf("cannot start worker process %d: %s", index,
		        strerror(err)),
		    NULL);
		return -1;
	}
	return 0;
}

/* One byte to each worker, back to back. */
static int
release_round(struct child *kids, int n)
{
	for (int i = 0; i < n; i++) {
		ssize_t w;

		do
			w = write(kids[i].release, "r", 1);
		while (w < 0 && errno == EINTR);
		if (w != 1)
			return -1;
	}
	return 0;
}

static int
run_rounds(const struct options *opt, struct child *kids, int n,
    struct samples *smp, struct failure *f)
{
	int r;

	for (int i = 0; i < n; i++) {
		char *rest = expect(&kids[i], i, "ready", f);
		long long drift = 0;

		if (!rest)
			return -1;
		if (sscanf(rest, "%d %lld", &kids[i].gil_before, &drift) < 1)
			kids[i].gil_before = -1;
		smp->drift_ns[i] = drift;
	}
	for (r = 0; samples_continue(smp, opt, r); r++) {
		if (release_round(kids, n) != 0) {
			failure_set(
			    f, xstrdup("cannot release the workers"), NULL);
			return -1;
		}
		for (int i = 0; i < n; i++) {
			char *rest = expect(&kids[i], i, "round", f);
			long long got, start, end, cpu, drift = 0;
			long long vcsw = -1, ivcsw = -1, runq = -1;
			size_t slot = (size_t)r * n + i;

			if (!rest)
				return -1;
			if (sscanf(rest,
			        "%lld %lld %lld %lld %lld %lld %lld %lld", &got,
			        &start, &end, &cpu, &vcsw, &ivcsw, &runq,
			        &drift) < 4 ||
			    got != r) {
				failure_set(f,
				    xasprintf("worker process %d: bad round "
				              "record \"%.80s\"",
				        i, rest),
				    NULL);
				return -1;
			}
			smp->start_ns[slot] = start;
			smp->end_ns[slot] = end;
			smp->cpu_ns[slot] = cpu;
			smp->counts[slot] = (struct round_counts){
			    vcsw, ivcsw, runq};
			smp->drift_ns[slot + (size_t)n] = drift;
		}
	}
	smp->rounds_run = r;
	return 0;
}

static void
release_close(struct child *kids, int n)
{
	for (int i = 0; i < n; i++)
		if (kids[i].release >= 0) {
			close(kids[i].release);
			kids[i].release = -1;
		}
}

int
engine_processes(const struct options *opt, struct workload *workload,
    struct samples *samples, struct failure *f)
{
	int n = opt->threads, rc = -1;
	struct child *kids = xcalloc((size_t)n, sizeof(*kids));
	PyThreadState *tstate = PyEval_SaveThread();
	int started = 0;

	(void)workload;
	samples_init(samples, opt, n);
	samples->counted = 1;
	samples->gil_before = samples->gil_after = -1;
	for (int i = 0; i < n; i++)
		kids[i].fd = kids[i].release = -1;
	/* a worker that dies must not kill us with SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	for (; started < n; started++)
		if (spawn_worker(opt, &kids[started], started, f) != 0)
			break;
	if (started == n && run_rounds(opt, kids, n, samples, f) == 0)
		rc = 0;
	release_close(kids, n);
	for (int i = 0; i < started; i++) {
		char *rest = rc == 0 ? expect(&kids[i], i, "done", f) : NULL;
		char *more;

		if (rest) {
			kids[i].gil_after = (int)strtol(rest, &more, 10);
			if (counters_parse(&samples->counters[i], more) != 0)
				samples->counted = 0;
		} else {
			rc = -1;
		}
	}
	for (int i = 0; i < started; i++) {
		if (kids[i].pid > 0) {
			char *status = child_status(&kids[i]);

			if (rc == 0 && strcmp(status, "exit status 0") != 0) {
				failure_set(f,
				    xasprintf(
				        "worker process %d: %s", i, status),
				    NULL);
				rc = -1;
			}
			free(status);
		}
		close(kids[i].fd);
		samples->gil_before = kids[i].gil_before > samples->gil_before
		    ? kids[i].gil_before
		    : samples->gil_before;
		samples->gil_after = kids[i].gil_after > samples->gil_after
		    ? kids[i].gil_after
		    : samples->gil_after;
	}
	samples->gil_reported = 1;
	PyEval_RestoreThread(tstate);
	free(kids);
	return rc;
}

/* The worker side. Stops when the release pipe closes. */

PRINTF_LIKE(1, 2) static int worker_say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	for (int i = 0; i < n; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	line[n++] = '\n';
	return write(WORKER_RESULT_FD, line, (size_t)n) == n ? 0 : -1;
}

static int
worker_wait_release(void)
{
	PyThreadState *tstate = PyEval_SaveThread();
	char byte;
	ssize_t n;

	do
		n = read(WORKER_RELEASE_FD, &byte, 1);
	while (n < 0 && errno == EINTR);
	PyEval_RestoreThread(tstate);
	return n == 1;
}

int
worker_process_main(
    const struct options *opt, struct workload *w, struct failure *f)
{
	struct runner runner;
	struct drift drift = {0};
	struct counters counters;
	struct buf line = {0};
	int index = opt->worker_index, rc = 0;
	int measure_drift;

	if (workload_load(w, opt, 1, f) != 0 ||
	    (opt->drift && drift_init(&drift, f) != 0) ||
	    runner_init(&runner, w, index, opt->threads,
	        options_work_per_worker(opt, 0), f) != 0) {
		worker_say("error %s", f->message ? f->message : "?");
		drift_clear(&drift);
		return -1;
	}
	measure_drift = opt->drift && workload_attached(w);
	worker_say("ready %d %lld", gil_enabled_read(),
	    measure_drift ? (long long)drift_time(&drift) : 0LL);
	counters_open(&counters, RUSAGE_SELF, 1);
	for (int r = 0; worker_wait_release(); r++) {
		int64_t wall0, cpu0, cpu1, wall1;
		struct round_counts k;

		counters_begin(&counters);
		wall0 = clock_ns(CLOCK_MONOTONIC);
		cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		rc = runner_call(&runner);
		cpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		wall1 = clock_ns(CLOCK_MONOTONIC);
		counters_end(&counters, options_round_measured(opt, r), &k);
		if (rc != 0) {
			runner_fail(&runner, index, f);
			break;
		}
		worker_say("round %d %lld %lld %lld %lld %lld %lld %lld", r,
		    (long long)wall0, (long long)wall1,
		    (long long)(cpu1 - cpu0), (long long)k.vcsw,
		    (long long)k.ivcsw, (long long)k.runq_ns,
		    measure_drift ? (long long)drift_time(&drift) : 0LL);
	}
	counters_close(&counters);
	drift_clear(&drift);
	runner_clear(&runner);
	if (rc == 0)
		workload_teardown(w, f);
	if (f->message) {
		worker_say("error %s", f->message);
		if (f->traceback)
			fputs(f->traceback, stderr);
		return -1;
	}
	counters_line(&line, &counters);
	worker_say("done %d%s", gil_enabled_read(), line.data ? line.data : "");
	free(line.data);
	return 0;
}
