/*
 * The Unix side of Negotiate, Kerberos and NTLM: security contexts of MIT
 * GSSAPI (auth_gssapi.c), behind plain C types so that the Windows-facing
 * auth_negotiate.c includes no Linux header (see unix_private.h).
 *
 * Negotiate is SPNEGO (RFC 4178) offering Kerberos and, when the gss-ntlmssp
 * mechanism is installed, NTLM; the NTLM scheme is gss-ntlmssp alone.  Why
 * gss-ntlmssp: it speaks NTLMv2 with the MIC and the MsvAvChannelBindings /
 * MsvAvTargetName AV pairs that Extended Protection needs, behind the same
 * GSSAPI calls as Kerberos; libntlm only has NTLMv1, which servers refuse,
 * and a hand-made NTLMv2 would duplicate a maintained implementation.
 *
 * Strings are UTF-8.  Nothing here logs a password, a token or a key.
 */
#ifndef WINHTTP_AUTH_GSSAPI_H
#define WINHTTP_AUTH_GSSAPI_H

#include <stddef.h>

enum authgss_mech
{
    AUTHGSS_SPNEGO,             /* "Negotiate" */
    AUTHGSS_NTLM,               /* "NTLM" */
};

enum authgss_status
{
    AUTHGSS_COMPLETE = 0,       /* the context is established */
    AUTHGSS_CONTINUE = 1,       /* send the token, expect another */
    AUTHGSS_ERROR = -1,         /* the exchange failed */
    AUTHGSS_NO_CREDENTIALS = -2,/* no credentials: wrong password, no ticket, ... */
    AUTHGSS_UNAVAILABLE = -3,   /* the mechanism is not installed */
    AUTHGSS_NO_MEMORY = -4,
    AUTHGSS_INVALID_TOKEN = -5, /* the server's token is malformed: never given to GSSAPI */
};

struct authgss_params
{
    enum authgss_mech mech;
    const char *host;           /* the server or proxy: the SPN is HTTP/host[:port] */
    unsigned short spn_port;    /* 0: no port in the SPN */
    const char *user;           /* NULL: the default credentials (the user's ccache) */
    const char *password;
    const unsigned char *channel_binding;   /* application data of the channel bindings
                                             * ("tls-server-end-point:" hash), NULL for none */
    size_t channel_binding_len;
    int mutual;                 /* ask the server to authenticate itself */
};

struct authgss;

int authgss_start(const struct authgss_params *params, struct authgss **ctx);
/* One leg: in (NULL for the first) to the next token in *out (malloc'ed,
 * NULL when there is none; free it with authgss_free_token).  A server
 * token that fails the checks of auth_ntlm_msg.c / auth_spnego_msg.c is
 * AUTHGSS_INVALID_TOKEN, and the context stays as it was. */
int authgss_step(struct authgss *ctx, const unsigned char *in, size_t in_len, unsigned char **out, size_t *out_len);
void authgss_free_token(unsigned char *token, size_t len);
/* The mechanism SPNEGO settled on ("krb5", "ntlmssp", "?"), for traces. */
const char *authgss_mech_name(struct authgss *ctx);
/* Whether SPNEGO settled on NTLM: one of our tokens carried an NTLM message. */
int authgss_settled_on_ntlm(struct authgss *ctx);
void authgss_free(struct authgss *ctx);

#endif /* WINHTTP_AUTH_GSSAPI_H */
