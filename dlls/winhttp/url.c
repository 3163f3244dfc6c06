/*
 * URLs: WinHttpCrackUrl, WinHttpCreateUrl, and the parser and resolver the
 * HTTP engine uses for request targets and redirects.
 *
 * Everything here is plain string work: besides util.c's helpers, the
 * only Win32 calls are SetLastError and GetLastError, so
 * tests/fuzz/fuzz_url.c builds this file natively and fuzzes it.
 *
 * Where Wine's builtin winhttp and Microsoft's documentation disagree, the
 * documentation wins; each such place says so.  Where the documentation is
 * silent, we follow the builtin (black-box) unless RFC 3986 says otherwise.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* One component of a cracked URL: a span of the source string.  str is
 * NULL for an absent user name or password (as opposed to an empty one). */
struct span
{
    const WCHAR *str;
    DWORD len;
};

struct cracked
{
    INTERNET_SCHEME scheme;
    INTERNET_PORT port;
    struct span scheme_name, host, user, password, path, extra;
};

/* How a component is copied into a caller's buffer. */
enum transform
{
    COPY,
    DECODE,     /* ICU_DECODE: %XX -> the character XX */
    ESCAPE,     /* ICU_ESCAPE: unsafe characters -> %XX */
};

static const WCHAR http_name[] = {'h','t','t','p',0};
static const WCHAR https_name[] = {'h','t','t','p','s',0};

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

/* The number of characters of url to look at.  0 means NUL-terminated, as
 * documented; so does -1, which is not documented but is what callers who
 * copy the component convention pass.  An explicit length still stops at a
 * NUL: Wine's builtin treats an embedded NUL as an ordinary character, so
 * "http://evil\0.good/" with its full length cracks to a host whose C
 * string differs from its counted string; we end the URL at the NUL. */
static DWORD url_length(const WCHAR *url, DWORD len)
{
    DWORD n = 0;
    if (!url) return 0;
    if (!len || len == ~0u) return strlenW(url);
    while (n < len && url[n]) n++;
    return n;
}

static WCHAR lower_ascii(WCHAR c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static BOOL span_equals_nocase(const WCHAR *s, DWORD len, const WCHAR *ascii)
{
    DWORD i;
    for (i = 0; i < len; i++)
        if (!ascii[i] || lower_ascii(s[i]) != ascii[i]) return FALSE;
    return !ascii[len];
}

static const WCHAR *find_any(const WCHAR *p, const WCHAR *end, const char *set)
{
    for (; p < end; p++)
        if (*p < 0x80 && strchr(set, (char)*p)) return p;
    return end;
}

static BOOL is_alnum_ascii(WCHAR c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hex_value(WCHAR c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static INTERNET_PORT default_port(INTERNET_SCHEME scheme)
{
    return scheme == INTERNET_SCHEME_HTTPS ? INTERNET_DEFAULT_HTTPS_PORT : INTERNET_DEFAULT_HTTP_PORT;
}

/* ------------------------------------------------------------------ */
/* Escaping and unescaping                                              */

/* The characters ICU_ESCAPE turns into %XX besides controls, space and
 * non-ASCII: RFC 1738's "unsafe" set, which is also what Wine's builtin
 * escapes (including '%' itself, so "%20" becomes "%2520"). */
static BOOL is_unsafe(WCHAR c)
{
    if (c <= 0x20 || c >= 0x7f) return TRUE;
    return strchr("\"#%<>[\\]^`{|}~", (char)c) != NULL;
}

static DWORD put_char(WCHAR *out, DWORD n, WCHAR c)
{
    if (out) out[n] = c;
    return n + 1;
}

static DWORD put_escaped_byte(WCHAR *out, DWORD n, unsigned int byte)
{
    static const char hex[] = "0123456789ABCDEF";
    n = put_char(out, n, '%');
    n = put_char(out, n, hex[(byte >> 4) & 0xf]);
    return put_char(out, n, hex[byte & 0xf]);
}

/* The code point starting at s[*i] (advancing *i past a surrogate pair);
 * a lone surrogate becomes U+FFFD. */
static unsigned int next_code_point(const WCHAR *s, DWORD len, DWORD *i)
{
    unsigned int c = s[(*i)++];
    if (c >= 0xd800 && c <= 0xdbff && *i < len && s[*i] >= 0xdc00 && s[*i] <= 0xdfff)
        return 0x10000 + ((c - 0xd800) << 10) + (s[(*i)++] - 0xdc00);
    if (c >= 0xd800 && c <= 0xdfff) return 0xfffd;
    return c;
}

/* The documentation says only that non-ASCII characters are escaped, not
 * in which encoding.  We use UTF-8 as RFC 3986 section 2.5 and RFC 3987
 * prescribe; Wine's builtin writes one %XX of the low byte for U+0080 to
 * U+00FF and fails with ERROR_INVALID_PARAMETER above U+00FF. */
static DWORD put_escaped_code_point(WCHAR *out, DWORD n, unsigned int cp)
{
    if (cp < 0x80) return put_escaped_byte(out, n, cp);
    if (cp < 0x800)
    {
        n = put_escaped_byte(out, n, 0xc0 | (cp >> 6));
        return put_escaped_byte(out, n, 0x80 | (cp & 0x3f));
    }
    if (cp < 0x10000)
    {
        n = put_escaped_byte(out, n, 0xe0 | (cp >> 12));
        n = put_escaped_byte(out, n, 0x80 | ((cp >> 6) & 0x3f));
        return put_escaped_byte(out, n, 0x80 | (cp & 0x3f));
    }
    n = put_escaped_byte(out, n, 0xf0 | (cp >> 18));
    n = put_escaped_byte(out, n, 0x80 | ((cp >> 12) & 0x3f));
    n = put_escaped_byte(out, n, 0x80 | ((cp >> 6) & 0x3f));
    return put_escaped_byte(out, n, 0x80 | (cp & 0x3f));
}

static DWORD escape(const WCHAR *s, DWORD len, WCHAR *out)
{
    DWORD i = 0, n = 0;
    while (i < len)
    {
        if (!is_unsafe(s[i])) n = put_char(out, n, s[i++]);
        else n = put_escaped_code_point(out, n, next_code_point(s, len, &i));
    }
    return n;
}

/* ICU_DECODE is documented not to decode UTF-8: each %XX becomes the one
 * character U+00XX.  A '%' not followed by two hex digits stays as it is. */
static DWORD decode(const WCHAR *s, DWORD len, WCHAR *out)
{
    DWORD i = 0, n = 0;
    while (i < len)
    {
        if (s[i] == '%' && len - i >= 3 && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0)
        {
            n = put_char(out, n, (WCHAR)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 3;
        }
        else n = put_char(out, n, s[i++]);
    }
    return n;
}

/* The length of a component after transforming it, writing it to out
 * unless out is NULL. */
static DWORD transform(const WCHAR *s, DWORD len, enum transform how, WCHAR *out)
{
    if (how == ESCAPE) return escape(s, len, out);
    if (how == DECODE) return decode(s, len, out);
    if (out && len) memcpy(out, s, len * sizeof(WCHAR));
    return len;
}

/* ------------------------------------------------------------------ */
/* The parser                                                           */

static BOOL parse_scheme(const WCHAR *url, const WCHAR *end, struct cracked *c, const WCHAR **rest)
{
    const WCHAR *colon = url;

    while (colon < end && *colon != ':') colon++;
    if (colon == end) return FALSE;
    c->scheme_name.str = url;
    c->scheme_name.len = colon - url;
    if (span_equals_nocase(url, c->scheme_name.len, http_name)) c->scheme = INTERNET_SCHEME_HTTP;
    else if (span_equals_nocase(url, c->scheme_name.len, https_name)) c->scheme = INTERNET_SCHEME_HTTPS;
    else return FALSE;
    *rest = colon + 1;
    return TRUE;
}

/* RFC 3986 section 3.2.3: port = *DIGIT; an empty port means the scheme's
 * default.  Wine's builtin reads the digits atoi-style and ignores what
 * follows ("host:8x" is port 8); a port that is not a number is an invalid
 * URL, as it is for over-range values. */
static BOOL parse_port(const WCHAR *p, const WCHAR *end, struct cracked *c)
{
    unsigned int port = 0;

    if (p == end)
    {
        c->port = default_port(c->scheme);
        return TRUE;
    }
    for (; p < end; p++)
    {
        if (*p < '0' || *p > '9') return FALSE;
        port = port * 10 + (*p - '0');
        if (port > 65535) return FALSE;
    }
    c->port = port;
    return TRUE;
}

/* RFC 3986 section 3.2.2: IP-literal = "[" ( IPv6address / IPvFuture ) "]",
 * RFC 6874 adds a zone identifier after "%25".  The host keeps its brackets
 * (it is what goes into the Host header).  Wine's builtin cracks
 * "http://[::1]:8080/" into the host "[" and port 0. */
static BOOL parse_ip_literal(const WCHAR *p, const WCHAR *end, struct cracked *c, const WCHAR **after)
{
    const WCHAR *q = p + 1;
    BOOL colon = FALSE;

    for (; q < end && *q != ']'; q++)
    {
        if (*q == ':') colon = TRUE;
        else if (!is_alnum_ascii(*q) && (*q >= 0x80 || !strchr(".%-_~", (char)*q))) return FALSE;
    }
    if (q == end || !colon) return FALSE;
    c->host.str = p;
    c->host.len = q + 1 - p;
    *after = q + 1;
    return TRUE;
}

static BOOL parse_host_port(const WCHAR *p, const WCHAR *end, struct cracked *c)
{
    const WCHAR *colon;

    if (p < end && *p == '[')
    {
        if (!parse_ip_literal(p, end, c, &colon)) return FALSE;
        if (colon == end) return parse_port(end, end, c);
        return *colon == ':' && parse_port(colon + 1, end, c);
    }
    colon = find_any(p, end, ":");
    /* Brackets are delimiters (RFC 3986 section 2.2) valid only around an
     * IP literal. */
    if (find_any(p, colon, "[]") != colon) return FALSE;
    c->host.str = p;
    c->host.len = colon - p;
    return parse_port(colon == end ? end : colon + 1, end, c);
}

/* Wine's builtin takes the first '@' (so "a@b@host" has the host "b@host")
 * and the first ':' of the userinfo; so do we. */
static void parse_userinfo(const WCHAR *p, const WCHAR *end, struct cracked *c)
{
    const WCHAR *colon = find_any(p, end, ":");

    c->user.str = p;
    c->user.len = colon - p;
    if (colon == end) return;
    c->password.str = colon + 1;
    c->password.len = end - colon - 1;
}

/* Cracks url[0..len) into spans of it.  Returns ERROR_SUCCESS or the error
 * WinHttpCrackUrl reports. */
static DWORD crack(const WCHAR *url, DWORD len, DWORD flags, struct cracked *c)
{
    const WCHAR *end = url + len, *p, *auth_end, *at;

    memset(c, 0, sizeof(*c));
    if (!parse_scheme(url, end, c, &p)) return ERROR_WINHTTP_UNRECOGNIZED_SCHEME;
    if (end - p < 2 || p[0] != '/' || p[1] != '/') return ERROR_WINHTTP_INVALID_URL;
    p += 2;
    /* "http://" alone is invalid (as in Wine's builtin), but an empty host
     * before a path ("http:///x") is not: the documentation says the URL is
     * not checked for validity. */
    if (p == end) return ERROR_WINHTTP_INVALID_URL;

    /* The documentation of URL_COMPONENTS calls "?something" and
     * "#something" extra info, so the authority and the path end at either,
     * as RFC 3986 section 3 says.  Wine's builtin ends the authority only
     * at '/' (the host of "http://host?q" is "host?q") and puts "#frag"
     * into the path. */
    auth_end = find_any(p, end, "/?#");
    at = find_any(p, auth_end, "@");
    if (at != auth_end)
    {
        /* Documented; Wine's builtin ignores the flag. */
        if (flags & ICU_REJECT_USERPWD) return ERROR_WINHTTP_INVALID_URL;
        parse_userinfo(p, at, c);
        p = at + 1;
    }
    if (!parse_host_port(p, auth_end, c)) return ERROR_WINHTTP_INVALID_URL;

    c->path.str = auth_end;
    c->extra.str = find_any(auth_end, end, "?#");
    c->path.len = c->extra.str - auth_end;
    c->extra.len = end - c->extra.str;
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* WinHttpCrackUrl                                                      */

struct component
{
    WCHAR **ptr;
    DWORD *len;
    const struct span *value;
    enum transform how;
};

static void get_components(URL_COMPONENTS *uc, const struct cracked *c, struct component out[6])
{
    out[0].ptr = &uc->lpszScheme;   out[0].len = &uc->dwSchemeLength;    out[0].value = &c->scheme_name;
    out[1].ptr = &uc->lpszHostName; out[1].len = &uc->dwHostNameLength;  out[1].value = &c->host;
    out[2].ptr = &uc->lpszUserName; out[2].len = &uc->dwUserNameLength;  out[2].value = &c->user;
    out[3].ptr = &uc->lpszPassword; out[3].len = &uc->dwPasswordLength;  out[3].value = &c->password;
    out[4].ptr = &uc->lpszUrlPath;  out[4].len = &uc->dwUrlPathLength;   out[4].value = &c->path;
    out[5].ptr = &uc->lpszExtraInfo; out[5].len = &uc->dwExtraInfoLength; out[5].value = &c->extra;
}

/* The documented component conventions: pointer and length both zero,
 * not wanted; NULL pointer and non-zero length, a pointer into the URL;
 * both non-zero, a buffer of that many characters.  A buffer of length
 * zero is ERROR_INVALID_PARAMETER (as in Wine's builtin), and so is asking
 * for pointers into the URL with ICU_DECODE or ICU_ESCAPE, which the
 * documentation says work only with buffers. */
static BOOL valid_components(URL_COMPONENTS *uc, DWORD flags)
{
    struct cracked dummy;
    struct component comp[6];
    int i;

    get_components(uc, &dummy, comp);
    for (i = 0; i < 6; i++)
    {
        if (*comp[i].ptr && !*comp[i].len) return FALSE;
        if (!*comp[i].ptr && *comp[i].len && (flags & (ICU_DECODE | ICU_ESCAPE))) return FALSE;
    }
    return TRUE;
}

/* Only the path and extra info are escaped (the documentation of
 * WinHttpCreateUrl names these two; Wine's builtin does the same when
 * cracking).  ICU_ESCAPE wins over ICU_DECODE, as in Wine's builtin. */
static enum transform transform_for(int index, DWORD flags)
{
    if (flags & ICU_ESCAPE) return index >= 4 ? ESCAPE : COPY;
    if (flags & ICU_DECODE) return index >= 1 ? DECODE : COPY;
    return COPY;
}

/* Copies one component into the caller's buffer.  FALSE when it does not
 * fit: the length then says how many characters it needs with the
 * terminator, as Wine's builtin reports it. */
static BOOL copy_component(const struct component *comp)
{
    const struct span *v = comp->value;
    DWORD need = transform(v->str, v->len, comp->how, NULL);

    if (need >= *comp->len)
    {
        *comp->len = need + 1;
        return FALSE;
    }
    transform(v->str, v->len, comp->how, *comp->ptr);
    (*comp->ptr)[need] = 0;
    *comp->len = need;
    return TRUE;
}

static BOOL fill_components(URL_COMPONENTS *uc, const struct cracked *c, DWORD flags)
{
    struct component comp[6];
    struct cracked whole = *c;
    BOOL fits = TRUE;
    int i;

    /* A caller that does not ask for the extra info gets it in the path
     * (Windows: Wine's conformance tests crack "/path?query" so). */
    if (!uc->dwExtraInfoLength && whole.extra.len && whole.path.str + whole.path.len == whole.extra.str)
    {
        if (!whole.path.str) whole.path.str = whole.extra.str;
        whole.path.len += whole.extra.len;
        whole.extra.len = 0;
    }
    c = &whole;
    get_components(uc, c, comp);
    for (i = 0; i < 6; i++)
    {
        comp[i].how = transform_for(i, flags);
        if (!*comp[i].len) continue;
        if (*comp[i].ptr)
        {
            if (!copy_component(&comp[i])) fits = FALSE;
            continue;
        }
        *comp[i].ptr = (WCHAR *)comp[i].value->str;
        *comp[i].len = comp[i].value->len;
    }
    uc->nScheme = c->scheme;
    uc->nPort = c->port;
    return fits;
}

BOOL WINAPI WinHttpCrackUrl(LPCWSTR url, DWORD len, DWORD flags, URL_COMPONENTS *uc)
{
    struct cracked cracked;
    DWORD err, n;

    TRACE("(%s, %u, %#x, %p)\n", debugstr_wn(url, url_length(url, len)), len, flags, uc);

    if (!url || !uc || uc->dwStructSize != sizeof(*uc) || !valid_components(uc, flags))
        err = ERROR_INVALID_PARAMETER;
    else
    {
        n = url_length(url, len);
        if (!(err = crack(url, n, flags, &cracked)) && !fill_components(uc, &cracked, flags))
            err = ERROR_INSUFFICIENT_BUFFER;
    }
    SetLastError(err);
    if (err) TRACE("failed: %u\n", err);
    return !err;
}

/* ------------------------------------------------------------------ */
/* WinHttpCreateUrl                                                     */

/* Appends to a buffer that may be NULL (counting only). */
struct writer
{
    WCHAR *buf;
    DWORD len;
};

static void put(struct writer *w, const WCHAR *s, DWORD len, enum transform how)
{
    w->len += transform(s, len, how, w->buf ? w->buf + w->len : NULL);
}

static void put_ascii(struct writer *w, const char *s)
{
    for (; *s; s++) w->len = put_char(w->buf, w->len, *s);
}

static void put_port(struct writer *w, INTERNET_PORT port)
{
    char digits[8];
    int n = 0;

    do digits[n++] = '0' + port % 10; while ((port /= 10));
    while (n) w->len = put_char(w->buf, w->len, digits[--n]);
}

/* A component as given to WinHttpCreateUrl: a length of zero means
 * NUL-terminated (documented for URL_COMPONENTS). */
static struct span given(const WCHAR *s, DWORD len)
{
    struct span span = { s, 0 };
    if (s) span.len = len ? len : strlenW(s);
    return span;
}

struct create_params
{
    struct span scheme, host, user, password, path, extra;
    INTERNET_SCHEME scheme_id;  /* 0 when the scheme string is neither http nor https */
    INTERNET_PORT port;
};

/* lpszScheme wins over nScheme (documented for InternetCreateUrl, and
 * what Wine's builtin does); nScheme 0 is INTERNET_SCHEME_DEFAULT, HTTP.
 * Unlike the builtin, the scheme name is compared without regard to case
 * (RFC 3986 section 3.1), so "HTTPS" with port 443 drops the port too. */
static BOOL get_scheme(const URL_COMPONENTS *uc, struct create_params *p)
{
    p->scheme = given(uc->lpszScheme, uc->dwSchemeLength);
    if (p->scheme.len)
    {
        if (span_equals_nocase(p->scheme.str, p->scheme.len, http_name)) p->scheme_id = INTERNET_SCHEME_HTTP;
        else if (span_equals_nocase(p->scheme.str, p->scheme.len, https_name)) p->scheme_id = INTERNET_SCHEME_HTTPS;
        return TRUE;
    }
    switch (uc->nScheme)
    {
    case 0:
    case INTERNET_SCHEME_HTTP:
        p->scheme = given(http_name, 0);
        p->scheme_id = INTERNET_SCHEME_HTTP;
        return TRUE;
    case INTERNET_SCHEME_HTTPS:
        p->scheme = given(https_name, 0);
        p->scheme_id = INTERNET_SCHEME_HTTPS;
        return TRUE;
    }
    /* Wine's builtin crashes here. */
    return FALSE;
}

/* ICU_ESCAPE escapes ASCII only: Windows refuses a path or extra info with
 * other characters (ERROR_INVALID_PARAMETER) instead of choosing a charset. */
static BOOL span_ascii(const struct span *s)
{
    DWORD i;
    for (i = 0; i < s->len; i++) if (s->str[i] >= 0x80) return FALSE;
    return TRUE;
}

static DWORD get_create_params(const URL_COMPONENTS *uc, DWORD flags, struct create_params *p)
{
    memset(p, 0, sizeof(*p));
    if (!get_scheme(uc, p)) return ERROR_INVALID_PARAMETER;
    p->host = given(uc->lpszHostName, uc->dwHostNameLength);
    p->user = given(uc->lpszUserName, uc->dwUserNameLength);
    p->password = given(uc->lpszPassword, uc->dwPasswordLength);
    p->path = given(uc->lpszUrlPath, uc->dwUrlPathLength);
    p->extra = given(uc->lpszExtraInfo, uc->dwExtraInfoLength);
    p->port = uc->nPort;
    /* A password needs a user name before it (Wine's builtin agrees). */
    if (p->password.str && !p->user.str) return ERROR_INVALID_PARAMETER;
    /* Documented; Wine's builtin ignores the flag. */
    if ((flags & ICU_REJECT_USERPWD) && (p->user.str || p->password.str)) return ERROR_WINHTTP_INVALID_URL;
    if ((flags & ICU_ESCAPE) && (!span_ascii(&p->path) || !span_ascii(&p->extra))) return ERROR_INVALID_PARAMETER;
    return ERROR_SUCCESS;
}

static BOOL span_has(const struct span *s, WCHAR c)
{
    DWORD i;
    for (i = 0; i < s->len; i++) if (s->str[i] == c) return TRUE;
    return FALSE;
}

/* The port is left out when it is the scheme's default; Windows writes any
 * other, 0 included (Wine's conformance tests record ":0"). */
static BOOL need_port(const struct create_params *p)
{
    return !p->scheme_id || p->port != default_port(p->scheme_id);
}

static void compose(const struct create_params *p, DWORD flags, struct writer *w)
{
    enum transform how = (flags & ICU_ESCAPE) ? ESCAPE : COPY;

    put(w, p->scheme.str, p->scheme.len, COPY);
    put_ascii(w, "://");
    if (p->user.str)
    {
        put(w, p->user.str, p->user.len, COPY);
        if (p->password.str)
        {
            put_ascii(w, ":");
            put(w, p->password.str, p->password.len, COPY);
        }
        put_ascii(w, "@");
    }
    if (p->host.str)
    {
        /* RFC 3986 section 3.2.2: an IPv6 address needs its brackets, or
         * its colons read as a port.  Wine's builtin writes it bare. */
        BOOL bracket = span_has(&p->host, ':') && p->host.str[0] != '[';
        if (bracket) put_ascii(w, "[");
        put(w, p->host.str, p->host.len, COPY);
        if (bracket) put_ascii(w, "]");
        /* As in Wine's builtin, no host means no port either. */
        if (need_port(p))
        {
            put_ascii(w, ":");
            put_port(w, p->port);
        }
    }
    /* The path as given: Windows adds no '/' before one without it. */
    put(w, p->path.str, p->path.len, how);
    put(w, p->extra.str, p->extra.len, how);
}

BOOL WINAPI WinHttpCreateUrl(URL_COMPONENTS *uc, DWORD flags, LPWSTR url, LPDWORD len)
{
    struct create_params params;
    struct writer w = { NULL, 0 };
    DWORD err;

    TRACE("(%p, %#x, %p, %p)\n", uc, flags, url, len);

    if (!uc || !len || uc->dwStructSize != sizeof(*uc)) err = ERROR_INVALID_PARAMETER;
    else if (!(err = get_create_params(uc, flags, &params)))
    {
        compose(&params, flags, &w);
        /* The documentation: on ERROR_INSUFFICIENT_BUFFER the length is what
         * it takes to hold the URL (with its terminator); on success, the
         * URL's length without it.  Wine's builtin accepts a buffer one
         * character too short and writes past it. */
        if (*len <= w.len)
        {
            *len = w.len + 1;
            err = ERROR_INSUFFICIENT_BUFFER;
        }
        else if (!url) err = ERROR_INVALID_PARAMETER;
        else
        {
            w.buf = url;
            w.len = 0;
            compose(&params, flags, &w);
            url[w.len] = 0;
            *len = w.len;
            TRACE("-> %s\n", debugstr_wn(url, w.len));
        }
    }
    SetLastError(err);
    return !err;
}

/* ------------------------------------------------------------------ */
/* Internal: url_crack, url_resolve                                     */

static WCHAR *span_dup(const struct span *s)
{
    WCHAR *ret;
    if (!s->str) return NULL;
    if (!(ret = malloc((s->len + 1) * sizeof(WCHAR)))) return NULL;
    if (s->len) memcpy(ret, s->str, s->len * sizeof(WCHAR));
    ret[s->len] = 0;
    return ret;
}

void url_parts_free(struct url_parts *parts)
{
    if (!parts) return;
    free(parts->host);
    free(parts->user);
    free_secret(parts->password, parts->password ? strlenW(parts->password) * sizeof(WCHAR) : 0);
    free(parts->path);
    free(parts->fragment);
    memset(parts, 0, sizeof(*parts));
}

/* The request target: path and query, "/" for an empty path (RFC 9110
 * section 4.2.1 via RFC 3986 section 6.2.3). */
static WCHAR *request_target(const struct cracked *c, const struct span *query)
{
    struct span path = c->path;
    WCHAR *ret, *p;
    static const WCHAR slash = '/';

    if (!path.len)
    {
        path.str = &slash;
        path.len = 1;
    }
    if (!(ret = malloc((path.len + query->len + 1) * sizeof(WCHAR)))) return NULL;
    p = ret;
    memcpy(p, path.str, path.len * sizeof(WCHAR));
    p += path.len;
    if (query->len) memcpy(p, query->str, query->len * sizeof(WCHAR));
    p[query->len] = 0;
    return ret;
}

BOOL url_crack(const WCHAR *url, DWORD len, struct url_parts *parts)
{
    struct cracked c;
    struct span query, fragment;
    DWORD err;

    memset(parts, 0, sizeof(*parts));
    if (!url)
    {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if ((err = crack(url, url_length(url, len), 0, &c)))
    {
        SetLastError(err);
        return FALSE;
    }
    /* The extra info is "?query#fragment" or "#fragment...". */
    query = c.extra;
    query.len = (query.len && query.str[0] == '?') ? find_any(query.str, query.str + query.len, "#") - query.str : 0;
    fragment.str = c.extra.len > query.len ? c.extra.str + query.len : NULL;
    fragment.len = c.extra.len - query.len;

    parts->scheme = c.scheme;
    parts->port = c.port;
    if (!(parts->host = span_dup(&c.host)) ||
        (c.user.str && !(parts->user = span_dup(&c.user))) ||
        (c.password.str && !(parts->password = span_dup(&c.password))) ||
        !(parts->path = request_target(&c, &query)) ||
        (fragment.str && !(parts->fragment = span_dup(&fragment))))
    {
        url_parts_free(parts);
        SetLastError(ERROR_OUTOFMEMORY);
        return FALSE;
    }
    return TRUE;
}

/* A URI reference split as in RFC 3986 appendix B; absent parts have a
 * NULL str (an empty query "?" is present with length 0, without the
 * '?'; likewise the fragment; the authority is without its "//"). */
struct reference
{
    struct span scheme, authority, path, query, fragment;
};

static BOOL is_scheme_char(WCHAR c, BOOL first)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return TRUE;
    return !first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.');
}

static void split_reference(const WCHAR *s, struct reference *r)
{
    const WCHAR *end = s + strlenW(s), *p = s, *q;

    memset(r, 0, sizeof(*r));
    for (q = s; q < end && is_scheme_char(*q, q == s); q++) ;
    if (q > s && q < end && *q == ':')
    {
        r->scheme.str = s;
        r->scheme.len = q - s;
        p = q + 1;
    }
    if (end - p >= 2 && p[0] == '/' && p[1] == '/')
    {
        r->authority.str = p + 2;
        p = find_any(p + 2, end, "/?#");
        r->authority.len = p - r->authority.str;
    }
    r->path.str = p;
    p = find_any(p, end, "?#");
    r->path.len = p - r->path.str;
    if (p < end && *p == '?')
    {
        r->query.str = p + 1;
        p = find_any(p + 1, end, "#");
        r->query.len = p - r->query.str;
    }
    if (p < end && *p == '#')
    {
        r->fragment.str = p + 1;
        r->fragment.len = end - p - 1;
    }
}

/* RFC 3986 section 5.2.4, on a NUL-terminated copy; returns the new length. */
static DWORD remove_dot_segments(WCHAR *in, DWORD len)
{
    WCHAR *out = in, *end = in + len, *p = in;

    while (p < end)
    {
        DWORD left = end - p;
        if (left >= 3 && p[0] == '.' && p[1] == '.' && p[2] == '/') p += 3;                  /* A */
        else if (left >= 2 && p[0] == '.' && p[1] == '/') p += 2;
        else if (left >= 3 && p[0] == '/' && p[1] == '.' && p[2] == '/') p += 2;             /* B */
        else if (left == 2 && p[0] == '/' && p[1] == '.') { p += 1; *p = '/'; }
        else if (left >= 4 && p[0] == '/' && p[1] == '.' && p[2] == '.' && p[3] == '/')      /* C */
        {
            p += 3;
            while (out > in && *--out != '/') ;
        }
        else if (left == 3 && p[0] == '/' && p[1] == '.' && p[2] == '.')
        {
            p += 2;
            *p = '/';
            while (out > in && *--out != '/') ;
        }
        else if ((left == 1 && p[0] == '.') || (left == 2 && p[0] == '.' && p[1] == '.'))    /* D */
            p = end;
        else                                                                                 /* E */
        {
            do *out++ = *p++; while (p < end && *p != '/');
        }
    }
    return out - in;
}

struct builder
{
    WCHAR *buf;
    DWORD len, size;
    BOOL failed;
};

static void add(struct builder *b, const WCHAR *s, DWORD len)
{
    if (b->failed) return;
    if (b->len + len + 1 > b->size)
    {
        DWORD size = (b->len + len + 1) * 2;
        WCHAR *buf = realloc(b->buf, size * sizeof(WCHAR));
        if (!buf)
        {
            b->failed = TRUE;
            return;
        }
        b->buf = buf;
        b->size = size;
    }
    if (len) memcpy(b->buf + b->len, s, len * sizeof(WCHAR));
    b->len += len;
    b->buf[b->len] = 0;
}

static void add_char(struct builder *b, WCHAR c)
{
    add(b, &c, 1);
}

/* A path with its dot segments removed, appended to b. */
static void add_path(struct builder *b, const WCHAR *s, DWORD len)
{
    DWORD start = b->len;
    add(b, s, len);
    if (b->failed) return;
    b->len = start + remove_dot_segments(b->buf + start, len);
    b->buf[b->len] = 0;
}

/* RFC 3986 section 5.2.3: the base path up to its last '/', then the
 * reference's path; "/" first when the base has an authority and no path. */
static void add_merged_path(struct builder *b, const struct reference *base, const struct reference *ref)
{
    struct builder merged = { NULL, 0, 0, FALSE };
    DWORD keep = base->path.len;

    if (base->authority.str && !base->path.len) add_char(&merged, '/');
    else
    {
        while (keep && base->path.str[keep - 1] != '/') keep--;
        add(&merged, base->path.str, keep);
    }
    add(&merged, ref->path.str, ref->path.len);
    if (merged.failed) b->failed = TRUE;
    else add_path(b, merged.buf, merged.len);
    free(merged.buf);
}

static void add_authority(struct builder *b, const struct span *authority)
{
    static const WCHAR slashes[] = {'/','/'};
    if (!authority->str) return;
    add(b, slashes, 2);
    add(b, authority->str, authority->len);
}

static void add_part(struct builder *b, WCHAR delim, const struct span *part)
{
    if (!part->str) return;
    add_char(b, delim);
    add(b, part->str, part->len);
}

WCHAR *url_resolve(const WCHAR *base_url, const WCHAR *location)
{
    struct reference base, ref;
    const struct span *query = &ref.query;
    struct builder b = { NULL, 0, 0, FALSE };

    if (!base_url || !location)
    {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    split_reference(base_url, &base);
    split_reference(location, &ref);
    if (!base.scheme.str)
    {
        SetLastError(ERROR_WINHTTP_INVALID_URL);
        return NULL;
    }

    /* RFC 3986 section 5.2.2 (strict: a reference with a scheme is absolute). */
    add(&b, ref.scheme.str ? ref.scheme.str : base.scheme.str, ref.scheme.str ? ref.scheme.len : base.scheme.len);
    add_char(&b, ':');
    if (ref.scheme.str || ref.authority.str)
    {
        add_authority(&b, &ref.authority);
        add_path(&b, ref.path.str, ref.path.len);
    }
    else
    {
        add_authority(&b, &base.authority);
        if (!ref.path.len)
        {
            add(&b, base.path.str, base.path.len);
            if (!ref.query.str) query = &base.query;
        }
        else if (ref.path.str[0] == '/') add_path(&b, ref.path.str, ref.path.len);
        else add_merged_path(&b, &base, &ref);
    }
    add_part(&b, '?', query);
    add_part(&b, '#', &ref.fragment);

    if (b.failed)
    {
        free(b.buf);
        SetLastError(ERROR_OUTOFMEMORY);
        return NULL;
    }
    return b.buf;
}
