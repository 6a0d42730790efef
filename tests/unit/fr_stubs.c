/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fr_stubs.c - symbols that FreeRADIUS's server library expects from the
 * radiusd binary, for test programs that link the library directly.
 */
#include <freeradius/radiusd.h>
#include <freeradius/modpriv.h>

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

/*
 * The radiusd binary's TLS code (src/main/tls.c is linked into the binary,
 * not the library). The unit tests run the module with eap_module = "",
 * which never reaches these; the hook itself is tested against the real
 * server (tests/integration/handshake.sh).
 */
int fr_tls_ex_index_certs = -1;

fr_tls_server_conf_t *tls_server_conf_parse(CONF_SECTION *cs)
{
	(void)cs;
	return NULL;
}

/* The radiusd binary's module registry (src/main/modules.c); likewise never reached with eap_module = "". */
module_instance_t *module_find(CONF_SECTION *modules, char const *askedname)
{
	(void)modules;
	(void)askedname;
	return NULL;
}
