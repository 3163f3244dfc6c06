/*
 * The text of authentication: challenges in WWW-Authenticate and
 * Proxy-Authenticate (RFC 9110 section 11.6.1: one or more challenges per
 * field, each a scheme with auth-params or a token68), auth-params with
 * quoted-strings, and base64.  Knows nothing of requests or sockets, so it
 * is fuzzed natively (tests/fuzz/fuzz_auth.c).
 *
 * Limits.  The text comes from response headers, which the engine has
 * already bounded (WINHTTP_OPTION_MAX_RESPONSE_HEADER_SIZE); within that,
 * every loop here advances through the NUL-terminated input and every
 * result is a copy no longer than its source, so one call is linear in
 * the field's length.  One response yields at most AUTH_MAX_CHALLENGES
 * challenges (the rest are ignored): the list grows one entry at a time,
 * and a field of tens of thousands of "a," must not cost quadratic time.
 * auth_base64_decode takes the alphabet of RFC 4648 section 4 only, with
 * at most two '=' at the very end (then a whole number of quads) or none
 * (then no lone final character: 6 bits make no byte); it writes at most
 * n * 3 / 4 bytes into a buffer of n * 3 / 4 + 3, n being the number of
 * characters before the padding.  The Digest and Basic challenges are used
 * through auth_param_get; Negotiate and NTLM tokens through auth_token68
 * and auth_base64_decode, and then checked for what they are
 * (auth_ntlm_msg.c, auth_spnego_msg.c) before GSSAPI sees them.
 */
#include "auth_mech.h"

/* Challenges kept from one response (Windows servers send two or three). */
#define AUTH_MAX_CHALLENGES 64

/* ------------------------------------------------------------------ */
/* base64 (RFC 4648)                                                   */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

WCHAR *auth_base64_value(const WCHAR *prefix, const BYTE *data, size_t len)
{
    size_t plen = strlenW(prefix), i, out;
    WCHAR *ret;

    if (!(ret = malloc((plen + (len + 2) / 3 * 4 + 1) * sizeof(WCHAR)))) return NULL;
    memcpy(ret, prefix, plen * sizeof(WCHAR));
    out = plen;
    for (i = 0; i + 2 < len; i += 3)
    {
        ret[out++] = b64chars[data[i] >> 2];
        ret[out++] = b64chars[((data[i] & 3) << 4) | (data[i + 1] >> 4)];
        ret[out++] = b64chars[((data[i + 1] & 15) << 2) | (data[i + 2] >> 6)];
        ret[out++] = b64chars[data[i + 2] & 63];
    }
    if (len - i == 1)
    {
        ret[out++] = b64chars[data[i] >> 2];
        ret[out++] = b64chars[(data[i] & 3) << 4];
        ret[out++] = '=';
        ret[out++] = '=';
    }
    else if (len - i == 2)
    {
        ret[out++] = b64chars[data[i] >> 2];
        ret[out++] = b64chars[((data[i] & 3) << 4) | (data[i + 1] >> 4)];
        ret[out++] = b64chars[(data[i + 1] & 15) << 2];
        ret[out++] = '=';
    }
    ret[out] = 0;
    return ret;
}

static int b64value(WCHAR c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

BYTE *auth_base64_decode(const WCHAR *text, size_t *len)
{
    size_t n = strlenW(text), i, out = 0, pad = 0;
    unsigned int acc = 0;
    int bits = 0;
    BYTE *ret;

    *len = 0;
    while (n && text[n - 1] == '=' && pad < 2) { n--; pad++; }
    if ((n + pad) % 4 && pad) return NULL;
    if (n % 4 == 1) return NULL;
    if (n > ((size_t)-1 - 3) / 3) return NULL;
    if (!(ret = malloc(n * 3 / 4 + 3))) return NULL;
    for (i = 0; i < n; i++)
    {
        int v = b64value(text[i]);
        if (v < 0)
        {
            free(ret);
            return NULL;
        }
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8)
        {
            bits -= 8;
            ret[out++] = (BYTE)(acc >> bits);
        }
    }
    *len = out;
    return ret;
}

static BOOL is_tchar(WCHAR c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return TRUE;
    return c && c < 0x80 && strchr("!#$%&'*+-.^_`|~", (char)c) != NULL;
}

static BOOL is_ows(WCHAR c)
{
    return c == ' ' || c == '\t';
}

/* One auth-param at *p: name in [*name, *name_len), the value unescaped
 * into a new string.  FALSE at the end or on a syntax error. */
static BOOL next_param(const WCHAR **p, const WCHAR **name, size_t *name_len, WCHAR **value)
{
    const WCHAR *s = *p;
    struct strbuf sb = {0};

    *value = NULL;
    while (*s && (is_ows(*s) || *s == ',')) s++;
    if (!*s) return FALSE;
    *name = s;
    while (is_tchar(*s)) s++;
    *name_len = s - *name;
    if (!*name_len) return FALSE;
    while (is_ows(*s)) s++;
    if (*s != '=') return FALSE;
    s++;
    while (is_ows(*s)) s++;
    if (*s == '"')
    {
        for (s++; *s && *s != '"'; s++)
        {
            if (*s == '\\' && s[1]) s++;
            strbuf_appendn(&sb, s, 1);
        }
        if (*s != '"')
        {
            strbuf_free(&sb);
            return FALSE;
        }
        s++;
        if (!sb.len) strbuf_append(&sb, L"");
    }
    else
    {
        const WCHAR *start = s;
        while (is_tchar(*s)) s++;
        strbuf_appendn(&sb, start, s - start);
        if (s == start) strbuf_append(&sb, L"");
    }
    while (is_ows(*s)) s++;
    if (*s && *s != ',')
    {
        strbuf_free(&sb);
        return FALSE;
    }
    if (!(*value = strbuf_detach(&sb))) return FALSE;
    *p = s;
    return TRUE;
}

WCHAR *auth_param_get(const WCHAR *params, const char *name)
{
    const WCHAR *p = params, *n;
    size_t nlen, want = strlen(name), i;
    WCHAR *value;

    if (!params) return NULL;
    while (next_param(&p, &n, &nlen, &value))
    {
        if (nlen == want)
        {
            for (i = 0; i < nlen; i++)
                if ((n[i] | 0x20) != (name[i] | 0x20) && n[i] != (WCHAR)name[i]) break;
            if (i == nlen) return value;
        }
        free(value);
    }
    return NULL;
}

WCHAR *auth_token68(const WCHAR *params)
{
    const WCHAR *s, *e;

    if (!params) return NULL;
    for (s = params; is_ows(*s); s++) ;
    for (e = s; *e && (is_tchar(*e) || *e == '/' || *e == '='); e++)
        if (*e == '=' && e[1] && e[1] != '=' && !is_ows(e[1])) return NULL;    /* an auth-param */
    if (e == s) return NULL;
    while (*e && is_ows(*e)) e++;
    if (*e) return NULL;
    while (e > s && is_ows(e[-1])) e--;
    return strndupW(s, e - s);
}

/* ------------------------------------------------------------------ */
/* challenges                                                          */

static const struct
{
    const WCHAR *name;
    DWORD scheme;
}
scheme_names[] =
{
    { L"Basic", WINHTTP_AUTH_SCHEME_BASIC },
    { L"NTLM", WINHTTP_AUTH_SCHEME_NTLM },
    { L"Passport1.4", WINHTTP_AUTH_SCHEME_PASSPORT },
    { L"Digest", WINHTTP_AUTH_SCHEME_DIGEST },
    { L"Negotiate", WINHTTP_AUTH_SCHEME_NEGOTIATE },
};

DWORD auth_scheme_from_name(const WCHAR *name, size_t len)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(scheme_names); i++)
        if (strlenW(scheme_names[i].name) == len && !strncmpiW(scheme_names[i].name, name, len))
            return scheme_names[i].scheme;
    return 0;
}

void auth_challenges_free(struct auth_challenges *list)
{
    size_t i;
    for (i = 0; i < list->count; i++) free(list->items[i].params);
    free(list->items);
    memset(list, 0, sizeof(*list));
}

/* After a comma inside a challenge: does a new challenge start here
 * ("token" followed by SP-and-not-"=", a comma or the end)? */
static BOOL starts_challenge(const WCHAR *s)
{
    while (is_ows(*s)) s++;
    if (!is_tchar(*s)) return FALSE;
    while (is_tchar(*s)) s++;
    while (is_ows(*s)) s++;
    return *s != '=';
}

static BOOL add_challenge(struct auth_challenges *list, const WCHAR *name, size_t name_len, const WCHAR *params,
                          size_t params_len)
{
    struct auth_challenge *items = realloc(list->items, (list->count + 1) * sizeof(*items));

    if (!items) return FALSE;
    list->items = items;
    while (params_len && (is_ows(params[params_len - 1]) || params[params_len - 1] == ',')) params_len--;
    items[list->count].scheme = auth_scheme_from_name(name, name_len);
    if (!(items[list->count].params = strndupW(params, params_len))) return FALSE;
    list->count++;
    return TRUE;
}

BOOL auth_parse_challenges(const WCHAR *value, struct auth_challenges *list)
{
    const WCHAR *s = value;

    for (;;)
    {
        const WCHAR *name, *name_end, *params;
        BOOL quoted = FALSE;

        while (*s && (is_ows(*s) || *s == ',')) s++;
        if (!*s || list->count >= AUTH_MAX_CHALLENGES) return TRUE;
        name = s;
        while (is_tchar(*s)) s++;
        name_end = s;
        /* Not a challenge: keep what came before. */
        if (name_end == name || (*s && !is_ows(*s) && *s != ',')) return TRUE;
        while (is_ows(*s)) s++;
        params = s;
        /* The challenge runs until a comma that starts another one. */
        for (; *s; s++)
        {
            if (quoted)
            {
                if (*s == '\\' && s[1]) s++;
                else if (*s == '"') quoted = FALSE;
                continue;
            }
            if (*s == '"') quoted = TRUE;
            else if (*s == ',' && starts_challenge(s + 1)) break;
        }
        if (!add_challenge(list, name, name_end - name, params, s - params)) return FALSE;
    }
}

