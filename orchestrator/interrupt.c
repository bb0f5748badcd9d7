/* Ctrl-C and SIGTERM as a flag that long loops check (downloads, builds,
 * runs), so they stop where what is done can be kept. */
#include <signal.h>
#include <string.h>

#include "ftmatrix.h"

volatile int interrupted;

static void
on_interrupt(int sig)
{
	interrupted = sig;
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
