#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ftmatrix.h"

extern char **environ;

/* The process group of the child proc_run is waiting for, if any. */
static volatile sig_atomic_t child_group;

/* For commands that do not install on_interrupt: our children are in their
 * own process group, out of reach of the terminal's Ctrl-C, so they are
 * taken along before we die of the signal. */
static void
on_fatal_signal(int sig)
{
	struct timespec grace = { 0, 100 * 1000 * 1000 };
	pid_t g = child_group;

	if (g > 0) {
		kill(-g, SIGTERM);
		clock_nanosleep(CLOCK_MONOTONIC, 0, &grace, NULL);
		kill(-g, SIGKILL);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void
proc_signals_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* ignored stays ignored: nohup, a script's background job */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

/* Variables no child sees: a secret of ours is no business of an
 * interpreter, a probe, a workload or uv. */
#define ENV_HIDDEN_MAX 8
static const char *env_hidden[ENV_HIDDEN_MAX] = {"FTMATRIX_TOKEN"};

void
proc_env_hide(const char *name)
{
	size_t i;

	for (i = 0; i < ENV_HIDDEN_MAX; i++) {
		if (env_hidden[i] && !strcmp(env_hidden[i], name))
			return;
		if (!env_hidden[i]) {
			env_hidden[i] = name;
			return;
		}
	}
	fatal("too many hidden environment variables");
}

static int
env_is_hidden(const char *entry)
{
	size_t i, len = strcspn(entry, "=");

	for (i = 0; i < ENV_HIDDEN_MAX && env_hidden[i]; i++)
		if (strlen(env_hidden[i]) == len &&
		    !strncmp(entry, env_hidden[i], len))
			return 1;
	return 0;
}

/* Our environment with the extra entries added, replacing same-named ones,
 * and the hidden variables left out. */
static char **
env_merge(char *const *extra)
{
	size_t n = 0, m = 0, i, j;
	char **env;

	while (environ[n])
		n++;
	while (extra && extra[m])
		m++;
	env = xcalloc(n + m + 1, sizeof(*env));
	for (i = 0, j = 0; i < n; i++) {
		size_t k, len = strcspn(environ[i], "=");
		int replaced = 0;

		for (k = 0; k < m; k++)
			if (strncmp(extra[k], environ[i], len) == 0 &&
			    extra[k][len] == '=')
				replaced = 1;
		if (!replaced && !env_is_hidden(environ[i]))
			env[j++] = environ[i];
	}
	for (i = 0; i < m; i++)
		env[j++] = extra[i];
	return env;
}

static void
drain(int *fd, struct buf *b)
{
	char chunk[8192];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n > 0) {
		buf_add(b, chunk, n);
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		close(*fd);
		*fd = -1;
	}
}

static void
close_pipes(int out[2], int err[2], int logfd)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	if (logfd >= 0)
		close(logfd);
}

/* In the child: only the CPUs asked for. */
static int
affinity_set(const struct cpus *want)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = 0; cpu < CPUS_MAX && cpu < CPU_SETSIZE; cpu++)
		if (cpus_has(want, cpu))
			CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* What the child failed at before it could run the program, sent to us
 * on a pipe that exec closes. */
enum child_stage { CHILD_EXEC, CHILD_PARENT_GONE, CHILD_IO, CHILD_CWD,
	CHILD_AFFINITY };

struct child_fds {
	int in, out, err; /* -1: /dev/null; -2: ours */
	int report;	  /* write end of the failure pipe */
};

static _Noreturn void
child_fail(int report, enum child_stage stage)
{
	int msg[2] = { (int)stage, errno };
	ssize_t n = write(report, msg, sizeof(msg));

	(void)n;
	_exit(127);
}

/* Between fork and exec (only async-signal-safe calls): its own process
 * group, SIGKILL when we die, its descriptors, directory and CPUs. */
static _Noreturn void
child_exec(const struct proc_opts *o, char **env, pid_t parent,
    const struct child_fds *f)
{
	static const int dfl[] = { SIGINT, SIGTERM, SIGPIPE, SIGHUP };
	struct sigaction sa;
	int null, fd[3] = { f->in, f->out, f->err }, i;

	setpgid(0, 0);
	/* dies with us, even of SIGKILL; we may have died already */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		child_fail(f->report, CHILD_PARENT_GONE);
	if (getppid() != parent) {
		errno = ESRCH;
		child_fail(f->report, CHILD_PARENT_GONE);
	}
	/* what a script's background job or nohup ignores, a probe
	 * does not */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 4; i++)
		sigaction(dfl[i], &sa, NULL);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (i = 0; i < 3; i++) {
		int from = fd[i] == -1 ? null : fd[i];

		if (fd[i] == -2)
			continue;
		if (from < 0 || (from == i ? fcntl(i, F_SETFD, 0)
		                           : dup2(from, i)) < 0)
			child_fail(f->report, CHILD_IO);
	}
	if (o->cwd && chdir(o->cwd) < 0)
		child_fail(f->report, CHILD_CWD);
	if (o->affinity && affinity_set(o->affinity) < 0)
		child_fail(f->report, CHILD_AFFINITY);
	/* only 0, 1 and 2: a descriptor leaked from whatever started us must
	 * not reach a probe (nor keep a pipe of ours open after a kill) */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		child_fail(f->report, CHILD_IO);
	if (strchr(o->argv[0], '/'))
		execve(o->argv[0], o->argv, env);
	else
		execvpe(o->argv[0], o->argv, env);
	child_fail(f->report, CHILD_EXEC);
}

/* Starts the child; 0, or -1 after saying why. */
static int
child_start(const struct proc_opts *o, char **env, const struct child_fds *f,
    int report_read, pid_t *pid)
{
	pid_t parent = getpid();
	int msg[2];
	ssize_t n;

	*pid = fork();
	if (*pid < 0) {
		error("cannot run %s: fork: %s", o->argv[0], strerror(errno));
		return -1;
	}
	if (*pid == 0)
		child_exec(o, env, parent, f);
	/* both sides set the group, so it exists when either looks */
	setpgid(*pid, *pid);
	close(f->report);
	while ((n = read(report_read, msg, sizeof(msg))) < 0 && errno == EINTR)
		;
	close(report_read);
	if (n != (ssize_t)sizeof(msg))
		return 0; /* exec closed the pipe: it runs */
	while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
		;
	switch (msg[0]) {
	case CHILD_AFFINITY:
		error("cannot pin to CPUs %s: %s", o->affinity->text,
		    strerror(msg[1]));
		break;
	case CHILD_CWD:
		error("cannot run %s in %s: %s", o->argv[0], o->cwd,
		    strerror(msg[1]));
		break;
	default:
		error("cannot run %s: %s", o->argv[0], strerror(msg[1]));
		break;
	}
	return -1;
}

/* A process that outlives us only to take the child's group along: it
 * waits on a pipe we hold; when we die, even of SIGKILL, the pipe closes
 * and it kills the group (what the child started too); when we are done
 * we say so first. */
static pid_t
guard_start(pid_t group, int *fd)
{
	int p[2];
	pid_t g;

	*fd = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	g = fork();
	if (g < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (g == 0) {
		char c;
		ssize_t n;

		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		if (dup2(p[0], 0) < 0)
			_exit(1);
		close_range(1, ~0U, 0);
		while ((n = read(0, &c, 1)) < 0 && errno == EINTR)
			;
		if (n <= 0)
			kill(-group, SIGKILL);
		_exit(0);
	}
	close(p[0]);
	*fd = p[1];
	return g;
}

static void
guard_stop(pid_t g, int fd)
{
	ssize_t n;

	if (g <= 0)
		return;
	n = write(fd, "", 1);
	(void)n;
	close(fd);
	while (waitpid(g, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Whether the child has exited, without reaping it. */
static int
child_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno != EINTR;
	return si.si_pid == pid;
}

static void
kill_group(pid_t pid)
{
	kill(-pid, SIGTERM);
	usleep(100 * 1000);
	kill(-pid, SIGKILL);
}

/* A child being run: its process group, the guard that kills the group
 * if we die, and the read ends of its pipes (-1 when not captured). */
struct proc {
	pid_t pid, guard;
	int guard_fd;
	int out, err;
	double start_s;
};

/* Starts the child with its stdin from /dev/null and its stdout and
 * stderr to our pipes, the log, ours (passthrough) or /dev/null. */
static int
proc_spawn(const struct proc_opts *o, struct proc *p)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, logfd = -1;
	int report[2];
	struct child_fds f;
	char **env;
	int rc;

	if (o->log_path) {
		logfd = open(o->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0644);
		if (logfd < 0) {
			error("%s: %s", o->log_path, strerror(errno));
			return -1;
		}
	}
	if ((o->capture_stdout && pipe2(out, O_CLOEXEC) < 0) ||
	    (o->capture_stderr && pipe2(err, O_CLOEXEC) < 0) ||
	    pipe2(report, O_CLOEXEC) < 0) {
		error("pipe: %s", strerror(errno));
		close_pipes(out, err, logfd);
		return -1;
	}
	f.in = -1;
	f.out = o->capture_stdout ? out[1]
	    : logfd >= 0          ? logfd
	    : o->passthrough      ? -2
	                          : -1;
	f.err = o->capture_stderr ? err[1]
	    : logfd >= 0          ? logfd
	    : o->passthrough      ? -2
	                          : -1;
	f.report = report[1];
	env = env_merge(o->env_extra);
	p->start_s = now_mono_s();
	rc = child_start(o, env, &f, report[0], &p->pid);
	free(env);
	if (out[1] >= 0)
		close(out[1]);
	if (err[1] >= 0)
		close(err[1]);
	if (logfd >= 0)
		close(logfd);
	if (rc != 0) {
		if (out[0] >= 0)
			close(out[0]);
		if (err[0] >= 0)
			close(err[0]);
		return -1;
	}
	p->out = out[0];
	p->err = err[0];
	p->guard = guard_start(p->pid, &p->guard_fd);
	child_group = p->pid;
	return 0;
}

/* Reads what the pipes have, waiting at most ms; with no pipe left
 * open, just waits (20 ms at most: the child's exit is polled). */
static void
proc_pipes_read(struct proc *p, int ms, struct proc_result *res)
{
	struct pollfd pfd[2];
	int nfd = 0, i;

	if (p->out >= 0)
		pfd[nfd++] = (struct pollfd){ .fd = p->out, .events = POLLIN };
	if (p->err >= 0)
		pfd[nfd++] = (struct pollfd){ .fd = p->err, .events = POLLIN };
	if (nfd == 0) {
		poll(NULL, 0, ms > 20 ? 20 : ms);
		return;
	}
	if (poll(pfd, nfd, ms) <= 0)
		return;
	for (i = 0; i < nfd; i++) {
		if (!pfd[i].revents)
			continue;
		if (pfd[i].fd == p->out)
			drain(&p->out, &res->out);
		else
			drain(&p->err, &res->err);
	}
}

/* Until the child has exited and its pipes are drained: reads them,
 * ticks, and kills the group on interruption or timeout. */
static void
proc_watch(const struct proc_opts *o, struct proc *p, struct proc_result *res)
{
	double deadline = o->timeout_s > 0 ? p->start_s + o->timeout_s : 0;
	double tick_s = (o->tick ? o->tick_ms : 100) / 1000.0;
	double next_tick = p->start_s + tick_s;
	double exited = 0; /* when the child exited; 0 while it runs */

	for (;;) {
		/* wake for the next tick, whatever the pipes do meanwhile */
		int ms = (int)((next_tick - now_mono_s()) * 1000 + 0.5);

		if (ms < 0)
			ms = 0;
		if (!exited && child_exited(p->pid)) {
			exited = now_mono_s();
			/* what it left in its group goes too, so no grandchild
			 * holds our pipes open; the zombie keeps its pid, so the
			 * group cannot be someone else's yet */
			kill(-p->pid, SIGKILL);
		}
		if (exited && ((p->out < 0 && p->err < 0) ||
		                  now_mono_s() - exited > 1.0))
			break;
		proc_pipes_read(p, ms, res);
		if (now_mono_s() >= next_tick) {
			if (o->tick)
				o->tick(p->pid, o->tick_arg);
			next_tick += tick_s;
			if (next_tick < now_mono_s()) /* a slow tick: no burst */
				next_tick = now_mono_s();
		}
		if (interrupted && !res->interrupted) {
			res->interrupted = 1;
			kill_group(p->pid);
		}
		if (deadline && now_mono_s() > deadline && !res->timed_out) {
			res->timed_out = 1;
			kill_group(p->pid);
		}
	}
	/* open only when something outside the group still held them */
	if (p->out >= 0)
		close(p->out);
	if (p->err >= 0)
		close(p->err);
}

/* Reaps the child: its status and what it used. */
static void
proc_wait(struct proc *p, struct proc_result *res)
{
	struct rusage ru;
	int status = 0;

	memset(&ru, 0, sizeof(ru));
	while (wait4(p->pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	guard_stop(p->guard, p->guard_fd);
	child_group = 0;
	res->wall_s = now_mono_s() - p->start_s;
	res->user_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	res->sys_s = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	res->maxrss_kib = ru.ru_maxrss;
	res->voluntary_switches = ru.ru_nvcsw;
	res->involuntary_switches = ru.ru_nivcsw;
	if (WIFEXITED(status)) {
		res->exit_status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res->signal = WTERMSIG(status);
	}
}

int
proc_run(const struct proc_opts *o, struct proc_result *res)
{
	struct proc p;

	memset(res, 0, sizeof(*res));
	res->exit_status = -1;
	if (proc_spawn(o, &p) < 0)
		return -1;
	proc_watch(o, &p, res);
	proc_wait(&p, res);
	return 0;
}

void
proc_result_free(struct proc_result *res)
{
	buf_free(&res->out);
	buf_free(&res->err);
}

char *
proc_describe(const struct proc_result *res)
{
	if (res->timed_out)
		return xasprintf("timed out after %.1f s", res->wall_s);
	if (res->interrupted)
		return xstrdup("interrupted");
	if (res->signal)
		return xasprintf("killed by signal %d (SIG%s)", res->signal,
		    sigabbrev_np(res->signal) ? sigabbrev_np(res->signal) : "?");
	return xasprintf("exit status %d", res->exit_status);
}
