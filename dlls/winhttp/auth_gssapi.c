/*
 * Negotiate (SPNEGO over Kerberos and NTLM) and NTLM as GSSAPI initiator
 * contexts, on MIT krb5's libgssapi_krb5 and, for NTLM, the gss-ntlmssp
 * mechanism plugin (see auth_gssapi.h for the why).  The only file of the
 * DLL that includes GSSAPI headers.
 *
 * The service principal is the host-based name HTTP@host (HTTP@host:port
 * with WINHTTP_ENABLE_SPN_SERVER_PORT), the host as the application named
 * it: like SSPI we do no DNS canonicalisation of our own (whatever krb5.conf
 * says of host names still applies).  Explicit credentials are acquired with
 * gss_acquire_cred_with_password; "DOMAIN\user" becomes user@DOMAIN for
 * Kerberos, and NTLM gets it as it is.  Default credentials are the user's
 * Kerberos ticket cache (KRB5CCNAME) or what gss-ntlmssp finds.
 *
 * Who parses what a server sends.  Every server token reaches this file as
 * bytes already base64-decoded by auth_parse.c (auth_base64_decode: strict
 * RFC 4648 alphabet, at most two '=' of padding, bounded output) and is
 * handed to gss_init_sec_context, which lets:
 *   - MIT's SPNEGO (libgssapi_krb5) parse the DER of a NegTokenResp and
 *     choose the mechanism;
 *   - MIT's Kerberos (libkrb5) parse the AP-REP or KRB-ERROR inside it;
 *   - gss-ntlmssp (gssntlmssp.so) parse the NTLM CHALLENGE_MESSAGE, raw
 *     for the NTLM scheme or inside SPNEGO for Negotiate.
 * These parsers are not ours, and gss-ntlmssp 1.2.0 is known to crash on
 * a malformed CHALLENGE_MESSAGE (an empty Unicode TargetName writes
 * through NULL): a server could kill the program.  So authgss_step checks
 * every server token first, and GSSAPI never sees one that fails:
 *   - the NTLM scheme: auth_ntlm_msg.c, MS-NLMP's CHALLENGE_MESSAGE (the
 *     fixed header, each security buffer inside the message and outside
 *     the header, the AV_PAIR list of TargetInfo);
 *   - Negotiate: auth_spnego_msg.c, the DER framing of the whole token
 *     (definite lengths that fit exactly, bounded nesting), the shape of
 *     NegTokenResp or of a GSS-API framed token, and the mechanism token
 *     inside: NTLM through auth_ntlm_msg.c, Kerberos as DER.
 * A token that fails is AUTHGSS_INVALID_TOKEN with a WARN saying why;
 * auth_negotiate.c ends the exchange on it (ERROR_WINHTTP_LOGIN_FAILURE).
 * Our own outgoing tokens and credentials are GSSAPI's to build.
 */
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

/* Winelib defines _WIN32, which makes gssapi.h look for a Windows build's
 * headers: these are the Unix ones. */
#ifdef _WIN32
# define AUTH_GSSAPI_WAS_WIN32 1
# undef _WIN32
#endif
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#ifdef AUTH_GSSAPI_WAS_WIN32
# define _WIN32 1
#endif

#include "winhttp_private.h"
#include "auth_gssapi.h"
#include "auth_ntlm_msg.h"
#include "auth_spnego_msg.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

static gss_OID_desc spnego_oid = { 6, (void *)"\x2b\x06\x01\x05\x05\x02" };                 /* 1.3.6.1.5.5.2 */
static gss_OID_desc krb5_oid = { 9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };       /* 1.2.840.113554.1.2.2 */
static gss_OID_desc ntlmssp_oid = { 10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" }; /* 1.3.6.1.4.1.311.2.2.10 */

struct authgss
{
    enum authgss_mech mech;
    gss_ctx_id_t ctx;
    gss_cred_id_t cred;
    gss_name_t target;
    struct gss_channel_bindings_struct bindings;
    unsigned char *binding_data;
    int have_bindings;
    OM_uint32 flags;
    gss_OID actual;
    int sent_ntlm;              /* one of our tokens carried an NTLMSSP message */
};

static void wipe(void *buf, size_t len)
{
    volatile unsigned char *p = buf;
    while (len--) *p++ = 0;
}

static void log_status(const char *what, OM_uint32 major, OM_uint32 minor, gss_OID mech)
{
    OM_uint32 ctx = 0, min;
    gss_buffer_desc text;

    if (!WARN_ON(winhttp)) return;
    do
    {
        if (GSS_ERROR(gss_display_status(&min, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &text))) break;
        WARN("%s: %.*s\n", what, (int)text.length, (const char *)text.value);
        gss_release_buffer(&min, &text);
    } while (ctx);
    ctx = 0;
    if (minor) do
    {
        if (GSS_ERROR(gss_display_status(&min, minor, GSS_C_MECH_CODE, mech, &ctx, &text))) break;
        WARN("%s: %.*s\n", what, (int)text.length, (const char *)text.value);
        gss_release_buffer(&min, &text);
    } while (ctx);
}

static int mech_available(gss_OID oid)
{
    OM_uint32 minor;
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    int present = 0;

    if (GSS_ERROR(gss_indicate_mechs(&minor, &mechs))) return 0;
    gss_test_oid_set_member(&minor, oid, mechs, &present);
    gss_release_oid_set(&minor, &mechs);
    return present;
}

/* The mechanisms a context may use: Kerberos and NTLM for SPNEGO (those
 * installed), NTLM alone for the NTLM scheme. */
static int make_mech_set(enum authgss_mech mech, gss_OID_set *set)
{
    OM_uint32 minor;

    *set = GSS_C_NO_OID_SET;
    if (GSS_ERROR(gss_create_empty_oid_set(&minor, set))) return AUTHGSS_NO_MEMORY;
    if (mech == AUTHGSS_SPNEGO && mech_available(&krb5_oid)) gss_add_oid_set_member(&minor, &krb5_oid, set);
    if (mech_available(&ntlmssp_oid)) gss_add_oid_set_member(&minor, &ntlmssp_oid, set);
    if (!(*set)->count)
    {
        gss_release_oid_set(&minor, set);
        WARN("no GSSAPI mechanism for %s (is gss-ntlmssp installed?)\n", mech == AUTHGSS_NTLM ? "NTLM" : "Negotiate");
        return AUTHGSS_UNAVAILABLE;
    }
    return AUTHGSS_COMPLETE;
}

/* "DOMAIN\user" -> "user@DOMAIN" for Kerberos (realms are upper case). */
static char *user_principal(const char *user, enum authgss_mech mech)
{
    const char *slash = strchr(user, '\\');
    size_t dlen;
    char *ret, *p;

    if (mech == AUTHGSS_NTLM || !slash) return strdup(user);
    dlen = slash - user;
    if (!(ret = malloc(strlen(user) + 1))) return NULL;
    strcpy(ret, slash + 1);
    p = ret + strlen(ret);
    *p++ = '@';
    memcpy(p, user, dlen);
    p[dlen] = 0;
    for (; *p; p++) *p = toupper((unsigned char)*p);
    return ret;
}

/* Credentials for the mechanism itself: for Negotiate, SPNEGO's, which
 * hold those of each mechanism that could be had (a wrong Kerberos password
 * leaves NTLM), restricted to exactly these.  Left to itself SPNEGO would
 * use the default credentials (the user's ticket cache) for a mechanism
 * missing from the application's. */
static int acquire_credentials(struct authgss *ctx, const struct authgss_params *params)
{
    OM_uint32 major, minor;
    gss_OID_set_desc want = { 1, params->mech == AUTHGSS_NTLM ? &ntlmssp_oid : &spnego_oid };
    gss_OID_set inner;
    gss_name_t name = GSS_C_NO_NAME;
    gss_buffer_desc buf;
    char *principal;
    int ret;

    if ((ret = make_mech_set(params->mech, &inner))) return ret;
    if (params->user)
    {
        if (!(principal = user_principal(params->user, params->mech)))
        {
            gss_release_oid_set(&minor, &inner);
            return AUTHGSS_NO_MEMORY;
        }
        buf.value = principal;
        buf.length = strlen(principal);
        major = gss_import_name(&minor, &buf, GSS_C_NT_USER_NAME, &name);
        free(principal);
        if (GSS_ERROR(major))
        {
            log_status("importing the user name", major, minor, GSS_C_NO_OID);
            gss_release_oid_set(&minor, &inner);
            return AUTHGSS_NO_CREDENTIALS;
        }
        buf.value = (void *)params->password;
        buf.length = strlen(params->password);
        major = gss_acquire_cred_with_password(&minor, name, &buf, GSS_C_INDEFINITE, &want, GSS_C_INITIATE,
                                               &ctx->cred, NULL, NULL);
        gss_release_name(&minor, &name);
    }
    else major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &want, GSS_C_INITIATE, &ctx->cred,
                                  NULL, NULL);
    if (GSS_ERROR(major))
    {
        log_status(params->user ? "acquiring credentials with a password" : "acquiring the default credentials",
                   major, minor, GSS_C_NO_OID);
        gss_release_oid_set(&minor, &inner);
        return AUTHGSS_NO_CREDENTIALS;
    }
    if (params->mech == AUTHGSS_SPNEGO && GSS_ERROR(major = gss_set_neg_mechs(&minor, ctx->cred, inner)))
    {
        log_status("restricting SPNEGO", major, minor, GSS_C_NO_OID);
        gss_release_oid_set(&minor, &inner);
        return AUTHGSS_NO_CREDENTIALS;
    }
    gss_release_oid_set(&minor, &inner);
    return AUTHGSS_COMPLETE;
}

int authgss_start(const struct authgss_params *params, struct authgss **ret)
{
    OM_uint32 major, minor;
    gss_buffer_desc buf;
    struct authgss *ctx;
    char *service;
    size_t len;
    int res;

    *ret = NULL;
    if (!(ctx = calloc(1, sizeof(*ctx)))) return AUTHGSS_NO_MEMORY;
    ctx->mech = params->mech;
    ctx->ctx = GSS_C_NO_CONTEXT;
    ctx->cred = GSS_C_NO_CREDENTIAL;
    ctx->target = GSS_C_NO_NAME;

    len = strlen(params->host) + 16;
    if (!(service = malloc(len)))
    {
        free(ctx);
        return AUTHGSS_NO_MEMORY;
    }
    if (params->spn_port) snprintf(service, len, "HTTP@%s:%u", params->host, params->spn_port);
    else snprintf(service, len, "HTTP@%s", params->host);
    buf.value = service;
    buf.length = strlen(service);
    major = gss_import_name(&minor, &buf, GSS_C_NT_HOSTBASED_SERVICE, &ctx->target);
    free(service);
    if (GSS_ERROR(major))
    {
        log_status("importing the service name", major, minor, GSS_C_NO_OID);
        authgss_free(ctx);
        return AUTHGSS_ERROR;
    }
    if ((res = acquire_credentials(ctx, params)))
    {
        authgss_free(ctx);
        return res;
    }
    if (params->channel_binding && params->channel_binding_len)
    {
        if (!(ctx->binding_data = malloc(params->channel_binding_len)))
        {
            authgss_free(ctx);
            return AUTHGSS_NO_MEMORY;
        }
        memcpy(ctx->binding_data, params->channel_binding, params->channel_binding_len);
        ctx->bindings.initiator_addrtype = GSS_C_AF_UNSPEC;
        ctx->bindings.acceptor_addrtype = GSS_C_AF_UNSPEC;
        ctx->bindings.application_data.value = ctx->binding_data;
        ctx->bindings.application_data.length = params->channel_binding_len;
        ctx->have_bindings = 1;
    }
    ctx->flags = params->mutual ? GSS_C_MUTUAL_FLAG : 0;
    *ret = ctx;
    return AUTHGSS_COMPLETE;
}

static int has_ntlm_message(const unsigned char *buf, size_t len)
{
    static const unsigned char signature[8] = "NTLMSSP";   /* with its NUL */
    size_t i;

    for (i = 0; i + sizeof(signature) <= len; i++)
        if (!memcmp(buf + i, signature, sizeof(signature))) return 1;
    return 0;
}

int authgss_step(struct authgss *ctx, const unsigned char *in, size_t in_len, unsigned char **out, size_t *out_len)
{
    gss_buffer_desc input = { in_len, (void *)in }, output = { 0, NULL };
    OM_uint32 major, minor, ret_flags = 0;
    gss_OID mech = ctx->mech == AUTHGSS_NTLM ? &ntlmssp_oid : &spnego_oid;
    const char *invalid;

    *out = NULL;
    *out_len = 0;
    if (in)
    {
        /* The NTLM scheme's server tokens are CHALLENGE_MESSAGEs, always. */
        invalid = ctx->mech == AUTHGSS_NTLM ? ntlm_check_challenge(in, in_len) : spnego_check_token(in, in_len);
        if (invalid)
        {
            WARN("refusing the server's %s token (%lu bytes): %s\n", ctx->mech == AUTHGSS_NTLM ? "NTLM" : "Negotiate",
                 (unsigned long)in_len, invalid);
            return AUTHGSS_INVALID_TOKEN;
        }
    }
    major = gss_init_sec_context(&minor, ctx->cred, &ctx->ctx, ctx->target, mech, ctx->flags, GSS_C_INDEFINITE,
                                 ctx->have_bindings ? &ctx->bindings : GSS_C_NO_CHANNEL_BINDINGS,
                                 in ? &input : GSS_C_NO_BUFFER, &ctx->actual, &output, &ret_flags, NULL);
    if (GSS_ERROR(major))
    {
        log_status("gss_init_sec_context", major, minor, ctx->actual);
        if (output.value) gss_release_buffer(&minor, &output);
        return AUTHGSS_ERROR;
    }
    if (output.length)
    {
        if (!(*out = malloc(output.length)))
        {
            gss_release_buffer(&minor, &output);
            return AUTHGSS_NO_MEMORY;
        }
        memcpy(*out, output.value, output.length);
        *out_len = output.length;
        /* SPNEGO does not say which mechanism it settled on before it
         * completes; an NTLM message inside its token does. */
        if (has_ntlm_message(output.value, output.length)) ctx->sent_ntlm = 1;
        wipe(output.value, output.length);
    }
    gss_release_buffer(&minor, &output);
    if (major & GSS_S_CONTINUE_NEEDED) return AUTHGSS_CONTINUE;
    if ((ctx->flags & GSS_C_MUTUAL_FLAG) && !(ret_flags & GSS_C_MUTUAL_FLAG))
        TRACE("established without mutual authentication\n");
    return AUTHGSS_COMPLETE;
}

int authgss_settled_on_ntlm(struct authgss *ctx)
{
    return ctx->sent_ntlm;
}

void authgss_free_token(unsigned char *token, size_t len)
{
    if (!token) return;
    wipe(token, len);
    free(token);
}

const char *authgss_mech_name(struct authgss *ctx)
{
    gss_OID oid = ctx->actual;

    if (!oid) return "?";
    if (oid->length == krb5_oid.length && !memcmp(oid->elements, krb5_oid.elements, oid->length)) return "krb5";
    if (oid->length == ntlmssp_oid.length && !memcmp(oid->elements, ntlmssp_oid.elements, oid->length))
        return "ntlmssp";
    if (oid->length == spnego_oid.length && !memcmp(oid->elements, spnego_oid.elements, oid->length)) return "spnego";
    return "?";
}

void authgss_free(struct authgss *ctx)
{
    OM_uint32 minor;

    if (!ctx) return;
    if (ctx->ctx != GSS_C_NO_CONTEXT) gss_delete_sec_context(&minor, &ctx->ctx, GSS_C_NO_BUFFER);
    if (ctx->cred != GSS_C_NO_CREDENTIAL) gss_release_cred(&minor, &ctx->cred);
    if (ctx->target != GSS_C_NO_NAME) gss_release_name(&minor, &ctx->target);
    free(ctx->binding_data);
    free(ctx);
}
