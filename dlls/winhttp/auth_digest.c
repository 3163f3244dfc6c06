/*
 * Digest authentication (RFC 7616) on auth_digest_core.c: MD5, SHA-256 and
 * SHA-512-256 with their -sess variants, qop=auth (and RFC 2069's answer
 * without qop), the nonce count, a client nonce from GnuTLS's generator,
 * stale=true (a new nonce for the same credentials: answered without the
 * application), userhash, username* for non-ASCII names in UTF-8,
 * and the server's rspauth in Authentication-Info.  qop=auth-int (a digest
 * of the body) is not offered: a challenge with only auth-int is unusable.
 *
 * Strings that go into the hashes are UTF-8 when the challenge says
 * charset=UTF-8, otherwise in the ANSI code page (as Basic; UTF-8 when a
 * character does not fit).
 */
#include "auth_mech.h"
#include "auth_digest_core.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

struct auth_ctx
{
    struct auth_cred cred;
    BOOL have_challenge;
    struct digest_alg alg;
    char *realm, *nonce, *opaque;       /* UTF-8, as the server sent them */
    BOOL qop;                           /* qop="auth" offered (else RFC 2069) */
    BOOL userhash;
    BOOL utf8;
    unsigned int nc;                    /* requests answered with this nonce */
    char cnonce[33];
    BOOL answered;                      /* a response to this nonce went out */
    /* what the last response was computed from, for rspauth */
    char *last_uri;
    unsigned int last_nc;
};

static BOOL token_equals(const WCHAR *s, size_t len, const WCHAR *word)
{
    return strlenW(word) == len && !strncmpiW(s, word, len);
}

/* qop="auth, auth-int": whether auth is among them. */
static BOOL qop_has_auth(const WCHAR *qop)
{
    const WCHAR *p = qop, *start;

    while (*p)
    {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        start = p;
        while (*p && *p != ',' && *p != ' ' && *p != '\t') p++;
        if (token_equals(start, p - start, L"auth")) return TRUE;
    }
    return FALSE;
}

static char *to_bytes(const WCHAR *s, BOOL utf8)
{
    BOOL lossy = FALSE;
    UINT cp = utf8 ? CP_UTF8 : CP_ACP;

    if (!s) return NULL;
    if (cp == CP_ACP)
    {
        WideCharToMultiByte(CP_ACP, WC_NO_BEST_FIT_CHARS, s, -1, NULL, 0, NULL, &lossy);
        if (lossy) cp = CP_UTF8;
    }
    return strdupWA(s, -1, cp);
}

static void free_bytes(char *s)
{
    if (s) free_secret(s, strlen(s));
}

/* -1: unusable; otherwise the algorithm's strength. */
static int digest_rank(const WCHAR *challenge)
{
    struct digest_alg alg = { DIGEST_HASH_MD5, 0 };
    WCHAR *value;
    int ret = 0;
    char *name;

    if ((value = auth_param_get(challenge, "algorithm")))
    {
        name = strdupWA(value, -1, CP_ACP);
        if (!name || !digest_alg_parse(name, strlen(name), &alg)) ret = -1;
        free(name);
        free(value);
    }
    if (!ret) ret = digest_alg_strength(&alg);
    if ((value = auth_param_get(challenge, "qop")))
    {
        if (!qop_has_auth(value)) ret = -1;
        free(value);
    }
    return ret;
}

static DWORD digest_create(const struct auth_cred *cred, struct auth_ctx **ret)
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

static char *param_utf8(const WCHAR *challenge, const char *name)
{
    WCHAR *value = auth_param_get(challenge, name);
    char *ret;

    if (!value) return NULL;
    /* The server's strings go back verbatim: header bytes were widened as
     * ISO-8859-1, so narrow them the same way. */
    ret = malloc(strlenW(value) + 1);
    if (ret)
    {
        size_t i;
        for (i = 0; value[i]; i++) ret[i] = value[i] < 0x100 ? (char)value[i] : '?';
        ret[i] = 0;
    }
    free(value);
    return ret;
}

static BOOL param_is(const WCHAR *challenge, const char *name, const WCHAR *expect)
{
    WCHAR *value = auth_param_get(challenge, name);
    BOOL ret = value && !strcmpiW(value, expect);
    free(value);
    return ret;
}

static enum auth_input digest_input(struct auth_ctx *ctx, const WCHAR *challenge, const struct auth_request_info *info)
{
    struct digest_alg alg = { DIGEST_HASH_MD5, 0 };
    char *realm, *nonce, *opaque, *algorithm;
    WCHAR *qop;
    BOOL stale = param_is(challenge, "stale", L"true");

    if (digest_rank(challenge) < 0) return AUTH_INPUT_REJECTED;
    /* A new challenge after our answer without stale=true: the
     * credentials were wrong (section 3.3). */
    if (ctx->answered && !stale) return AUTH_INPUT_REJECTED;

    realm = param_utf8(challenge, "realm");
    nonce = param_utf8(challenge, "nonce");
    opaque = param_utf8(challenge, "opaque");
    if ((algorithm = param_utf8(challenge, "algorithm")))
    {
        digest_alg_parse(algorithm, strlen(algorithm), &alg);
        free(algorithm);
    }
    if (!realm || !nonce || !digest_make_cnonce(ctx->cnonce))
    {
        WARN("unusable Digest challenge\n");
        free(realm);
        free(nonce);
        free(opaque);
        return AUTH_INPUT_REJECTED;
    }
    if (stale) TRACE("stale nonce: answering the new one\n");
    free(ctx->realm);
    free(ctx->nonce);
    free(ctx->opaque);
    ctx->realm = realm;
    ctx->nonce = nonce;
    ctx->opaque = opaque;
    ctx->alg = alg;
    ctx->qop = FALSE;
    if ((qop = auth_param_get(challenge, "qop")))
    {
        ctx->qop = qop_has_auth(qop);
        free(qop);
    }
    ctx->userhash = param_is(challenge, "userhash", L"true");
    ctx->utf8 = param_is(challenge, "charset", L"UTF-8");
    ctx->nc = 0;
    ctx->answered = FALSE;
    ctx->have_challenge = TRUE;
    return AUTH_INPUT_CONTINUE;
}

/* A quoted-string (RFC 9110 section 5.6.4) of bytes, widened as ISO-8859-1. */
static void append_quoted(struct strbuf *sb, const char *s)
{
    WCHAR c;

    strbuf_append(sb, L"\"");
    for (; *s; s++)
    {
        if (*s == '"' || *s == '\\') strbuf_append(sb, L"\\");
        c = (BYTE)*s;
        strbuf_appendn(sb, &c, 1);
    }
    strbuf_append(sb, L"\"");
}

static BOOL ascii_name(const WCHAR *s)
{
    for (; *s; s++) if (*s >= 0x80 || *s < 0x20) return FALSE;
    return TRUE;
}

/* A quoted-string of a wide string (the request head goes out in the ANSI
 * code page, as the digest of such a name was computed). */
static void append_quotedW(struct strbuf *sb, const WCHAR *s)
{
    strbuf_append(sb, L"\"");
    for (; *s; s++)
    {
        if (*s == '"' || *s == '\\') strbuf_append(sb, L"\\");
        strbuf_appendn(sb, s, 1);
    }
    strbuf_append(sb, L"\"");
}

/* username*=UTF-8''pct-encoded (RFC 8187), for names a quoted-string cannot carry. */
static void append_ext_value(struct strbuf *sb, const WCHAR *user)
{
    static const char hex[] = "0123456789ABCDEF";
    char *utf8 = auth_utf8(user), *p;
    WCHAR buf[3];

    strbuf_append(sb, L"UTF-8''");
    if (!utf8)
    {
        sb->failed = TRUE;
        return;
    }
    for (p = utf8; *p; p++)
    {
        BYTE b = *p;
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || strchr("!#$&+-.^_`|~", b))
        {
            buf[0] = b;
            strbuf_appendn(sb, buf, 1);
            continue;
        }
        buf[0] = '%';
        buf[1] = hex[b >> 4];
        buf[2] = hex[b & 15];
        strbuf_appendn(sb, buf, 3);
    }
    free_secret(utf8, strlen(utf8));
}

static DWORD digest_output(struct auth_ctx *ctx, const struct auth_request_info *info, WCHAR **value)
{
    struct digest_params p;
    struct strbuf sb = {0};
    char response[DIGEST_HEX_MAX], userhash[DIGEST_HEX_MAX], nc[9];
    char *user, *password, *method, *uri;
    DWORD res = ERROR_SUCCESS;
    WCHAR wbuf[DIGEST_HEX_MAX];

    *value = NULL;
    if (!ctx->have_challenge) return ERROR_SUCCESS;     /* nothing to answer yet */

    user = to_bytes(ctx->cred.user, ctx->utf8);
    password = to_bytes(ctx->cred.password, ctx->utf8);
    method = strdupWA(info->verb, -1, CP_ACP);
    uri = strdupWA(info->uri, -1, CP_ACP);
    if (!user || !password || !method || !uri)
    {
        res = ERROR_OUTOFMEMORY;
        goto done;
    }
    memset(&p, 0, sizeof(p));
    p.alg = ctx->alg;
    p.username = user;
    p.realm = ctx->realm;
    p.password = password;
    p.nonce = ctx->nonce;
    p.nc = ++ctx->nc;
    p.cnonce = ctx->qop ? ctx->cnonce : NULL;
    p.qop = ctx->qop ? "auth" : NULL;
    p.method = method;
    p.uri = uri;
    if (!digest_response(&p, response) || (ctx->userhash && !digest_userhash(&p, userhash)))
    {
        res = ERROR_WINHTTP_INTERNAL_ERROR;
        goto done;
    }

    strbuf_append(&sb, L"Digest ");
    if (ctx->userhash)
    {
        strbuf_append(&sb, L"username=");
        append_quoted(&sb, userhash);
    }
    else if (ctx->utf8 && !ascii_name(ctx->cred.user))
    {
        /* Section 3.4.4: a name a quoted-string cannot carry in UTF-8. */
        strbuf_append(&sb, L"username*=");
        append_ext_value(&sb, ctx->cred.user);
    }
    else
    {
        strbuf_append(&sb, L"username=");
        append_quotedW(&sb, ctx->cred.user);
    }
    strbuf_append(&sb, L", realm=");
    append_quoted(&sb, ctx->realm);
    strbuf_append(&sb, L", nonce=");
    append_quoted(&sb, ctx->nonce);
    strbuf_append(&sb, L", uri=");
    append_quoted(&sb, uri);
    strbuf_append(&sb, L", algorithm=");
    strbuf_append_ascii(&sb, digest_alg_name(&ctx->alg));
    strbuf_append(&sb, L", response=\"");
    MultiByteToWideChar(CP_ACP, 0, response, -1, wbuf, ARRAY_SIZE(wbuf));
    strbuf_append(&sb, wbuf);
    strbuf_append(&sb, L"\"");
    if (ctx->opaque)
    {
        strbuf_append(&sb, L", opaque=");
        append_quoted(&sb, ctx->opaque);
    }
    if (ctx->qop)
    {
        snprintf(nc, sizeof(nc), "%08x", p.nc);
        strbuf_append(&sb, L", qop=auth, nc=");
        strbuf_append_ascii(&sb, nc);
        strbuf_append(&sb, L", cnonce=");
        append_quoted(&sb, ctx->cnonce);
    }
    if (ctx->userhash) strbuf_append(&sb, L", userhash=true");
    if (!(*value = strbuf_detach(&sb))) res = ERROR_OUTOFMEMORY;
    else
    {
        ctx->answered = TRUE;
        free(ctx->last_uri);
        ctx->last_uri = uri;
        ctx->last_nc = p.nc;
        uri = NULL;
    }

done:
    digest_wipe(response, sizeof(response));
    free_bytes(user);
    free_bytes(password);
    free(method);
    free(uri);
    return res;
}

/* Authentication-Info (section 3.5): the server proves it knows the
 * password too.  Without rspauth there is nothing to check. */
static BOOL digest_finish(struct auth_ctx *ctx, const WCHAR *params)
{
    struct digest_params p;
    char expect[DIGEST_HEX_MAX], *got, *user, *password, *nextnonce;
    BOOL ret = TRUE;

    if (!params || !ctx->answered || !ctx->last_uri) return TRUE;
    if ((got = param_utf8(params, "rspauth")))
    {
        user = to_bytes(ctx->cred.user, ctx->utf8);
        password = to_bytes(ctx->cred.password, ctx->utf8);
        memset(&p, 0, sizeof(p));
        p.alg = ctx->alg;
        p.username = user;
        p.realm = ctx->realm;
        p.password = password;
        p.nonce = ctx->nonce;
        p.nc = ctx->last_nc;
        p.cnonce = ctx->qop ? ctx->cnonce : NULL;
        p.qop = ctx->qop ? "auth" : NULL;
        p.uri = ctx->last_uri;
        if (user && password && digest_rspauth(&p, expect))
        {
            ret = !strcmp(expect, got);
            if (!ret) WARN("the server's rspauth does not match\n");
        }
        digest_wipe(expect, sizeof(expect));
        free_bytes(user);
        free_bytes(password);
        free(got);
    }
    if (ret && (nextnonce = param_utf8(params, "nextnonce")))
    {
        /* The next request answers the nonce the server chose. */
        free(ctx->nonce);
        ctx->nonce = nextnonce;
        ctx->nc = 0;
        ctx->answered = FALSE;
    }
    return ret;
}

static void digest_destroy(struct auth_ctx *ctx)
{
    auth_cred_clear(&ctx->cred);
    free(ctx->realm);
    free(ctx->nonce);
    free(ctx->opaque);
    free(ctx->last_uri);
    digest_wipe(ctx, sizeof(*ctx));
    free(ctx);
}

const struct auth_mech auth_digest_mech =
{
    WINHTTP_AUTH_SCHEME_DIGEST,
    L"Digest",
    FALSE,      /* connection_based */
    TRUE,       /* needs_challenge: pre-authentication is never possible */
    digest_rank,
    digest_create,
    digest_input,
    digest_output,
    digest_finish,
    NULL,
    digest_destroy,
};
