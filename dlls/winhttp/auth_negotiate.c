/*
 * Negotiate (RFC 4559: SPNEGO tokens in base64) and NTLM (raw NTLMSSP
 * messages in base64), on the GSSAPI contexts of auth_gssapi.c.
 *
 * Both take several legs on one connection: a bare challenge starts the
 * exchange, each challenge with a token continues it.  Negotiate asks for
 * mutual authentication and checks the server's last token when the final
 * response brings one.  Over TLS the channel bindings (RFC 5929
 * tls-server-end-point) go into the Kerberos authenticator and the NTLMv2
 * response, for servers that enforce Extended Protection.
 *
 * Negotiate can pre-authenticate (a Kerberos token with the first request,
 * when the credentials are set before sending); NTLM waits for the server's
 * challenge, as "Authentication in WinHTTP" says of both.
 */
#include "auth_mech.h"
#include "auth_gssapi.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* A completed handshake that a later request has to redo (a new
 * connection), at most this many times per context. */
#define MAX_RESTARTS 3

struct auth_ctx
{
    enum authgss_mech kind;
    struct auth_cred cred;
    struct authgss *gss;
    unsigned char *pending;         /* the token to send next */
    size_t pending_len;
    BOOL sent;                      /* a token of this handshake went out */
    BOOL complete;                  /* GSSAPI established the context */
    BOOL server_token;              /* the server answered with a token */
    BOOL accepted;                  /* a final response (not 401) followed our last token */
    unsigned int restarts;
    WCHAR *spn;
};

static const WCHAR *scheme_prefix(const struct auth_ctx *ctx)
{
    return ctx->kind == AUTHGSS_NTLM ? L"NTLM " : L"Negotiate ";
}

static DWORD create(enum authgss_mech kind, const struct auth_cred *cred, struct auth_ctx **ret)
{
    struct auth_ctx *ctx;

    if (!(ctx = calloc(1, sizeof(*ctx)))) return ERROR_OUTOFMEMORY;
    ctx->kind = kind;
    if (!auth_cred_copy(&ctx->cred, cred))
    {
        free(ctx);
        return ERROR_OUTOFMEMORY;
    }
    *ret = ctx;
    return ERROR_SUCCESS;
}

static DWORD negotiate_create(const struct auth_cred *cred, struct auth_ctx **ret)
{
    return create(AUTHGSS_SPNEGO, cred, ret);
}

static DWORD ntlm_create(const struct auth_cred *cred, struct auth_ctx **ret)
{
    return create(AUTHGSS_NTLM, cred, ret);
}

static void end_handshake(struct auth_ctx *ctx)
{
    authgss_free(ctx->gss);
    ctx->gss = NULL;
    authgss_free_token(ctx->pending, ctx->pending_len);
    ctx->pending = NULL;
    ctx->pending_len = 0;
    ctx->sent = ctx->complete = ctx->server_token = ctx->accepted = FALSE;
}

static void set_pending(struct auth_ctx *ctx, unsigned char *token, size_t len)
{
    authgss_free_token(ctx->pending, ctx->pending_len);
    ctx->pending = token;
    ctx->pending_len = len;
}

/* Feed a server token; CONTINUE when we have something to send back. */
static enum auth_input take_token(struct auth_ctx *ctx, const WCHAR *token68)
{
    unsigned char *out;
    size_t in_len, out_len;
    BYTE *in;
    int ret;

    if (!(in = auth_base64_decode(token68, &in_len)) || !in_len)
    {
        free(in);
        WARN("malformed %s token\n", debugstr_w(scheme_prefix(ctx)));
        return AUTH_INPUT_FAILED;
    }
    ret = authgss_step(ctx->gss, in, in_len, &out, &out_len);
    free_secret(in, in_len);
    /* A token that no library may parse (a hostile server's): the exchange
     * breaks down, as with one that is not base64. */
    if (ret == AUTHGSS_INVALID_TOKEN) return AUTH_INPUT_FAILED;
    ctx->server_token = TRUE;
    /* A token we cannot go on from, in a 401/407, is the server turning us
     * down (SPNEGO's reject, an NTLM challenge our credentials cannot
     * answer): the application gets the response. */
    if (ret < 0) return AUTH_INPUT_REJECTED;
    if (ret == AUTHGSS_COMPLETE) ctx->complete = TRUE;
    set_pending(ctx, out, out_len);
    /* Complete without anything to send, yet the server still says 401:
     * it turned us down. */
    if (!out) return AUTH_INPUT_REJECTED;
    return AUTH_INPUT_CONTINUE;
}

static enum auth_input gss_input(struct auth_ctx *ctx, const WCHAR *challenge, const struct auth_request_info *info)
{
    WCHAR *token = auth_token68(challenge);
    enum auth_input ret;

    if (!token)
    {
        /* A bare challenge: the start of an exchange, or our token refused. */
        if (!ctx->gss) return AUTH_INPUT_CONTINUE;
        /* Only after the server took the handshake: NTLM completes on our
         * side with its last message, so a bare challenge to that message
         * is the server refusing it (wrong password, a channel binding that
         * does not match), and going again would only repeat the refusal
         * (and count against the account's lockout threshold).  A proxy's
         * final response reaches no finish(), hence its exception. */
        if (ctx->complete && ctx->server_token && (ctx->accepted || info->proxy) && ctx->restarts < MAX_RESTARTS)
        {
            /* Authenticated before, challenged again (a new connection): redo it. */
            ctx->restarts++;
            end_handshake(ctx);
            return AUTH_INPUT_CONTINUE;
        }
        return AUTH_INPUT_REJECTED;
    }
    if (!ctx->gss || !ctx->sent)
    {
        WARN("a %s token before we sent ours\n", debugstr_w(scheme_prefix(ctx)));
        free(token);
        return AUTH_INPUT_REJECTED;
    }
    ret = take_token(ctx, token);
    free(token);
    return ret;
}

static WCHAR *make_spn(const struct auth_request_info *info)
{
    struct strbuf sb = {0};

    strbuf_append(&sb, L"HTTP/");
    strbuf_append(&sb, info->host);
    if (info->spn_with_port)
    {
        strbuf_append(&sb, L":");
        strbuf_append_uint(&sb, info->port);
    }
    return strbuf_detach(&sb);
}

/* "tls-server-end-point:" followed by the certificate hash (RFC 5929
 * section 4.1), the application data of the channel bindings. */
static BYTE *binding_data(const struct auth_request_info *info, size_t *len)
{
    static const char prefix[] = "tls-server-end-point:";
    size_t plen = sizeof(prefix) - 1;
    BYTE *ret;

    *len = 0;
    if (!info->channel_binding || !info->channel_binding_len) return NULL;
    if (info->channel_binding_len > plen && !memcmp(info->channel_binding, prefix, plen))
        plen = 0;   /* already the whole application data */
    if (!(ret = malloc(plen + info->channel_binding_len))) return NULL;
    memcpy(ret, prefix, plen);
    memcpy(ret + plen, info->channel_binding, info->channel_binding_len);
    *len = plen + info->channel_binding_len;
    return ret;
}

static DWORD start(struct auth_ctx *ctx, const struct auth_request_info *info)
{
    struct authgss_params params;
    char *host, *user = NULL, *password = NULL;
    unsigned char *out;
    size_t out_len, cb_len;
    BYTE *cb;
    int ret;

    memset(&params, 0, sizeof(params));
    params.mech = ctx->kind;
    if (!(host = auth_utf8(info->host))) return ERROR_OUTOFMEMORY;
    params.host = host;
    params.spn_port = info->spn_with_port ? info->port : 0;
    if (!ctx->cred.use_default)
    {
        user = auth_utf8(ctx->cred.user);
        password = auth_utf8(ctx->cred.password);
        if (!user || !password)
        {
            free(host);
            if (user) free_secret(user, strlen(user));
            if (password) free_secret(password, strlen(password));
            return ERROR_OUTOFMEMORY;
        }
        params.user = user;
        params.password = password;
    }
    cb = binding_data(info, &cb_len);
    params.channel_binding = cb;
    params.channel_binding_len = cb_len;
    params.mutual = ctx->kind == AUTHGSS_SPNEGO;

    free(ctx->spn);
    ctx->spn = make_spn(info);
    TRACE("%s for %s, %s credentials%s\n", debugstr_w(scheme_prefix(ctx)), debugstr_w(ctx->spn),
          ctx->cred.use_default ? "default" : "explicit", cb ? ", with channel bindings" : "");
    ret = authgss_start(&params, &ctx->gss);
    free(host);
    if (user) free_secret(user, strlen(user));
    if (password) free_secret(password, strlen(password));
    free(cb);
    if (ret == AUTHGSS_NO_MEMORY) return ERROR_OUTOFMEMORY;
    if (ret) return ERROR_WINHTTP_LOGIN_FAILURE;

    ret = authgss_step(ctx->gss, NULL, 0, &out, &out_len);
    if (ret < 0 || !out)
    {
        authgss_free_token(out, out_len);
        end_handshake(ctx);
        return ERROR_WINHTTP_LOGIN_FAILURE;
    }
    if (ret == AUTHGSS_COMPLETE) ctx->complete = TRUE;
    set_pending(ctx, out, out_len);
    return ERROR_SUCCESS;
}

static DWORD gss_output(struct auth_ctx *ctx, const struct auth_request_info *info, WCHAR **value)
{
    DWORD res;

    *value = NULL;
    if (!ctx->gss && (res = start(ctx, info))) return res;
    if (!ctx->pending) return ERROR_SUCCESS;    /* complete: nothing more to say */
    *value = auth_base64_value(scheme_prefix(ctx), ctx->pending, ctx->pending_len);
    if (!*value) return ERROR_OUTOFMEMORY;
    set_pending(ctx, NULL, 0);
    ctx->sent = TRUE;
    return ERROR_SUCCESS;
}

/* The final response: with mutual authentication the server's last token
 * completes the context (RFC 4559 section 5). */
static BOOL gss_finish(struct auth_ctx *ctx, const WCHAR *params)
{
    WCHAR *token;
    enum auth_input ret;

    if (!ctx->gss || !ctx->sent) return TRUE;
    ctx->accepted = TRUE;
    if (ctx->complete) return TRUE;
    if (!(token = auth_token68(params)))
    {
        TRACE("the server sent no final token: no mutual authentication\n");
        return TRUE;
    }
    ret = take_token(ctx, token);
    free(token);
    /* A malformed token (one our validators refused) is never excused. */
    if (ret == AUTH_INPUT_FAILED) return FALSE;
    if (!ctx->complete && ctx->kind == AUTHGSS_SPNEGO && authgss_settled_on_ntlm(ctx->gss))
    {
        /* NTLM proves nothing of the server, so its final SPNEGO token (only
         * a mechListMIC) cannot be a proof either; some pairs of MIT krb5
         * and gss-ntlmssp (Debian 13's) cannot even read their own.  Having
         * no final token at all is accepted above: a broken one is no worse. */
        WARN("the server's final Negotiate token did not verify (NTLM, which proves nothing of the server)\n");
        return TRUE;
    }
    if (!ctx->complete) return FALSE;
    TRACE("the server proved who it is (%s)\n", authgss_mech_name(ctx->gss));
    return TRUE;
}

static WCHAR *gss_spn(struct auth_ctx *ctx)
{
    return ctx->spn ? strdupW(ctx->spn) : NULL;
}

static void gss_destroy(struct auth_ctx *ctx)
{
    end_handshake(ctx);
    auth_cred_clear(&ctx->cred);
    free(ctx->spn);
    free(ctx);
}

const struct auth_mech auth_negotiate_mech =
{
    WINHTTP_AUTH_SCHEME_NEGOTIATE,
    L"Negotiate",
    TRUE,       /* connection_based */
    FALSE,      /* needs_challenge: Kerberos can pre-authenticate */
    NULL,
    negotiate_create,
    gss_input,
    gss_output,
    gss_finish,
    gss_spn,
    gss_destroy,
};

const struct auth_mech auth_ntlm_mech =
{
    WINHTTP_AUTH_SCHEME_NTLM,
    L"NTLM",
    TRUE,       /* connection_based */
    TRUE,       /* needs_challenge: NTLM never pre-authenticates */
    NULL,
    ntlm_create,
    gss_input,
    gss_output,
    gss_finish,
    gss_spn,
    gss_destroy,
};
