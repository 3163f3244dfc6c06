/*
 * Proxy selection for named proxies: the proxy list and bypass list formats
 * of WinHttpOpen / WINHTTP_PROXY_INFO.
 *
 * Proxy list: entries separated by ';' or whitespace, each "host[:port]",
 * "scheme=host[:port]" or with a "scheme://" prefix; an entry for the
 * request's scheme wins over a scheme-less one.  Bypass list: entries
 * separated the same way; "<local>" matches host names without a dot,
 * '*' is a wildcard, an entry may name a port.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

static BOOL is_separator(WCHAR c)
{
    return c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Case-insensitive wildcard match of pattern[0..plen) against str. */
static BOOL wildcard_match(const WCHAR *pattern, size_t plen, const WCHAR *str)
{
    size_t slen = strlenW(str);

    if (!plen) return !slen;
    if (*pattern == '*')
    {
        size_t i;
        for (i = 0; i <= slen; i++)
            if (wildcard_match(pattern + 1, plen - 1, str + i)) return TRUE;
        return FALSE;
    }
    if (!slen) return FALSE;
    if (*pattern != '?' && strncmpiW(pattern, str, 1)) return FALSE;
    return wildcard_match(pattern + 1, plen - 1, str + 1);
}

static BOOL bypass_entry_matches(const WCHAR *entry, size_t len, const WCHAR *host, INTERNET_PORT port)
{
    static const WCHAR localW[] = {'<','l','o','c','a','l','>'};
    const WCHAR *colon = NULL, *p;
    size_t hostlen = len;

    if (len == ARRAY_SIZE(localW) && !strncmpiW(entry, localW, len))
    {
        for (p = host; *p; p++) if (*p == '.' || *p == ':') return FALSE;
        return TRUE;
    }
    /* Skip a scheme prefix; a trailing ":port" restricts the entry. */
    for (p = entry; p + 2 < entry + len; p++)
        if (p[0] == ':' && p[1] == '/' && p[2] == '/')
        {
            len -= (p + 3) - entry;
            entry = p + 3;
            hostlen = len;
            break;
        }
    for (p = entry + len; p > entry; p--)
        if (p[-1] == ':') { colon = p - 1; break; }
        else if (p[-1] == ']') break;
    if (colon && colon + 1 < entry + len)
    {
        unsigned long value = 0;
        for (p = colon + 1; p < entry + len; p++)
        {
            if (*p < '0' || *p > '9' || (value = value * 10 + (*p - '0')) > 65535) return FALSE;
        }
        if (value != port) return FALSE;
        hostlen = colon - entry;
    }
    return wildcard_match(entry, hostlen, host);
}

static BOOL host_bypassed(const WCHAR *bypass, const WCHAR *host, INTERNET_PORT port)
{
    const WCHAR *p = bypass, *start;

    if (!bypass) return FALSE;
    while (*p)
    {
        while (*p && is_separator(*p)) p++;
        start = p;
        while (*p && !is_separator(*p)) p++;
        if (p > start && bypass_entry_matches(start, p - start, host, port))
        {
            TRACE("%s bypasses the proxy (entry %s)\n", debugstr_w(host), debugstr_wn(start, (int)(p - start)));
            return TRUE;
        }
    }
    return FALSE;
}

/* Parse "host[:port]" (with an optional "scheme://" prefix). */
static BOOL parse_server(const WCHAR *s, size_t len, WCHAR **host, INTERNET_PORT *port)
{
    const WCHAR *p, *colon = NULL;

    for (p = s; p + 2 < s + len; p++)
        if (p[0] == ':' && p[1] == '/' && p[2] == '/')
        {
            len -= (p + 3) - s;
            s = p + 3;
            break;
        }
    while (len && s[len - 1] == '/') len--;
    for (p = s + len; p > s; p--)
        if (p[-1] == ':') { colon = p - 1; break; }
        else if (p[-1] == ']') break;
    *port = INTERNET_DEFAULT_HTTP_PORT;     /* proxies default to 80 */
    if (colon)
    {
        unsigned long value = 0;
        for (p = colon + 1; p < s + len; p++)
        {
            if (*p < '0' || *p > '9') return FALSE;
            value = value * 10 + (*p - '0');
            if (value > 65535) return FALSE;
        }
        if (value) *port = (INTERNET_PORT)value;
        len = colon - s;
    }
    if (!len) return FALSE;
    return (*host = strndupW(s, len)) != NULL;
}

BOOL proxy_select(const WCHAR *proxy_list, const WCHAR *bypass, const WCHAR *host, INTERNET_PORT port,
                  BOOL secure, WCHAR **proxy_host, INTERNET_PORT *proxy_port)
{
    static const WCHAR httpW[] = {'h','t','t','p','=',0}, httpsW[] = {'h','t','t','p','s','=',0};
    const WCHAR *want = secure ? httpsW : httpW;
    const WCHAR *p, *start, *generic = NULL, *match = NULL, *eq;
    size_t generic_len = 0, match_len = 0, want_len = strlenW(want);

    *proxy_host = NULL;
    if (!proxy_list || !*proxy_list || host_bypassed(bypass, host, port)) return FALSE;

    for (p = proxy_list; *p; )
    {
        while (*p && is_separator(*p)) p++;
        start = p;
        while (*p && !is_separator(*p)) p++;
        if (p == start) continue;
        for (eq = start; eq < p && *eq != '='; eq++) ;
        if (eq == p)
        {
            if (!generic) { generic = start; generic_len = p - start; }
        }
        else if ((size_t)(p - start) > want_len && !strncmpiW(start, want, want_len) && !match)
        {
            match = start + want_len;
            match_len = p - match;
        }
    }
    if (!match)
    {
        match = generic;
        match_len = generic_len;
    }
    if (!match) return FALSE;
    if (!parse_server(match, match_len, proxy_host, proxy_port))
    {
        WARN("unusable proxy entry %s\n", debugstr_wn(match, (int)match_len));
        return FALSE;
    }
    TRACE("%s:%u goes through proxy %s:%u\n", debugstr_w(host), port, debugstr_w(*proxy_host), *proxy_port);
    return TRUE;
}
