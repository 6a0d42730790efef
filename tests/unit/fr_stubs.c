/*
 * fr_stubs.c - symbols that FreeRADIUS's server library expects from the
 * radiusd binary, for test programs that link the library directly.
 */
#include <freeradius/radiusd.h>

#include <sys/wait.h>
#include <unistd.h>

pid_t rad_fork(void)
{
	return fork();
}

pid_t rad_waitpid(pid_t pid, int *status)
{
	return waitpid(pid, status, 0);
}
