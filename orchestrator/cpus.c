#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static void
cpus_add(struct cpus *c, int cpu)
{
	if (!cpus_has(c, cpu)) {
		c->bits[cpu / 8] |= (unsigned char)(1u << (cpu % 8));
		c->count++;
	}
}

int
cpus_has(const struct cpus *c, int cpu)
{
	return cpu >= 0 && cpu < CPUS_MAX &&
	    (c->bits[cpu / 8] & (1u << (cpu % 8)));
}

/* "0-3,6": runs of consecutive CPUs as ranges, as the kernel prints. */
static void
cpus_format(struct cpus *c)
{
	struct buf b = {0};
	int cpu, end;

	for (cpu = 0; cpu < CPUS_MAX; cpu = end + 1) {
		if (!cpus_has(c, cpu)) {
			end = cpu;
			continue;
		}
		for (end = cpu; end + 1 < CPUS_MAX && cpus_has(c, end + 1);
		     end++)
			;
		if (b.len)
			buf_puts(&b, ",");
		if (end == cpu)
			buf_printf(&b, "%d", cpu);
		else
			buf_printf(&b, "%d-%d", cpu, end);
	}
	snprintf(c->text, sizeof(c->text), "%s", buf_str(&b));
	buf_free(&b);
}

static int
cpu_number(const char **p, int *cpu)
{
	char *end;
	long v;

	if (**p < '0' || **p > '9')
		return -1;
	v = strtol(*p, &end, 10);
	if (v >= CPUS_MAX)
		return -1;
	*p = end;
	*cpu = (int)v;
	return 0;
}

int
cpus_parse(const char *text, struct cpus *c, const char **why)
{
	const char *p = text;
	int lo, hi;

	memset(c, 0, sizeof(*c));
	if (strcmp(text, "all") == 0) {
		if (cpus_allowed(c) == 0)
			return 0;
		*why = "cannot read which CPUs this process may use";
		return -1;
	}
	for (;;) {
		if (cpu_number(&p, &lo) < 0) {
			*why = "expected a CPU number (0 to 1023)";
			return -1;
		}
		hi = lo;
		if (*p == '-') {
			p++;
			if (cpu_number(&p, &hi) < 0 || hi < lo) {
				*why = "expected a range like 0-3";
				return -1;
			}
		}
		for (; lo <= hi; lo++)
			cpus_add(c, lo);
		if (*p == '\0')
			break;
		if (*p++ != ',') {
			*why = "expected a CPU list like 0-3,6";
			return -1;
		}
	}
	cpus_format(c);
	return 0;
}

int
cpus_allowed(struct cpus *c)
{
	cpu_set_t set;
	int cpu;

	memset(c, 0, sizeof(*c));
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return -1;
	for (cpu = 0; cpu < CPUS_MAX && cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			cpus_add(c, cpu);
	cpus_format(c);
	return 0;
}
