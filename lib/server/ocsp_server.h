/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocsp_server.h - the OCSP responder inside radiusd: a thread listening on
 * 127.0.0.1:<port> for FreeRADIUS's own OCSP requests (cowork_eap's ocsp
 * section), answering each from the registry (ocsp_responder.h).
 *
 * One thread per port serves every connection with poll(): connections
 * are bounded in number, size and time (5 s each), so a slow or broken
 * client cannot stall the handshakes of others for long. The thread holds
 * no key.
 *
 * A port is served once per process. When the module is re-instantiated
 * on HUP (RLM_TYPE_HUP_SAFE), the new instance registers on the running
 * listener instead of binding again, and its configuration answers from
 * then on; the old instance's registration ends when FreeRADIUS detaches
 * it; the last one to leave stops the thread and closes the port.
 */
#ifndef COWORK_OCSP_SERVER_H
#define COWORK_OCSP_SERVER_H

#include <stdint.h>

#include "cowork.h"

typedef enum {
	CW_OCSP_LOG_DEBUG = 0,	//!< answers given ("good for ...")
	CW_OCSP_LOG_WARN,	//!< refusals: may not connect, not ours, malformed
	CW_OCSP_LOG_ERROR,	//!< refusals for internal trouble (registry, CA, stored answer)
} cw_ocsp_log_t;

typedef struct cw_ocsp_config {
	uint16_t	port;			//!< listen on 127.0.0.1:port (1..65535)
	const char	*registry_path;		//!< STATE/registry.db (read-only)
	const char	*ca_path;		//!< STATE/ca/ca.pem
	unsigned	busy_ms;		//!< wait for coworkctl's write lock
	int64_t		clock_offset;		//!< tests only: seconds added to the clock
	/* Called from the listener thread, one line each; never holds a secret. */
	void		(*report)(void *ctx, cw_ocsp_log_t level, const char *msg);
	void		*report_ctx;
} cw_ocsp_config_t;

typedef struct cw_ocsp_service cw_ocsp_service_t;

/*
 * Serve OCSP with this configuration (copied). Binds 127.0.0.1:port and
 * starts the thread, or joins the listener this process already runs on
 * that port (the configuration registered last answers). 0 with *out set,
 * or -1 with err: the port is taken by another program, cannot be bound,
 * or a thread cannot start. A CA certificate that cannot be read yet is
 * not an error: requests are refused until it can.
 */
int cw_ocsp_serve(const cw_ocsp_config_t *cfg, cw_ocsp_service_t **out, cw_err_t *err);

/*
 * Withdraw a configuration (waiting for an answer it is giving); the last
 * one closes the port and stops the thread. Accepts NULL.
 */
void cw_ocsp_unserve(cw_ocsp_service_t *svc);

#endif
