/*
 * rlm_cowork.c - FreeRADIUS glue for rlm_cowork.
 *
 * Member path (EAP-TLS):
 *  - authorize, in the certificate-check virtual server (check-eap-tls):
 *    decide on TLS-Client-Cert-Serial; a refusal ends the handshake in an
 *    Access-Reject.
 *  - post-auth, in the outer server, on Access-Accept only: decide again
 *    (the registry may have changed, and a site that forgot the check
 *    server must not let anyone through), then add the member's VLAN.
 *
 * Every decision is made by libcowork (lib/member.c); this file only moves
 * attributes in and out and maps results to return codes.
 */
#include <freeradius/radiusd.h>
#include <freeradius/modules.h>

#include "member.h"
#include "regpool.h"

/* RFC 2868 / RFC 3580 values. */
#define TUNNEL_TYPE_VLAN	13
#define TUNNEL_MEDIUM_802	6

typedef struct rlm_cowork_t {
	char const	*name;			//!< Instance name.
	char const	*state_dir;		//!< Holds registry.db, ca/, server/.
	uint32_t	busy_timeout;		//!< Milliseconds to wait for coworkctl's write lock.
	uint32_t	max_idle;		//!< Registry connections kept open between requests.
	char		*registry_path;		//!< state_dir/registry.db
	cw_regpool_t	*pool;			//!< Read-only registry connections.
	DICT_ATTR const	*da_serial;		//!< TLS-Client-Cert-Serial
	DICT_ATTR const	*da_issuer;		//!< TLS-Client-Cert-Issuer
	DICT_ATTR const	*da_subject;		//!< TLS-Client-Cert-Subject
	DICT_ATTR const	*da_expiration;		//!< TLS-Client-Cert-Expiration
} rlm_cowork_t;

static const CONF_PARSER module_config[] = {
	{ "state_dir", FR_CONF_OFFSET(PW_TYPE_STRING | PW_TYPE_REQUIRED, rlm_cowork_t, state_dir), NULL },
	{ "registry_busy_timeout", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, busy_timeout), "2000" },
	{ "registry_connections", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, max_idle), "32" },
	CONF_PARSER_TERMINATOR
};

static int find_attr(CONF_SECTION *conf, char const *name, DICT_ATTR const **out)
{
	*out = dict_attrbyname(name);
	if (!*out) {
		cf_log_err_cs(conf, "Attribute %s is not in the dictionary", name);
		return -1;
	}
	return 0;
}

static int mod_instantiate(CONF_SECTION *conf, void *instance)
{
	rlm_cowork_t *inst = instance;
	cw_regconn_t *conn;
	cw_err_t e;

	inst->name = cf_section_name2(conf);
	if (!inst->name) inst->name = cf_section_name1(conf);

	if (inst->state_dir[0] != '/') {
		cf_log_err_cs(conf, "state_dir \"%s\" must be an absolute path", inst->state_dir);
		return -1;
	}
	if (inst->busy_timeout > 10000) {
		cf_log_err_cs(conf, "registry_busy_timeout %u is above 10000 ms: a request would wait too long",
			      inst->busy_timeout);
		return -1;
	}
	if (inst->max_idle < 1 || inst->max_idle > 1024) {
		cf_log_err_cs(conf, "registry_connections must be 1 to 1024");
		return -1;
	}
	if (find_attr(conf, "TLS-Client-Cert-Serial", &inst->da_serial) < 0 ||
	    find_attr(conf, "TLS-Client-Cert-Issuer", &inst->da_issuer) < 0 ||
	    find_attr(conf, "TLS-Client-Cert-Subject", &inst->da_subject) < 0 ||
	    find_attr(conf, "TLS-Client-Cert-Expiration", &inst->da_expiration) < 0) return -1;

	inst->registry_path = talloc_asprintf(inst, "%s/registry.db", inst->state_dir);
	if (!inst->registry_path) return -1;
	if (cw_regpool_create(inst->registry_path, inst->busy_timeout, inst->max_idle, &inst->pool, &e) < 0) {
		cf_log_err_cs(conf, "%s", e.msg);
		return -1;
	}

	/* A registry that is not there yet is not fatal: requests are rejected until it is. */
	conn = cw_regpool_get(inst->pool, &e);
	if (!conn) {
		WARN("rlm_cowork (%s): %s: every member will be rejected until this is fixed", inst->name, e.msg);
	}
	cw_regpool_put(inst->pool, conn, false);
	return 0;
}

static int mod_detach(void *instance)
{
	rlm_cowork_t *inst = instance;

	cw_regpool_free(inst->pool);
	inst->pool = NULL;
	return 0;
}

/* Point at an attribute's text, or leave NULL when the request lacks it. */
static void attr_text(REQUEST *request, DICT_ATTR const *da, unsigned attr, char const **s, size_t *len)
{
	VALUE_PAIR *vp = da ? fr_pair_find_by_da(request->packet->vps, da, TAG_ANY)
			    : fr_pair_find_by_num(request->packet->vps, attr, 0, TAG_ANY);

	*s = NULL;
	*len = 0;
	if (vp) {
		*s = vp->vp_strvalue;
		*len = vp->vp_length;
	}
}

static void member_input(rlm_cowork_t const *inst, REQUEST *request, cw_member_input_t *in)
{
	attr_text(request, inst->da_serial, 0, &in->serial, &in->serial_len);
	attr_text(request, inst->da_issuer, 0, &in->issuer, &in->issuer_len);
	attr_text(request, inst->da_subject, 0, &in->subject, &in->subject_len);
	attr_text(request, inst->da_expiration, 0, &in->expiration, &in->expiration_len);
	attr_text(request, NULL, PW_CALLED_STATION_ID, &in->called_station, &in->called_station_len);
}

/* Decide with a pooled registry connection. */
static void member_decide(rlm_cowork_t const *inst, REQUEST *request, cw_member_decision_t *d)
{
	cw_member_input_t in;
	cw_regconn_t *conn;
	cw_err_t e;

	member_input(inst, request, &in);
	conn = cw_regpool_get(inst->pool, &e);
	if (!conn) {
		memset(d, 0, sizeof(*d));
		d->result = CW_DECIDE_INTERNAL;
		strlcpy(d->reason, e.msg, sizeof(d->reason));
		return;
	}
	cw_member_decide(conn->reg, &in, (int64_t)request->timestamp, d);
	cw_regpool_put(inst->pool, conn, d->result == CW_DECIDE_INTERNAL);
}

/*
 * The return code of a refusal. In post-auth, NOTFOUND would count as
 * success (rad_postauth treats it like OK), so an unknown certificate is a
 * REJECT there.
 */
static rlm_rcode_t refusal_rcode(cw_decide_result_t r, bool post_auth)
{
	switch (r) {
	case CW_DECIDE_ACCEPT:
		return RLM_MODULE_OK;
	case CW_DECIDE_UNKNOWN_CERT:
		return post_auth ? RLM_MODULE_REJECT : RLM_MODULE_NOTFOUND;
	case CW_DECIDE_REVOKED:
	case CW_DECIDE_SUSPENDED:
	case CW_DECIDE_NOT_STARTED:
	case CW_DECIDE_ENDED:
	case CW_DECIDE_CERT_EXPIRED:
		return RLM_MODULE_USERLOCK;
	case CW_DECIDE_BAD_INPUT:
		return RLM_MODULE_INVALID;
	case CW_DECIDE_WRONG_ISSUER:
	case CW_DECIDE_BAD_SSID:
	case CW_DECIDE_BAD_VLAN:
		return RLM_MODULE_REJECT;
	case CW_DECIDE_INTERNAL:
		break;
	}
	return RLM_MODULE_FAIL;
}

/* One log line per refusal; the reason also goes into radiusd's "Login incorrect (...)" line. */
static void log_refusal(REQUEST *request, cw_member_decision_t const *d)
{
	char const *code = cw_decide_result_name(d->result);

	if (d->result == CW_DECIDE_INTERNAL || d->result == CW_DECIDE_BAD_VLAN) {
		RERROR("reject (%s): %s", code, d->reason);
	} else {
		RWARN("reject (%s): %s", code, d->reason);
		module_failure_msg(request, "reject (%s): %s", code, d->reason);
	}
}

/*
 * authorize: only in the certificate-check virtual server, where the client
 * certificate's attributes exist. Anything else is not ours.
 */
static rlm_rcode_t CC_HINT(nonnull) mod_authorize(void *instance, REQUEST *request)
{
	rlm_cowork_t const *inst = instance;
	cw_member_decision_t d;

	if (!fr_pair_find_by_da(request->packet->vps, inst->da_serial, TAG_ANY)) {
		RDEBUG2("No TLS-Client-Cert-Serial: not a member certificate check");
		return RLM_MODULE_NOOP;
	}
	member_decide(inst, request, &d);
	if (d.result != CW_DECIDE_ACCEPT) {
		log_refusal(request, &d);
		return refusal_rcode(d.result, false);
	}
	RDEBUG2("Certificate accepted: %s", d.reason);
	return RLM_MODULE_OK;
}

/* Replace any tunnel attributes in the reply by the member's VLAN (RFC 3580). */
static int add_vlan(REQUEST *request, uint16_t vlan)
{
	VALUE_PAIR *type, *medium, *group;
	char buf[8];

	fr_pair_delete_by_num(&request->reply->vps, PW_TUNNEL_TYPE, 0, TAG_ANY);
	fr_pair_delete_by_num(&request->reply->vps, PW_TUNNEL_MEDIUM_TYPE, 0, TAG_ANY);
	fr_pair_delete_by_num(&request->reply->vps, PW_TUNNEL_PRIVATE_GROUP_ID, 0, TAG_ANY);

	type = fr_pair_afrom_num(request->reply, PW_TUNNEL_TYPE, 0);
	medium = fr_pair_afrom_num(request->reply, PW_TUNNEL_MEDIUM_TYPE, 0);
	group = fr_pair_afrom_num(request->reply, PW_TUNNEL_PRIVATE_GROUP_ID, 0);
	if (!type || !medium || !group) {
		talloc_free(type);
		talloc_free(medium);
		talloc_free(group);
		return -1;
	}
	type->vp_integer = TUNNEL_TYPE_VLAN;
	medium->vp_integer = TUNNEL_MEDIUM_802;
	snprintf(buf, sizeof(buf), "%u", (unsigned)vlan);
	fr_pair_value_strcpy(group, buf);
	type->tag = medium->tag = group->tag = TAG_NONE;
	fr_pair_add(&request->reply->vps, type);
	fr_pair_add(&request->reply->vps, medium);
	fr_pair_add(&request->reply->vps, group);
	return 0;
}

/*
 * Turn an Accept's reply into a refusal: drop all it carried (the
 * EAP-Success, the keys, any VLAN) and, for EAP, answer with an
 * EAP-Failure of the same identifier (RFC 3748 4.2) and a
 * Message-Authenticator (radiusd computes it). The eap module cannot add
 * the EAP-Failure itself here: its session is already finished.
 */
static void reply_refusal(REQUEST *request)
{
	static uint8_t const zero[16];
	VALUE_PAIR *vp = fr_pair_find_by_num(request->reply->vps, PW_EAP_MESSAGE, 0, TAG_ANY);
	uint8_t failure[4] = { 4, 0, 0, 4 };	/* code Failure, identifier, length 4 */
	bool eap = vp && vp->vp_length >= 2;

	if (eap) failure[1] = vp->vp_octets[1];
	fr_pair_list_free(&request->reply->vps);
	if (!eap) return;
	vp = fr_pair_afrom_num(request->reply, PW_EAP_MESSAGE, 0);
	if (vp) {
		fr_pair_value_memcpy(vp, failure, sizeof(failure));
		fr_pair_add(&request->reply->vps, vp);
	}
	vp = fr_pair_afrom_num(request->reply, PW_MESSAGE_AUTHENTICATOR, 0);
	if (vp) {
		fr_pair_value_memcpy(vp, zero, sizeof(zero));
		fr_pair_add(&request->reply->vps, vp);
	}
}

/*
 * post-auth: on an Access-Accept that carries a client certificate, decide
 * again and send the member's VLAN; on refusal, the Accept's reply becomes
 * a Reject's (see reply_refusal).
 */
static rlm_rcode_t CC_HINT(nonnull) mod_post_auth(void *instance, REQUEST *request)
{
	rlm_cowork_t const *inst = instance;
	cw_member_decision_t d;

	if (request->reply->code != PW_CODE_ACCESS_ACCEPT) return RLM_MODULE_NOOP;
	if (!fr_pair_find_by_da(request->packet->vps, inst->da_serial, TAG_ANY)) {
		RDEBUG2("Accept without a client certificate: not a member, not ours");
		return RLM_MODULE_NOOP;
	}
	member_decide(inst, request, &d);
	if (d.result == CW_DECIDE_ACCEPT && add_vlan(request, d.vlan) < 0) {
		d.result = CW_DECIDE_INTERNAL;
		strlcpy(d.reason, "out of memory adding the VLAN", sizeof(d.reason));
	}
	if (d.result != CW_DECIDE_ACCEPT) {
		log_refusal(request, &d);
		reply_refusal(request);
		return refusal_rcode(d.result, true);
	}
	RINFO("accept: %s", d.reason);
	return RLM_MODULE_UPDATED;
}

extern module_t rlm_cowork;
module_t rlm_cowork = {
	.magic		= RLM_MODULE_INIT,
	.name		= "cowork",
	.type		= RLM_TYPE_THREAD_SAFE | RLM_TYPE_HUP_SAFE,
	.inst_size	= sizeof(rlm_cowork_t),
	.config		= module_config,
	.instantiate	= mod_instantiate,
	.detach		= mod_detach,
	.methods = {
		[MOD_AUTHORIZE]		= mod_authorize,
		[MOD_POST_AUTH]		= mod_post_auth,
	},
};
