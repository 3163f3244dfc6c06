/*
 * The authentication mechanisms behind auth.c, one file each (auth_basic.c,
 * auth_digest.c, auth_negotiate.c for Negotiate, Kerberos and NTLM), each a
 * table of functions.  auth.c drives them the same way for servers and
 * proxies, and so will HTTP/2: it picks a mechanism from the challenges of a
 * 401/407, feeds it each challenge that comes back, and asks it for the
 * Authorization value of every request it answers.
 *
 * A context is one authentication with one set of credentials against one
 * server or proxy.  Its life:
 *
 *   create(cred)                       no I/O yet
 *   input(ctx, challenge)              a 401/407 offered the scheme again:
 *                                      AUTH_INPUT_CONTINUE (answer it: the
 *                                      request goes again), or
 *                                      AUTH_INPUT_REJECTED (the credentials
 *                                      failed: the application gets the
 *                                      401/407), or AUTH_INPUT_FAILED (the
 *                                      exchange itself broke down)
 *   output(ctx, request, &value)       the value of the next Authorization
 *                                      header ("Scheme ..."), or NULL when
 *                                      the mechanism has nothing to send yet
 *                                      (Digest before its first challenge)
 *   finish(ctx, params)                a final response other than 401/407:
 *                                      check what it says of us (mutual
 *                                      authentication); FALSE: it failed
 *   destroy(ctx)                       wipes what the context holds
 *
 * The challenge is the part of a WWW-Authenticate / Proxy-Authenticate
 * challenge after the scheme name: auth-params or a token68 (RFC 9110
 * section 11.2), NULL when the scheme came without any.  None of these
 * functions may trace a password, a token or a header value.
 */
#ifndef WINHTTP_AUTH_MECH_H
#define WINHTTP_AUTH_MECH_H

#include "winhttp_private.h"

struct auth_cred
{
    WCHAR *user;            /* NULL with default credentials */
    WCHAR *password;        /* NULL with default credentials */
    BOOL use_default;       /* the logged-on user's (NTLM, Negotiate only) */
};

/* What the next Authorization value answers. */
struct auth_request_info
{
    const WCHAR *verb;
    const WCHAR *uri;               /* request target as sent (escaped) */
    const WCHAR *host;              /* the server or the proxy we authenticate to */
    INTERNET_PORT port;
    BOOL proxy;                     /* Proxy-Authorization */
    BOOL secure;                    /* over TLS */
    BOOL spn_with_port;             /* WINHTTP_OPTION_SPN: WINHTTP_ENABLE_SPN_SERVER_PORT */
    const BYTE *channel_binding;    /* RFC 5929 tls-server-end-point, NULL over plain http */
    DWORD channel_binding_len;
};

enum auth_input
{
    AUTH_INPUT_CONTINUE,
    AUTH_INPUT_REJECTED,
    AUTH_INPUT_FAILED,
};

struct auth_ctx;

struct auth_mech
{
    DWORD scheme;                   /* WINHTTP_AUTH_SCHEME_* */
    const WCHAR *name;              /* the auth-scheme on the wire */
    BOOL connection_based;          /* all legs on one connection (NTLM, Negotiate) */
    BOOL needs_challenge;           /* nothing to send before a challenge (Digest, NTLM) */
    /* Among several challenges of the scheme, the one to answer is the one
     * ranked highest (Digest: the strongest algorithm); < 0: unusable.
     * NULL: the first one. */
    int (*rank)(const WCHAR *challenge);
    DWORD (*create)(const struct auth_cred *cred, struct auth_ctx **ctx);
    enum auth_input (*input)(struct auth_ctx *ctx, const WCHAR *challenge, const struct auth_request_info *info);
    DWORD (*output)(struct auth_ctx *ctx, const struct auth_request_info *info, WCHAR **value);
    BOOL (*finish)(struct auth_ctx *ctx, const WCHAR *params);
    /* The SPN the mechanism asked for ("HTTP/host"), or NULL: a copy. */
    WCHAR *(*spn)(struct auth_ctx *ctx);
    void (*destroy)(struct auth_ctx *ctx);
};

extern const struct auth_mech auth_basic_mech;
extern const struct auth_mech auth_digest_mech;
extern const struct auth_mech auth_negotiate_mech;
extern const struct auth_mech auth_ntlm_mech;

/* ------------------------------------------------------------------ */
/* auth_parse.c: challenges, auth-params, base64                       */

struct auth_challenge
{
    DWORD scheme;               /* WINHTTP_AUTH_SCHEME_*, 0: a scheme we do not know */
    WCHAR *params;              /* what follows the scheme name, trimmed; "" if nothing */
};

struct auth_challenges
{
    struct auth_challenge *items;
    size_t count;
};

/* Append the challenges of one WWW-Authenticate / Proxy-Authenticate field
 * value; parsing stops quietly at text that is no challenge.  FALSE when
 * out of memory. */
BOOL auth_parse_challenges(const WCHAR *value, struct auth_challenges *list);
void auth_challenges_free(struct auth_challenges *list);
/* WINHTTP_AUTH_SCHEME_* of an auth-scheme name (case-insensitive), 0 if unknown. */
DWORD auth_scheme_from_name(const WCHAR *name, size_t len);

/* Base64 (RFC 4648, with padding) of len bytes, as a wide string "prefix<b64>". */
WCHAR *auth_base64_value(const WCHAR *prefix, const BYTE *data, size_t len);
/* Decode a token68; NULL (and *len 0) when it is not valid base64. */
BYTE *auth_base64_decode(const WCHAR *text, size_t *len);
/* The value of the auth-param name in an auth-param list (quoted-string
 * unescaped), malloc'ed; NULL if absent or malformed. */
WCHAR *auth_param_get(const WCHAR *params, const char *name);
/* The challenge as a token68 (trimmed, no auth-params), malloc'ed, or NULL. */
WCHAR *auth_token68(const WCHAR *params);
/* auth.c: credentials */

/* Copy of cred (strings duplicated); FALSE when out of memory. */
BOOL auth_cred_copy(struct auth_cred *dst, const struct auth_cred *src);
/* Wipes and frees the strings of cred. */
void auth_cred_clear(struct auth_cred *cred);
/* UTF-8 of a wide string; the result is wiped with free_secret(s, strlen(s)). */
char *auth_utf8(const WCHAR *s);

/* ------------------------------------------------------------------ */
/* Passport 1.4 (auth_passport.c): its state hangs off auth.c's per-request
 * state and the session's credential cache, created on first use. */

struct passport_request;
struct passport_session;
struct passport_request *passport_request_create(void);
void passport_request_free(struct passport_request *pp);
struct passport_session *passport_session_create(void);
void passport_session_free(struct passport_session *ps);
/* auth.c: NULL when out of memory. */
struct passport_request *auth_get_passport_request(struct request *request);
struct passport_session *auth_get_passport_session(struct session *session);
/* The Authorization value Passport wants on the request about to go out
 * (the sign-in at the login server, the session's tickets at a site that
 * asked for them), or NULL. */
DWORD auth_passport_value(struct request *request, const struct auth_target *target, WCHAR **value);
/* WinHttpSetCredentials with WINHTTP_AUTH_SCHEME_PASSPORT. */
DWORD auth_passport_set_credentials(struct request *request, const WCHAR *user, const WCHAR *password);

#endif /* WINHTTP_AUTH_MECH_H */
