#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ftmatrix.h"

extern char **environ;

volatile int interrupted;

static void
on_interrupt(int sig)
{
	interrupted = sig;
}

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

void
interrupt_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
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

static int
affinity_swap(const struct cpus *want, cpu_set_t *saved)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = 0; cpu < CPUS_MAX && cpu < CPU_SETSIZE; cpu++)
		if (cpus_has(want, cpu))
			CPU_SET(cpu, &set);
	if (sched_getaffinity(0, sizeof(*saved), saved) < 0 ||
	    sched_setaffinity(0, sizeof(set), &set) < 0) {
		error("cannot pin to CPUs %s: %s", want->text, strerror(errno));
		return -1;
	}
	return 0;
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

int
proc_run(const struct proc_opts *o, struct proc_result *res)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, logfd = -1, status = 0;
	double start, deadline, next_tick;
	double exited = 0; /* when the child exited; 0 while it runs */
	struct rusage ru;
	cpu_set_t saved;
	char **env;
	sigset_t deflt;
	pid_t pid;
	int rc;

	memset(res, 0, sizeof(*res));
	res->exit_status = -1;
	if (o->log_path) {
		logfd = open(o->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0644);
		if (logfd < 0) {
			error("%s: %s", o->log_path, strerror(errno));
			return -1;
		}
	}
	if ((o->capture_stdout && pipe2(out, O_CLOEXEC) < 0) ||
	    (o->capture_stderr && pipe2(err, O_CLOEXEC) < 0)) {
		error("pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (o->capture_stdout)
		posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	else if (logfd >= 0)
		posix_spawn_file_actions_adddup2(&fa, logfd, 1);
	else if (!o->passthrough)
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (o->capture_stderr)
		posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	else if (logfd >= 0)
		posix_spawn_file_actions_adddup2(&fa, logfd, 2);
	else if (!o->passthrough)
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (o->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, o->cwd);
	/* only 0, 1 and 2: a descriptor leaked from whatever started us must
	 * not reach a probe (nor keep a pipe of ours open after a kill) */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	/* its own process group, so a timeout or Ctrl-C takes all of it */
	posix_spawnattr_init(&attr);
	sigemptyset(&deflt);
	sigaddset(&deflt, SIGINT);
	sigaddset(&deflt, SIGTERM);
	sigaddset(&deflt, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &deflt);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr,
	    POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
	env = env_merge(o->env_extra);
	/* posix_spawn has no affinity attribute: the child inherits ours, so
	 * ours is set for the spawn and put back (we are single-threaded) */
	if (o->affinity && affinity_swap(o->affinity, &saved) < 0) {
		free(env);
		posix_spawn_file_actions_destroy(&fa);
		posix_spawnattr_destroy(&attr);
		close_pipes(out, err, logfd);
		return -1;
	}
	start = now_mono_s();
	if (strchr(o->argv[0], '/'))
		rc = posix_spawn(&pid, o->argv[0], &fa, &attr, o->argv, env);
	else
		rc = posix_spawnp(&pid, o->argv[0], &fa, &attr, o->argv, env);
	if (o->affinity)
		sched_setaffinity(0, sizeof(saved), &saved);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (out[1] >= 0)
		close(out[1]);
	if (err[1] >= 0)
		close(err[1]);
	if (logfd >= 0)
		close(logfd);
	out[1] = err[1] = -1;
	if (rc != 0) {
		error("cannot run %s: %s", o->argv[0], strerror(rc));
		if (out[0] >= 0)
			close(out[0]);
		if (err[0] >= 0)
			close(err[0]);
		return -1;
	}

	child_group = pid;
	memset(&ru, 0, sizeof(ru));
	deadline = o->timeout_s > 0 ? start + o->timeout_s : 0;
	next_tick = start + (o->tick ? o->tick_ms : 100) / 1000.0;
	for (;;) {
		struct pollfd pfd[2];
		int nfd = 0, ms;

		/* wake for the next tick, whatever the pipes do meanwhile */
		ms = (int)((next_tick - now_mono_s()) * 1000 + 0.5);
		if (ms < 0)
			ms = 0;
		if (out[0] >= 0)
			pfd[nfd++] = (struct pollfd){ .fd = out[0], .events = POLLIN };
		if (err[0] >= 0)
			pfd[nfd++] = (struct pollfd){ .fd = err[0], .events = POLLIN };
		if (!exited && child_exited(pid)) {
			exited = now_mono_s();
			/* what it left in its group goes too, so no grandchild
			 * holds our pipes open; the zombie keeps its pid, so the
			 * group cannot be someone else's yet */
			kill(-pid, SIGKILL);
		}
		if (exited && (nfd == 0 || now_mono_s() - exited > 1.0))
			break;
		if (nfd == 0) {
			poll(NULL, 0, ms > 20 ? 20 : ms);
		} else if (poll(pfd, nfd, ms) > 0) {
			int i;

			for (i = 0; i < nfd; i++) {
				if (!pfd[i].revents)
					continue;
				if (pfd[i].fd == out[0])
					drain(&out[0], &res->out);
				else
					drain(&err[0], &res->err);
			}
		}
		if (now_mono_s() >= next_tick) {
			if (o->tick)
				o->tick(pid, o->tick_arg);
			next_tick += (o->tick ? o->tick_ms : 100) / 1000.0;
			if (next_tick < now_mono_s()) /* a slow tick: no burst */
				next_tick = now_mono_s();
		}
		if (interrupted && !res->interrupted) {
			res->interrupted = 1;
			kill_group(pid);
		}
		if (deadline && now_mono_s() > deadline && !res->timed_out) {
			res->timed_out = 1;
			kill_group(pid);
		}
	}
	/* open only when something outside the group still held them */
	if (out[0] >= 0)
		close(out[0]);
	if (err[0] >= 0)
		close(err[0]);
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	child_group = 0;
	res->wall_s = now_mono_s() - start;
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
