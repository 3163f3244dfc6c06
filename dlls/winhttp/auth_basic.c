/*
 * Basic authentication (RFC 7617): "Basic " base64(user ":" password).
 *
 * The bytes of user and password: UTF-8 when the challenge says
 * charset="UTF-8" (RFC 7617 section 2.1); otherwise the ANSI code page, as
 * Windows encodes them, unless a character does not fit there, which would
 * only send '?' in its place: then UTF-8 too.
 */
#include "auth_mech.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

struct auth_ctx
{
    struct auth_cred cred;
    BOOL utf8;                  /* the challenge asked for UTF-8 */
    BOOL sent;                  /* an answer went out */
};

/* user ":" password in the code page the challenge calls for; wiped by the caller. */
static char *encode_pair(const struct auth_ctx *ctx, int *len)
{
    size_t ulen = strlenW(ctx->cred.user), plen = strlenW(ctx->cred.password);
    UINT cp = ctx->utf8 ? CP_UTF8 : CP_ACP;
    BOOL lossy = FALSE;
    WCHAR *pair;
    char *ret;
    int n, wlen = (int)(ulen + 1 + plen);

    /* One exact allocation: a growing buffer would leave copies behind. */
    if (!(pair = malloc((wlen + 1) * sizeof(WCHAR)))) return NULL;
    memcpy(pair, ctx->cred.user, ulen * sizeof(WCHAR));
    pair[ulen] = ':';
    memcpy(pair + ulen + 1, ctx->cred.password, plen * sizeof(WCHAR));
    pair[wlen] = 0;
    if (cp == CP_ACP)
    {
        WideCharToMultiByte(CP_ACP, WC_NO_BEST_FIT_CHARS, pair, wlen, NULL, 0, NULL, &lossy);
        if (lossy) cp = CP_UTF8;
    }
    n = WideCharToMultiByte(cp, 0, pair, wlen, NULL, 0, NULL, NULL);
    if ((ret = malloc(n + 1)))
    {
        WideCharToMultiByte(cp, 0, pair, wlen, ret, n, NULL, NULL);
        ret[n] = 0;
        *len = n;
    }
    free_secret(pair, wlen * sizeof(WCHAR));
    return ret;
}

static DWORD basic_create(const struct auth_cred *cred, struct auth_ctx **ret)
{
    struct auth_ctx *ctx;

    if (cred->use_default || !cred->user || !cred->password) return ERROR_INVALID_PARAMETER;
    if (!(ctx = calloc(1, sizeof(*ctx)))) return ERROR_OUTOFMEMORY;
    if (!auth_cred_copy(&ctx->cred, cred))
    {
        free(ctx);
        return ERROR_OUTOFMEMORY;
    }
    *ret = ctx;
    return ERROR_SUCCESS;
}

static enum auth_input basic_input(struct auth_ctx *ctx, const WCHAR *challenge, const struct auth_request_info *info)
{
    WCHAR *charset;

    /* Basic has one leg: a challenge after our answer turns it down. */
    if (ctx->sent) return AUTH_INPUT_REJECTED;
    if ((charset = auth_param_get(challenge, "charset")))
    {
        ctx->utf8 = !strcmpiW(charset, L"UTF-8");
        free(charset);
    }
    return AUTH_INPUT_CONTINUE;
}

static DWORD basic_output(struct auth_ctx *ctx, const struct auth_request_info *info, WCHAR **value)
{
    char *pair;
    int len;

    if (!(pair = encode_pair(ctx, &len))) return ERROR_OUTOFMEMORY;
    *value = auth_base64_value(L"Basic ", (const BYTE *)pair, len);
    free_secret(pair, len);
    if (!*value) return ERROR_OUTOFMEMORY;
    ctx->sent = TRUE;
    return ERROR_SUCCESS;
}

static void basic_destroy(struct auth_ctx *ctx)
{
    auth_cred_clear(&ctx->cred);
    free(ctx);
}

const struct auth_mech auth_basic_mech =
{
    WINHTTP_AUTH_SCHEME_BASIC,
    L"Basic",
    FALSE,      /* connection_based */
    FALSE,      /* needs_challenge: pre-authentication is always possible */
    NULL,
    basic_create,
    basic_input,
    basic_output,
    NULL,
    NULL,
    basic_destroy,
};
