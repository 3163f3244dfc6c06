/*
 * WinHttpCrackUrl and WinHttpCreateUrl, against their documentation (the
 * WinHttpCrackUrl, WinHttpCreateUrl and URL_COMPONENTS pages) and RFC 3986.
 *
 * Where Wine's builtin winhttp differs from the documentation, the
 * documentation wins and a comment says so; where the documentation is
 * silent, the expectations are the builtin's black-box behaviour.  Running
 * this file against the builtin (WINHTTP=builtin) shows those differences.
 */
#include "test.h"
#include <winhttp.h>

#define SIZE 256

/* ok_wstr() on an array would warn that its address is never NULL. */
static const WCHAR *str(const WCHAR *s)
{
    return s;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

static void init_uc(URL_COMPONENTS *uc)
{
    memset(uc, 0, sizeof(*uc));
    uc->dwStructSize = sizeof(*uc);
}

/* Ask for every component as a pointer into the URL. */
static void init_pointers(URL_COMPONENTS *uc)
{
    init_uc(uc);
    uc->dwSchemeLength = uc->dwHostNameLength = uc->dwUserNameLength = (DWORD)-1;
    uc->dwPasswordLength = uc->dwUrlPathLength = uc->dwExtraInfoLength = (DWORD)-1;
}

struct buffers
{
    WCHAR scheme[SIZE], host[SIZE], user[SIZE], password[SIZE], path[SIZE], extra[SIZE];
};

/* Ask for every component copied into a buffer of size characters. */
static void init_buffers(URL_COMPONENTS *uc, struct buffers *b, DWORD size)
{
    init_uc(uc);
    memset(b, 0xcc, sizeof(*b));
    uc->lpszScheme = b->scheme;     uc->dwSchemeLength = size;
    uc->lpszHostName = b->host;     uc->dwHostNameLength = size;
    uc->lpszUserName = b->user;     uc->dwUserNameLength = size;
    uc->lpszPassword = b->password; uc->dwPasswordLength = size;
    uc->lpszUrlPath = b->path;      uc->dwUrlPathLength = size;
    uc->lpszExtraInfo = b->extra;   uc->dwExtraInfoLength = size;
}

/* A pointer-mode component: NULL/0 when expect is NULL, else a span of
 * the URL equal to expect. */
static void check_span(const char *what, const WCHAR *url, const WCHAR *p, DWORD len, const WCHAR *expect, int line)
{
    DWORD n = lstrlenW(url);

    if (!expect)
    {
        test_report(!p && !len, __FILE__, line, "%ls: %s: expected NULL/0, got %p/%lu", url, what, p, (unsigned long)len);
        return;
    }
    test_report(p && p >= url && p + len <= url + n && len == (DWORD)lstrlenW(expect) &&
                !memcmp(p, expect, len * sizeof(WCHAR)), __FILE__, line,
                "%ls: %s: expected [%ls], got [%.*ls] (%lu chars at %p)", url, what, expect,
                p ? (int)len : 0, p ? p : L"", (unsigned long)len, p);
}

/* A buffer-mode component: the copy, its terminator and its length. */
static void check_copy(const char *what, const WCHAR *url, const WCHAR *buf, DWORD len, const WCHAR *expect, int line)
{
    if (!expect) expect = L"";
    test_report(len == (DWORD)lstrlenW(expect) && !memcmp(buf, expect, (len + 1) * sizeof(WCHAR)), __FILE__, line,
                "%ls: %s: expected [%ls], got [%.*ls] (length %lu)", url, what, expect,
                len < SIZE ? (int)len : 0, buf, (unsigned long)len);
}

/* ------------------------------------------------------------------ */
/* WinHttpCrackUrl: the table                                           */

struct crack_case
{
    int line;
    const WCHAR *url;
    DWORD flags;
    DWORD error;                /* 0: success */
    INTERNET_SCHEME scheme;
    INTERNET_PORT port;
    const WCHAR *scheme_name, *host, *user, *password, *path, *extra;  /* user/password NULL: absent */
};

#define OK(url, flags, sch, port, name, host, user, pass, path, extra) \
    { __LINE__, url, flags, 0, INTERNET_SCHEME_##sch, port, name, host, user, pass, path, extra }
#define BAD(url, flags, err) { __LINE__, url, flags, err }

static const struct crack_case crack_cases[] =
{
    /* The basic forms. */
    OK(L"http://www.winehq.org/site/about", 0, HTTP, 80, L"http", L"www.winehq.org", NULL, NULL, L"/site/about", L""),
    OK(L"http://www.winehq.org", 0, HTTP, 80, L"http", L"www.winehq.org", NULL, NULL, L"", L""),
    OK(L"http://www.winehq.org/", 0, HTTP, 80, L"http", L"www.winehq.org", NULL, NULL, L"/", L""),
    OK(L"https://www.winehq.org:8443/a/b?x=1#frag", 0, HTTPS, 8443, L"https", L"www.winehq.org", NULL, NULL, L"/a/b", L"?x=1#frag"),
    OK(L"http://h", 0, HTTP, 80, L"http", L"h", NULL, NULL, L"", L""),
    OK(L"https://h:443", 0, HTTPS, 443, L"https", L"h", NULL, NULL, L"", L""),
    OK(L"http://a.b.c.d.example.com/x/y/z.html", 0, HTTP, 80, L"http", L"a.b.c.d.example.com", NULL, NULL, L"/x/y/z.html", L""),
    OK(L"http://192.0.2.1:8000/", 0, HTTP, 8000, L"http", L"192.0.2.1", NULL, NULL, L"/", L""),
    /* The scheme: any case, returned as written. */
    OK(L"HTTP://HOST/PATH", 0, HTTP, 80, L"HTTP", L"HOST", NULL, NULL, L"/PATH", L""),
    OK(L"HtTpS://host", 0, HTTPS, 443, L"HtTpS", L"host", NULL, NULL, L"", L""),
    OK(L"hTTp://h/", 0, HTTP, 80, L"hTTp", L"h", NULL, NULL, L"/", L""),
    OK(L"HTTPS://H:0443/", 0, HTTPS, 443, L"HTTPS", L"H", NULL, NULL, L"/", L""),
    /* Userinfo: user and password present, empty or absent. */
    OK(L"http://user:pass@host:81/path?q", 0, HTTP, 81, L"http", L"host", L"user", L"pass", L"/path", L"?q"),
    OK(L"http://user@host/path", 0, HTTP, 80, L"http", L"host", L"user", NULL, L"/path", L""),
    OK(L"http://user:@host/path", 0, HTTP, 80, L"http", L"host", L"user", L"", L"/path", L""),
    OK(L"http://:pass@host/path", 0, HTTP, 80, L"http", L"host", L"", L"pass", L"/path", L""),
    OK(L"http://@host/path", 0, HTTP, 80, L"http", L"host", L"", NULL, L"/path", L""),
    OK(L"http://:@host/", 0, HTTP, 80, L"http", L"host", L"", L"", L"/", L""),
    OK(L"http://a:b:c@host/path", 0, HTTP, 80, L"http", L"host", L"a", L"b:c", L"/path", L""),
    OK(L"http://a@b@host/path", 0, HTTP, 80, L"http", L"b@host", L"a", NULL, L"/path", L""),
    OK(L"https://user:password@hostname:99/path/to?extra#x", 0, HTTPS, 99, L"https", L"hostname", L"user", L"password", L"/path/to", L"?extra#x"),
    OK(L"http://us%40er:pa%3Ass@host/", 0, HTTP, 80, L"http", L"host", L"us%40er", L"pa%3Ass", L"/", L""),
    OK(L"http://u s:p w@h/", 0, HTTP, 80, L"http", L"h", L"u s", L"p w", L"/", L""),
    /* '@' after the authority is not userinfo. */
    OK(L"http://host/path@x", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/path@x", L""),
    OK(L"http://h?x@y/z", 0, HTTP, 80, L"http", L"h", NULL, NULL, L"", L"?x@y/z"),
    OK(L"http://h#x@y/z", 0, HTTP, 80, L"http", L"h", NULL, NULL, L"", L"#x@y/z"),
    /* Ports: explicit, empty (the default), leading zeros, the extremes. */
    OK(L"http://host:0/", 0, HTTP, 0, L"http", L"host", NULL, NULL, L"/", L""),
    OK(L"http://host:1/", 0, HTTP, 1, L"http", L"host", NULL, NULL, L"/", L""),
    OK(L"http://host:65535/", 0, HTTP, 65535, L"http", L"host", NULL, NULL, L"/", L""),
    OK(L"http://host:65535", 0, HTTP, 65535, L"http", L"host", NULL, NULL, L"", L""),
    OK(L"http://host:/", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L""),
    OK(L"https://host:/", 0, HTTPS, 443, L"https", L"host", NULL, NULL, L"/", L""),
    OK(L"http://host:80/", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L""),
    OK(L"https://host:80/", 0, HTTPS, 80, L"https", L"host", NULL, NULL, L"/", L""),
    OK(L"http://host:443/", 0, HTTP, 443, L"http", L"host", NULL, NULL, L"/", L""),
    OK(L"http://host:0080/", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L""),
    OK(L"http://host:00000000000000000080/", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L""),
    OK(L"http://host:8080", 0, HTTP, 8080, L"http", L"host", NULL, NULL, L"", L""),
    OK(L"http://host:8080?q", 0, HTTP, 8080, L"http", L"host", NULL, NULL, L"", L"?q"),
    OK(L"http://host:8080#f", 0, HTTP, 8080, L"http", L"host", NULL, NULL, L"", L"#f"),
    OK(L"http://u:p@h:", 0, HTTP, 80, L"http", L"h", L"u", L"p", L"", L""),
    /* IPv6 literals (RFC 3986 section 3.2.2) keep their brackets.  Wine's
     * builtin cracks them into the host "[" and port 0. */
    OK(L"http://[::1]/", 0, HTTP, 80, L"http", L"[::1]", NULL, NULL, L"/", L""),
    OK(L"http://[::1]:8080/p", 0, HTTP, 8080, L"http", L"[::1]", NULL, NULL, L"/p", L""),
    OK(L"https://[::1]", 0, HTTPS, 443, L"https", L"[::1]", NULL, NULL, L"", L""),
    OK(L"http://[::1]:/", 0, HTTP, 80, L"http", L"[::1]", NULL, NULL, L"/", L""),
    OK(L"http://[2001:db8::7]:443/x?y", 0, HTTP, 443, L"http", L"[2001:db8::7]", NULL, NULL, L"/x", L"?y"),
    OK(L"http://[fe80::1%25eth0]/", 0, HTTP, 80, L"http", L"[fe80::1%25eth0]", NULL, NULL, L"/", L""),
    OK(L"http://[::ffff:192.0.2.1]/", 0, HTTP, 80, L"http", L"[::ffff:192.0.2.1]", NULL, NULL, L"/", L""),
    OK(L"http://a:b@[::1]:5/x", 0, HTTP, 5, L"http", L"[::1]", L"a", L"b", L"/x", L""),
    OK(L"http://[::1]?q", 0, HTTP, 80, L"http", L"[::1]", NULL, NULL, L"", L"?q"),
    /* Path and extra info: the URL_COMPONENTS documentation calls both
     * "?something" and "#something" extra info.  Wine's builtin ends the
     * host only at '/' and leaves '#' in the path. */
    OK(L"http://host?query", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"", L"?query"),
    OK(L"http://host#frag", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"", L"#frag"),
    OK(L"http://host/p#frag?notquery", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/p", L"#frag?notquery"),
    OK(L"http://host/p?q#f", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/p", L"?q#f"),
    OK(L"http://host/p?q?r", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/p", L"?q?r"),
    OK(L"http://host/?", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L"?"),
    OK(L"http://host/#", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L"#"),
    OK(L"http://host/p#f#g", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/p", L"#f#g"),
    OK(L"http://h/a?b/c?d", 0, HTTP, 80, L"http", L"h", NULL, NULL, L"/a", L"?b/c?d"),
    OK(L"http://h/;x?y", 0, HTTP, 80, L"http", L"h", NULL, NULL, L"/;x", L"?y"),
    OK(L"http://host/p:1", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/p:1", L""),
    OK(L"http://host//double//slash", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"//double//slash", L""),
    OK(L"http://host/a/../b/./c", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/a/../b/./c", L""),
    /* Escapes and unusual characters are left alone without flags. */
    OK(L"http://host/a%20b?c%20d", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/a%20b", L"?c%20d"),
    OK(L"http://host/a b?c d", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/a b", L"?c d"),
    OK(L"http://host/a%2", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/a%2", L""),
    OK(L"http://host/%zz", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/%zz", L""),
    OK(L"http://ho%20st/", 0, HTTP, 80, L"http", L"ho%20st", NULL, NULL, L"/", L""),
    OK(L"http://host%3a80/", 0, HTTP, 80, L"http", L"host%3a80", NULL, NULL, L"/", L""),
    OK(L"http://host/\x00e9t\x00e9", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/\x00e9t\x00e9", L""),
    OK(L"http://\x4e2d.example/", 0, HTTP, 80, L"http", L"\x4e2d.example", NULL, NULL, L"/", L""),
    OK(L"http://host/a\"<>\\^`{|}~'", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/a\"<>\\^`{|}~'", L""),
    OK(L"http://host\\path", 0, HTTP, 80, L"http", L"host\\path", NULL, NULL, L"", L""),
    OK(L"http://host/p\\q", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/p\\q", L""),
    OK(L"http://ho st/", 0, HTTP, 80, L"http", L"ho st", NULL, NULL, L"/", L""),
    OK(L"http://host/ ", 0, HTTP, 80, L"http", L"host", NULL, NULL, L"/ ", L""),
    /* Empty hosts: the documentation says the URL is not checked for
     * validity, and Wine's builtin cracks these. */
    OK(L"http:///", 0, HTTP, 80, L"http", L"", NULL, NULL, L"/", L""),
    OK(L"http:///path", 0, HTTP, 80, L"http", L"", NULL, NULL, L"/path", L""),
    OK(L"http://user:pass@", 0, HTTP, 80, L"http", L"", L"user", L"pass", L"", L""),
    OK(L"http://:@/", 0, HTTP, 80, L"http", L"", L"", L"", L"/", L""),
    OK(L"http://u:p@:8/", 0, HTTP, 8, L"http", L"", L"u", L"p", L"/", L""),
    OK(L"http://?x", 0, HTTP, 80, L"http", L"", NULL, NULL, L"", L"?x"),
    /* Unknown flags are ignored. */
    OK(L"http://host/", 0x1, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L""),
    OK(L"http://host/", ICU_NO_META, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L""),
    /* ICU_REJECT_USERPWD is documented to fail URLs with credentials;
     * Wine's builtin ignores it. */
    BAD(L"http://user:pass@host/", ICU_REJECT_USERPWD, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://user@host/", ICU_REJECT_USERPWD, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://:pass@host/", ICU_REJECT_USERPWD, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://@host/", ICU_REJECT_USERPWD, ERROR_WINHTTP_INVALID_URL),
    BAD(L"https://u:p@[::1]:8443/", ICU_REJECT_USERPWD, ERROR_WINHTTP_INVALID_URL),
    OK(L"http://host/p@x", ICU_REJECT_USERPWD, HTTP, 80, L"http", L"host", NULL, NULL, L"/p@x", L""),
    OK(L"http://host/?u=a:b@c", ICU_REJECT_USERPWD, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L"?u=a:b@c"),
    /* Schemes other than http and https. */
    BAD(L"ftp://host/", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"file:///c:/x", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"httpx://host/", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"ws://host/", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"mailto:user@host", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"  http://host/", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"h", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"http", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"https", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"://host/", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"1http://host/", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"ht tp://host/", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"http//host/", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"/relative/path", 0, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"ftp://user:pass@host/", ICU_REJECT_USERPWD, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    /* A known scheme without "//" and an authority. */
    BAD(L"http:/host/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http:host/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http:", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http:/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"https://", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http:\\\\host\\", 0, ERROR_WINHTTP_INVALID_URL),
    /* Ports that are not numbers or out of range.  Wine's builtin reads
     * the leading digits atoi-style ("host:8x" is port 8). */
    BAD(L"http://host:65536/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host:99999999999/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host:4294967376/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host:8x/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host:x8/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host:-1/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host: 80/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host:+80/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host:80:81/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host::80/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host:0x50/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://h:80a", 0, ERROR_WINHTTP_INVALID_URL),
    /* Malformed IP literals, and brackets outside one. */
    BAD(L"http://[::1/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://::1/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://[]/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://[::1]x/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://[::1]]/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://h[::1]/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://host]/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://[::1 ]/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://[127.0.0.1]/", 0, ERROR_WINHTTP_INVALID_URL),
    BAD(L"http://[::1]:99999/", 0, ERROR_WINHTTP_INVALID_URL),

    /* ICU_DECODE (buffers only): every %XX becomes U+00XX, no UTF-8. */
    OK(L"http://us%40er:pa%3Ass@ho%41st/a%20b?q%20r#f%41", ICU_DECODE, HTTP, 80, L"http", L"hoAst", L"us@er", L"pa:ss", L"/a b", L"?q r#fA"),
    OK(L"http://host/a%2", ICU_DECODE, HTTP, 80, L"http", L"host", NULL, NULL, L"/a%2", L""),
    OK(L"http://host/%zz%", ICU_DECODE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%zz%", L""),
    OK(L"http://host/%25%32%30", ICU_DECODE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%20", L""),
    OK(L"http://host/%e9%C3%A9", ICU_DECODE, HTTP, 80, L"http", L"host", NULL, NULL, L"/\x00e9\x00c3\x00a9", L""),
    OK(L"http://host/a+b%2B", ICU_DECODE, HTTP, 80, L"http", L"host", NULL, NULL, L"/a+b+", L""),
    OK(L"http://host/%2F%3f%23", ICU_DECODE, HTTP, 80, L"http", L"host", NULL, NULL, L"/\x2f?#", L""),
    OK(L"http://h/%7e?%", ICU_DECODE, HTTP, 80, L"http", L"h", NULL, NULL, L"/~", L"?%"),
    /* ICU_ESCAPE (buffers only): the path and extra info, RFC 1738's unsafe
     * characters (including '%' and '#') as Wine's builtin does, non-ASCII
     * as UTF-8 (the builtin uses the low byte, or fails above U+00FF). */
    OK(L"http://host/a b?c d", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/a%20b", L"?c%20d"),
    OK(L"http://host/a%20b", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/a%2520b", L""),
    OK(L"http://host/\"<>\\^`{|}~", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%22%3C%3E%5C%5E%60%7B%7C%7D%7E", L""),
    OK(L"http://host/[x]", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%5Bx%5D", L""),
    OK(L"http://host/!$&'()*+,;=:@-._", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/!$&'()*+,;=:@-._", L""),
    OK(L"http://host/\x00e9", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%C3%A9", L""),
    OK(L"http://host/\x4e2d", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%E4%B8%AD", L""),
    OK(L"http://host/\xd83d\xde00", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%F0%9F%98%80", L""),
    OK(L"http://host/\xd83dx", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%EF%BF%BDx", L""),
    OK(L"http://host/\x7f\x01\x1f", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%7F%01%1F", L""),
    OK(L"http://host/\x0080\x00ff", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/%C2%80%C3%BF", L""),
    OK(L"http://host/?q#f", ICU_ESCAPE, HTTP, 80, L"http", L"host", NULL, NULL, L"/", L"?q%23f"),
    OK(L"http://ho st/x", ICU_ESCAPE, HTTP, 80, L"http", L"ho st", NULL, NULL, L"/x", L""),
    OK(L"http://u s:p w@h/", ICU_ESCAPE, HTTP, 80, L"http", L"h", L"u s", L"p w", L"/", L""),
    /* Both: ICU_ESCAPE wins and nothing is decoded (as in Wine's builtin). */
    OK(L"http://h%20x/a%20 b", ICU_ESCAPE | ICU_DECODE, HTTP, 80, L"http", L"h%20x", NULL, NULL, L"/a%2520%20b", L""),
    BAD(L"ftp://host/", ICU_DECODE, ERROR_WINHTTP_UNRECOGNIZED_SCHEME),
    BAD(L"http://host:x/", ICU_ESCAPE, ERROR_WINHTTP_INVALID_URL),
};

static void crack_pointers(const struct crack_case *t)
{
    URL_COMPONENTS uc;
    BOOL ret;

    init_pointers(&uc);
    uc.nScheme = 77;
    uc.nPort = 7777;
    SetLastError(0xdeadbeef);
    ret = WinHttpCrackUrl(t->url, 0, t->flags, &uc);
    if (t->flags & (ICU_DECODE | ICU_ESCAPE))
    {
        /* Documented to work only with buffers. */
        test_report(!ret && GetLastError() == ERROR_INVALID_PARAMETER, __FILE__, t->line,
                    "%ls: flags %#lx with pointers: expected ERROR_INVALID_PARAMETER, got %d/%lu",
                    t->url, (unsigned long)t->flags, ret, GetLastError());
        return;
    }
    if (t->error)
    {
        test_report(!ret && GetLastError() == t->error, __FILE__, t->line, "%ls: expected error %lu, got %d/%lu",
                    t->url, (unsigned long)t->error, ret, GetLastError());
        test_report(uc.nScheme == 77 && uc.nPort == 7777, __FILE__, t->line, "%ls: structure changed on failure", t->url);
        return;
    }
    test_report(ret && GetLastError() == ERROR_SUCCESS, __FILE__, t->line, "%ls: expected success, got %d/%lu",
                t->url, ret, GetLastError());
    if (!ret) return;
    test_report(uc.nScheme == t->scheme && uc.nPort == t->port, __FILE__, t->line,
                "%ls: expected scheme %d port %u, got %d %u", t->url, t->scheme, t->port, uc.nScheme, uc.nPort);
    check_span("scheme", t->url, uc.lpszScheme, uc.dwSchemeLength, t->scheme_name, t->line);
    check_span("host", t->url, uc.lpszHostName, uc.dwHostNameLength, t->host, t->line);
    check_span("user", t->url, uc.lpszUserName, uc.dwUserNameLength, t->user, t->line);
    check_span("password", t->url, uc.lpszPassword, uc.dwPasswordLength, t->password, t->line);
    check_span("path", t->url, uc.lpszUrlPath, uc.dwUrlPathLength, t->path, t->line);
    check_span("extra", t->url, uc.lpszExtraInfo, uc.dwExtraInfoLength, t->extra, t->line);
}

static void crack_buffers(const struct crack_case *t)
{
    URL_COMPONENTS uc;
    struct buffers b;
    BOOL ret;

    init_buffers(&uc, &b, SIZE);
    SetLastError(0xdeadbeef);
    ret = WinHttpCrackUrl(t->url, 0, t->flags, &uc);
    if (t->error)
    {
        test_report(!ret && GetLastError() == t->error, __FILE__, t->line, "%ls (buffers): expected error %lu, got %d/%lu",
                    t->url, (unsigned long)t->error, ret, GetLastError());
        return;
    }
    test_report(ret && GetLastError() == ERROR_SUCCESS, __FILE__, t->line, "%ls (buffers): expected success, got %d/%lu",
                t->url, ret, GetLastError());
    if (!ret) return;
    test_report(uc.nScheme == t->scheme && uc.nPort == t->port, __FILE__, t->line,
                "%ls (buffers): expected scheme %d port %u, got %d %u", t->url, t->scheme, t->port, uc.nScheme, uc.nPort);
    test_report(uc.lpszScheme == b.scheme && uc.lpszHostName == b.host && uc.lpszUserName == b.user &&
                uc.lpszPassword == b.password && uc.lpszUrlPath == b.path && uc.lpszExtraInfo == b.extra,
                __FILE__, t->line, "%ls (buffers): buffer pointers changed", t->url);
    check_copy("scheme", t->url, b.scheme, uc.dwSchemeLength, t->scheme_name, t->line);
    check_copy("host", t->url, b.host, uc.dwHostNameLength, t->host, t->line);
    check_copy("user", t->url, b.user, uc.dwUserNameLength, t->user, t->line);
    check_copy("password", t->url, b.password, uc.dwPasswordLength, t->password, t->line);
    check_copy("path", t->url, b.path, uc.dwUrlPathLength, t->path, t->line);
    check_copy("extra", t->url, b.extra, uc.dwExtraInfoLength, t->extra, t->line);
}

static void test_crack_table(void)
{
    unsigned int i;
    for (i = 0; i < ARRAYSIZE(crack_cases); i++)
    {
        crack_pointers(&crack_cases[i]);
        crack_buffers(&crack_cases[i]);
    }
    trace("%u WinHttpCrackUrl cases\n", (unsigned int)ARRAYSIZE(crack_cases));
}

/* ------------------------------------------------------------------ */
/* WinHttpCrackUrl: parameters                                          */

static void test_crack_null_arguments(void)
{
    URL_COMPONENTS uc;

    init_pointers(&uc);
    ok_err(WinHttpCrackUrl(NULL, 0, 0, &uc), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpCrackUrl(NULL, 5, 0, &uc), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpCrackUrl(L"http://host/", 0, 0, NULL), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpCrackUrl(NULL, 0, 0, NULL), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpCrackUrl(NULL, 0, ICU_DECODE, &uc), ERROR_INVALID_PARAMETER);
}

/* "The size of this structure must be set": anything else is refused,
 * before the URL is looked at. */
static void test_crack_struct_size(void)
{
    static const DWORD sizes[] = { 0, 4, sizeof(URL_COMPONENTS) - 1, sizeof(URL_COMPONENTS) + 1, 1000, ~0u };
    URL_COMPONENTS uc;
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(sizes); i++)
    {
        init_pointers(&uc);
        uc.dwStructSize = sizes[i];
        ok_err(WinHttpCrackUrl(L"http://host/", 0, 0, &uc), ERROR_INVALID_PARAMETER);
        ok(uc.lpszHostName == NULL, "size %lu: host filled in on failure\n", (unsigned long)sizes[i]);
        ok_err(WinHttpCrackUrl(L"ftp://host/", 0, 0, &uc), ERROR_INVALID_PARAMETER);
    }
}

/* Pointer and length both zero: the component is not returned, though the
 * scheme and port always are. */
static void test_crack_nothing_requested(void)
{
    URL_COMPONENTS uc;

    init_uc(&uc);
    SetLastError(0xdeadbeef);
    ok(WinHttpCrackUrl(L"https://u:p@host:99/p?q", 0, 0, &uc), "crack failed: %lu\n", GetLastError());
    ok_u(GetLastError(), ERROR_SUCCESS);
    ok_u(uc.nScheme, INTERNET_SCHEME_HTTPS);
    ok_u(uc.nPort, 99);
    ok(!uc.lpszScheme && !uc.lpszHostName && !uc.lpszUserName && !uc.lpszPassword && !uc.lpszUrlPath &&
       !uc.lpszExtraInfo, "a component was returned\n");
    ok(!uc.dwSchemeLength && !uc.dwHostNameLength && !uc.dwUserNameLength && !uc.dwPasswordLength &&
       !uc.dwUrlPathLength && !uc.dwExtraInfoLength, "a length was set\n");

    /* Nothing requested: the flags need no buffers. */
    init_uc(&uc);
    ok(WinHttpCrackUrl(L"http://host/a%20b", 0, ICU_DECODE | ICU_ESCAPE, &uc), "crack failed: %lu\n", GetLastError());
    ok_u(uc.nPort, 80);
}

/* Each component on its own, in pointer mode, with any non-zero length. */
static void test_crack_single_components(void)
{
    static const WCHAR url[] = L"http://user:pass@host:81/path?extra";
    URL_COMPONENTS uc;

    init_uc(&uc);
    uc.dwHostNameLength = 1;
    ok(WinHttpCrackUrl(url, 0, 0, &uc), "crack failed: %lu\n", GetLastError());
    ok(uc.lpszHostName == url + 17 && uc.dwHostNameLength == 4, "host: got %p/%lu\n", uc.lpszHostName, (unsigned long)uc.dwHostNameLength);
    ok(!uc.lpszUrlPath && !uc.dwUrlPathLength, "path returned unasked\n");

    init_uc(&uc);
    uc.dwExtraInfoLength = 12345;
    ok(WinHttpCrackUrl(url, 0, 0, &uc), "crack failed: %lu\n", GetLastError());
    ok(uc.lpszExtraInfo == url + 29 && uc.dwExtraInfoLength == 6, "extra: got %p/%lu\n", uc.lpszExtraInfo, (unsigned long)uc.dwExtraInfoLength);

    init_uc(&uc);
    uc.dwPasswordLength = 1;
    uc.dwSchemeLength = 1;
    ok(WinHttpCrackUrl(url, 0, 0, &uc), "crack failed: %lu\n", GetLastError());
    ok(uc.lpszPassword == url + 12 && uc.dwPasswordLength == 4, "password: got %p/%lu\n", uc.lpszPassword, (unsigned long)uc.dwPasswordLength);
    ok(uc.lpszScheme == url && uc.dwSchemeLength == 4, "scheme: got %p/%lu\n", uc.lpszScheme, (unsigned long)uc.dwSchemeLength);

    /* Absent path and extra info still point into the URL, at its end. */
    init_pointers(&uc);
    ok(WinHttpCrackUrl(L"http://host", 0, 0, &uc), "crack failed: %lu\n", GetLastError());
    ok(uc.lpszUrlPath != NULL && !uc.dwUrlPathLength, "path: got %p/%lu\n", uc.lpszUrlPath, (unsigned long)uc.dwUrlPathLength);
    ok(uc.lpszExtraInfo != NULL && !uc.dwExtraInfoLength, "extra: got %p/%lu\n", uc.lpszExtraInfo, (unsigned long)uc.dwExtraInfoLength);
}

/* A buffer with a zero length is neither convention: Wine's builtin says
 * ERROR_INVALID_PARAMETER, and so do we. */
static void test_crack_zero_length_buffer(void)
{
    static const char *names[] = { "scheme", "host", "user", "password", "path", "extra" };
    URL_COMPONENTS uc;
    struct buffers b;
    DWORD *lens[6];
    int i;

    for (i = 0; i < 6; i++)
    {
        init_buffers(&uc, &b, SIZE);
        lens[0] = &uc.dwSchemeLength; lens[1] = &uc.dwHostNameLength; lens[2] = &uc.dwUserNameLength;
        lens[3] = &uc.dwPasswordLength; lens[4] = &uc.dwUrlPathLength; lens[5] = &uc.dwExtraInfoLength;
        *lens[i] = 0;
        SetLastError(0xdeadbeef);
        ok(!WinHttpCrackUrl(L"http://u:p@host/p?q", 0, 0, &uc) && GetLastError() == ERROR_INVALID_PARAMETER,
           "%s buffer of length 0: expected ERROR_INVALID_PARAMETER, got %lu\n", names[i], GetLastError());
    }
}

/* The documentation: ICU_DECODE and ICU_ESCAPE "can be used only if the
 * user provides buffers"; one pointer-mode component is enough to fail. */
static void test_crack_flags_need_buffers(void)
{
    static const DWORD flags[] = { ICU_DECODE, ICU_ESCAPE, ICU_DECODE | ICU_ESCAPE, ~0u };
    URL_COMPONENTS uc;
    WCHAR path[64];
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(flags); i++)
    {
        init_uc(&uc);
        uc.lpszUrlPath = path;
        uc.dwUrlPathLength = ARRAYSIZE(path);
        uc.dwHostNameLength = 1;
        ok_err(WinHttpCrackUrl(L"http://h/a%20b", 0, flags[i], &uc), ERROR_INVALID_PARAMETER);

        init_uc(&uc);
        uc.lpszUrlPath = path;
        uc.dwUrlPathLength = ARRAYSIZE(path);
        ok(WinHttpCrackUrl(L"http://h/a%20b", 0, flags[i] & ~ICU_REJECT_USERPWD, &uc), "flags %#lx with a buffer: %lu\n",
           (unsigned long)flags[i], GetLastError());
    }
}

/* dwUrlLength: 0 means NUL-terminated (documented); -1 too; otherwise only
 * that many characters are cracked, and an embedded NUL ends the URL. */
static void test_crack_url_length(void)
{
    static const WCHAR url[] = L"http://host:80/path?q";
    static const WCHAR nul[] = L"http://host\0.evil/x";
    URL_COMPONENTS uc;

    init_pointers(&uc);
    ok(WinHttpCrackUrl(url, 0, 0, &uc), "len 0: %lu\n", GetLastError());
    ok(uc.dwExtraInfoLength == 2, "len 0: extra length %lu\n", (unsigned long)uc.dwExtraInfoLength);

    /* Wine's builtin reads a length of -1 as a huge count. */
    init_pointers(&uc);
    ok(WinHttpCrackUrl(url, ~0u, 0, &uc), "len -1: %lu\n", GetLastError());
    ok(uc.dwUrlPathLength == 5 && uc.dwExtraInfoLength == 2, "len -1: path %lu extra %lu\n",
       (unsigned long)uc.dwUrlPathLength, (unsigned long)uc.dwExtraInfoLength);

    init_pointers(&uc);
    ok(WinHttpCrackUrl(url, 18, 0, &uc), "len 18: %lu\n", GetLastError());
    ok(uc.dwUrlPathLength == 4 && uc.dwExtraInfoLength == 0, "len 18: path %lu extra %lu\n",
       (unsigned long)uc.dwUrlPathLength, (unsigned long)uc.dwExtraInfoLength);

    init_pointers(&uc);
    ok(WinHttpCrackUrl(url, 15, 0, &uc), "len 15: %lu\n", GetLastError());
    ok(uc.dwUrlPathLength == 1 && uc.nPort == 80, "len 15: path %lu port %u\n", (unsigned long)uc.dwUrlPathLength, uc.nPort);

    init_pointers(&uc);
    ok(WinHttpCrackUrl(url, 13, 0, &uc), "len 13: %lu\n", GetLastError());
    ok(uc.nPort == 8 && uc.dwHostNameLength == 4 && uc.dwUrlPathLength == 0, "len 13: port %u host %lu path %lu\n",
       uc.nPort, (unsigned long)uc.dwHostNameLength, (unsigned long)uc.dwUrlPathLength);

    init_pointers(&uc);
    ok(WinHttpCrackUrl(url, 12, 0, &uc), "len 12: %lu\n", GetLastError());
    ok(uc.nPort == 80, "len 12 (empty port): port %u\n", uc.nPort);

    init_pointers(&uc);
    ok(WinHttpCrackUrl(url, 8, 0, &uc), "len 8: %lu\n", GetLastError());
    ok(uc.dwHostNameLength == 1 && uc.lpszHostName == url + 7, "len 8: host %lu\n", (unsigned long)uc.dwHostNameLength);

    /* Wine's builtin cracks "http://" and "http:/" (lengths 7 and 6) into
     * nonsense; they are as invalid as their NUL-terminated forms. */
    init_pointers(&uc);
    ok_err(WinHttpCrackUrl(url, 7, 0, &uc), ERROR_WINHTTP_INVALID_URL);
    ok_err(WinHttpCrackUrl(url, 6, 0, &uc), ERROR_WINHTTP_INVALID_URL);
    ok_err(WinHttpCrackUrl(url, 5, 0, &uc), ERROR_WINHTTP_INVALID_URL);
    ok_err(WinHttpCrackUrl(url, 4, 0, &uc), ERROR_WINHTTP_UNRECOGNIZED_SCHEME);
    ok_err(WinHttpCrackUrl(url, 1, 0, &uc), ERROR_WINHTTP_UNRECOGNIZED_SCHEME);

    /* Wine's builtin cracks on past the NUL (host "host\0.evil"). */
    init_pointers(&uc);
    ok(WinHttpCrackUrl(nul, ARRAYSIZE(nul) - 1, 0, &uc), "embedded NUL: %lu\n", GetLastError());
    ok(uc.dwHostNameLength == 4 && uc.dwUrlPathLength == 0, "embedded NUL: host %lu path %lu\n",
       (unsigned long)uc.dwHostNameLength, (unsigned long)uc.dwUrlPathLength);
}

/* Success clears the last error, as Windows does. */
static void test_crack_last_error(void)
{
    URL_COMPONENTS uc;
    struct buffers b;

    init_buffers(&uc, &b, SIZE);
    SetLastError(0xdeadbeef);
    ok(WinHttpCrackUrl(L"http://host/", 0, 0, &uc), "crack failed\n");
    ok_u(GetLastError(), ERROR_SUCCESS);
}

/* ------------------------------------------------------------------ */
/* WinHttpCrackUrl: buffers that are too small                          */

/* The documentation: a buffer too small fails with
 * ERROR_INSUFFICIENT_BUFFER.  Each such component's length becomes what
 * it needs including the terminator (as in Wine's builtin); components
 * that fit are copied; the scheme and port are set. */
static void test_crack_small_buffers(void)
{
    static const WCHAR url[] = L"https://user:password@hostname:99/path/to?extra#x";
    static const struct { DWORD size; BOOL ok; DWORD scheme, host, user, password, path, extra; } tests[] =
    {
        /*  size ok     scheme host user pass path extra   (lengths afterwards) */
        {   1, FALSE,   6,     9,   5,   9,   9,   9 },
        {   4, FALSE,   6,     9,   5,   9,   9,   9 },
        {   5, FALSE,   6,     9,   4,   9,   9,   9 },
        {   6, FALSE,   5,     9,   4,   9,   9,   9 },
        {   8, FALSE,   5,     9,   4,   9,   9,   9 },
        {   9, TRUE,    5,     8,   4,   8,   8,   8 },
        {  10, TRUE,    5,     8,   4,   8,   8,   8 },
        { SIZE, TRUE,   5,     8,   4,   8,   8,   8 },
    };
    URL_COMPONENTS uc;
    struct buffers b;
    unsigned int i;
    BOOL ret;

    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        init_buffers(&uc, &b, tests[i].size);
        SetLastError(0xdeadbeef);
        ret = WinHttpCrackUrl(url, 0, 0, &uc);
        ok(ret == tests[i].ok, "size %lu: expected %d, got %d\n", (unsigned long)tests[i].size, tests[i].ok, ret);
        ok_u(GetLastError(), tests[i].ok ? ERROR_SUCCESS : ERROR_INSUFFICIENT_BUFFER);
        ok(uc.dwSchemeLength == tests[i].scheme && uc.dwHostNameLength == tests[i].host &&
           uc.dwUserNameLength == tests[i].user && uc.dwPasswordLength == tests[i].password &&
           uc.dwUrlPathLength == tests[i].path && uc.dwExtraInfoLength == tests[i].extra,
           "size %lu: expected lengths %lu %lu %lu %lu %lu %lu, got %lu %lu %lu %lu %lu %lu\n", (unsigned long)tests[i].size,
           (unsigned long)tests[i].scheme, (unsigned long)tests[i].host, (unsigned long)tests[i].user,
           (unsigned long)tests[i].password, (unsigned long)tests[i].path, (unsigned long)tests[i].extra,
           (unsigned long)uc.dwSchemeLength, (unsigned long)uc.dwHostNameLength, (unsigned long)uc.dwUserNameLength,
           (unsigned long)uc.dwPasswordLength, (unsigned long)uc.dwUrlPathLength, (unsigned long)uc.dwExtraInfoLength);
        ok(uc.nScheme == INTERNET_SCHEME_HTTPS && uc.nPort == 99, "size %lu: scheme %d port %u\n",
           (unsigned long)tests[i].size, uc.nScheme, uc.nPort);
        if (tests[i].size == 5) ok_wstr(str(b.user), L"user");
        if (tests[i].size == 6) ok_wstr(str(b.scheme), L"https");
    }
}

/* One component too small on its own; an empty component needs room for
 * its terminator only. */
static void test_crack_small_buffer_each(void)
{
    static const WCHAR url[] = L"http://u:pw@host:8/path?q=1";
    static const struct { int index; DWORD need; } tests[] =
    {
        { 0, 5 }, { 1, 5 }, { 2, 2 }, { 3, 3 }, { 4, 6 }, { 5, 5 },
    };
    URL_COMPONENTS uc;
    struct buffers b;
    DWORD *lens[6];
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        init_buffers(&uc, &b, SIZE);
        lens[0] = &uc.dwSchemeLength; lens[1] = &uc.dwHostNameLength; lens[2] = &uc.dwUserNameLength;
        lens[3] = &uc.dwPasswordLength; lens[4] = &uc.dwUrlPathLength; lens[5] = &uc.dwExtraInfoLength;
        *lens[tests[i].index] = tests[i].need - 1;
        ok_err(WinHttpCrackUrl(url, 0, 0, &uc), ERROR_INSUFFICIENT_BUFFER);
        ok(*lens[tests[i].index] == tests[i].need, "component %d: expected length %lu, got %lu\n", tests[i].index,
           (unsigned long)tests[i].need, (unsigned long)*lens[tests[i].index]);
        if (tests[i].index != 1) ok_wstr(str(b.host), L"host");

        init_buffers(&uc, &b, SIZE);
        *lens[tests[i].index] = tests[i].need;
        ok(WinHttpCrackUrl(url, 0, 0, &uc), "component %d with %lu: %lu\n", tests[i].index,
           (unsigned long)tests[i].need, GetLastError());
        ok_u(*lens[tests[i].index], tests[i].need - 1);
    }

    /* An empty path needs one character. */
    init_buffers(&uc, &b, 1);
    uc.dwSchemeLength = uc.dwHostNameLength = SIZE;
    ok(WinHttpCrackUrl(L"http://host", 0, 0, &uc), "empty components in 1-character buffers: %lu\n", GetLastError());
    ok(!uc.dwUrlPathLength && !b.path[0], "empty path: got %lu\n", (unsigned long)uc.dwUrlPathLength);
    ok(!uc.dwUserNameLength && !b.user[0], "absent user: got %lu\n", (unsigned long)uc.dwUserNameLength);
}

/* The lengths ICU_DECODE and ICU_ESCAPE need are those of the result. */
static void test_crack_small_buffer_flags(void)
{
    URL_COMPONENTS uc;
    WCHAR extra[16];

    init_uc(&uc);
    uc.lpszExtraInfo = extra;
    uc.dwExtraInfoLength = 4;
    ok_err(WinHttpCrackUrl(L"http://h/?a%20b", 0, ICU_DECODE, &uc), ERROR_INSUFFICIENT_BUFFER);
    ok_u(uc.dwExtraInfoLength, 5);
    ok(WinHttpCrackUrl(L"http://h/?a%20b", 0, ICU_DECODE, &uc), "decode with 5: %lu\n", GetLastError());
    ok_u(uc.dwExtraInfoLength, 4);
    ok_wstr(str(extra), L"?a b");

    init_uc(&uc);
    uc.lpszExtraInfo = extra;
    uc.dwExtraInfoLength = 6;
    ok_err(WinHttpCrackUrl(L"http://h/?a b", 0, ICU_ESCAPE, &uc), ERROR_INSUFFICIENT_BUFFER);
    ok_u(uc.dwExtraInfoLength, 7);
    ok(WinHttpCrackUrl(L"http://h/?a b", 0, ICU_ESCAPE, &uc), "escape with 7: %lu\n", GetLastError());
    ok_u(uc.dwExtraInfoLength, 6);
    ok_wstr(str(extra), L"?a%20b");

    init_uc(&uc);
    uc.lpszExtraInfo = extra;
    uc.dwExtraInfoLength = 10;
    ok_err(WinHttpCrackUrl(L"http://h/?\x4e2d", 0, ICU_ESCAPE, &uc), ERROR_INSUFFICIENT_BUFFER);
    ok_u(uc.dwExtraInfoLength, 11);
}

/* %00 decodes to a NUL inside the component; the length counts it. */
static void test_crack_decode_nul(void)
{
    URL_COMPONENTS uc;
    WCHAR path[16];

    init_uc(&uc);
    uc.lpszUrlPath = path;
    uc.dwUrlPathLength = ARRAYSIZE(path);
    ok(WinHttpCrackUrl(L"http://h/a%00b", 0, ICU_DECODE, &uc), "decode: %lu\n", GetLastError());
    ok_u(uc.dwUrlPathLength, 4);
    ok(!memcmp(path, L"/a\0b", 5 * sizeof(WCHAR)), "decode: got %ls\n", path);
}

/* No component has a length limit (none is documented; Wine's builtin has
 * none either): a 5000-character host, a 200000-character path. */
static void test_crack_long_components(void)
{
    static WCHAR url[200100], big[200100];
    URL_COMPONENTS uc;
    WCHAR small[10];
    DWORD len;
    int n;

    n = wsprintfW(url, L"http://");
    while (n < 7 + 5000) url[n++] = 'a';
    lstrcpyW(url + n, L":8080/p");
    init_uc(&uc);
    uc.dwHostNameLength = 1;
    ok(WinHttpCrackUrl(url, 0, 0, &uc), "long host: %lu\n", GetLastError());
    ok(uc.dwHostNameLength == 5000 && uc.nPort == 8080, "long host: length %lu port %u\n",
       (unsigned long)uc.dwHostNameLength, uc.nPort);
    init_uc(&uc);
    uc.lpszHostName = small;
    uc.dwHostNameLength = ARRAYSIZE(small);
    ok_err(WinHttpCrackUrl(url, 0, 0, &uc), ERROR_INSUFFICIENT_BUFFER);
    ok_u(uc.dwHostNameLength, 5001);

    n = wsprintfW(url, L"http://h");
    for (; n < 8 + 200000; n++) url[n] = (n - 8) % 7 ? 'x' : '/';
    url[n] = 0;
    init_uc(&uc);
    uc.lpszUrlPath = big;
    uc.dwUrlPathLength = ARRAYSIZE(big);
    ok(WinHttpCrackUrl(url, 0, 0, &uc), "long path: %lu\n", GetLastError());
    ok(uc.dwUrlPathLength == 200000 && !memcmp(big, url + 8, 200000 * sizeof(WCHAR)) && !big[200000],
       "long path: length %lu\n", (unsigned long)uc.dwUrlPathLength);

    /* And back. */
    init_uc(&uc);
    uc.lpszHostName = (WCHAR *)L"h";
    uc.nPort = INTERNET_DEFAULT_HTTP_PORT;
    uc.lpszUrlPath = big;
    len = 0;
    ok_err(WinHttpCreateUrl(&uc, 0, NULL, &len), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 200009);
    ok(WinHttpCreateUrl(&uc, 0, url, &len), "long create: %lu\n", GetLastError());
    ok(len == 200008 && !memcmp(url, L"http://h/", 9 * sizeof(WCHAR)), "long create: length %lu\n", (unsigned long)len);
}

/* ------------------------------------------------------------------ */
/* WinHttpCreateUrl                                                     */

struct create_case
{
    int line;
    const WCHAR *scheme;
    DWORD scheme_len;
    INTERNET_SCHEME nscheme;
    const WCHAR *host;
    DWORD host_len;
    INTERNET_PORT port;
    const WCHAR *user, *password;
    DWORD user_len, password_len;
    const WCHAR *path, *extra;
    DWORD path_len, extra_len;
    DWORD flags;
    DWORD error;
    const WCHAR *expect;
};

#define C(...) { __LINE__, __VA_ARGS__ }

static const struct create_case create_cases[] =
{
    /* The scheme from nScheme; the port left out only when it is the
     * scheme's default: Windows writes ":0" for nPort 0 too (Wine's
     * conformance tests record it). */
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .expect = L"http://host:0"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .port = 80, .expect = L"http://host"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .port = 443, .expect = L"http://host:443"),
    C(.nscheme = INTERNET_SCHEME_HTTPS, .host = L"host", .port = 443, .expect = L"https://host"),
    C(.nscheme = INTERNET_SCHEME_HTTPS, .host = L"host", .port = 80, .expect = L"https://host:80"),
    C(.nscheme = INTERNET_SCHEME_HTTPS, .host = L"host", .expect = L"https://host:0"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .port = 65535, .expect = L"http://host:65535"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .port = 1, .expect = L"http://host:1"),
    /* nScheme 0 (INTERNET_SCHEME_DEFAULT) is HTTP; others are refused
     * (Wine's builtin crashes on INTERNET_SCHEME_FTP). */
    C(.nscheme = 0, .host = L"host", .expect = L"http://host:0"),
    C(.nscheme = INTERNET_SCHEME_FTP, .host = L"host", .error = ERROR_INVALID_PARAMETER),
    C(.nscheme = INTERNET_SCHEME_SOCKS, .host = L"host", .error = ERROR_INVALID_PARAMETER),
    C(.nscheme = 99, .host = L"host", .error = ERROR_INVALID_PARAMETER),
    /* lpszScheme wins over nScheme and decides the default port. */
    C(.scheme = L"https", .nscheme = 0, .host = L"host", .port = 443, .expect = L"https://host"),
    C(.scheme = L"https", .nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .port = 80, .expect = L"https://host:80"),
    C(.scheme = L"ftp", .host = L"host", .port = 21, .expect = L"ftp://host:21"),
    C(.scheme = L"ftp", .nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .expect = L"ftp://host:0"),
    C(.scheme = L"HTTPS", .host = L"host", .port = 443, .expect = L"HTTPS://host"),
    C(.scheme = L"httpsXX", .scheme_len = 5, .host = L"host", .port = 443, .expect = L"https://host"),
    C(.scheme = L"", .nscheme = INTERNET_SCHEME_HTTPS, .host = L"host", .expect = L"https://host:0"),
    /* Userinfo. */
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .port = 8080, .user = L"user", .password = L"pass",
      .path = L"/p", .extra = L"?q", .expect = L"http://user:pass@host:8080/p?q"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .user = L"user", .path = L"/", .expect = L"http://user@host:0/"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .user = L"", .password = L"pass", .path = L"/",
      .expect = L"http://:pass@host:0/"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .user = L"", .password = L"", .expect = L"http://:@host:0"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .password = L"pass", .error = ERROR_INVALID_PARAMETER),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .user = L"a b", .path = L"/", .flags = ICU_ESCAPE,
      .expect = L"http://a b@host:0/"),
    /* ICU_REJECT_USERPWD is documented for WinHttpCreateUrl too; Wine's
     * builtin ignores it. */
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .user = L"user", .flags = ICU_REJECT_USERPWD,
      .error = ERROR_WINHTTP_INVALID_URL),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .user = L"user", .password = L"p", .flags = ICU_REJECT_USERPWD,
      .error = ERROR_WINHTTP_INVALID_URL),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"/p", .flags = ICU_REJECT_USERPWD,
      .expect = L"http://host:0/p"),
    /* Path and extra info appended as they are: Windows adds no '/' before
     * a path without one (Wine's conformance tests record it). */
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"nopath", .expect = L"http://host:0nopath"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"", .expect = L"http://host:0"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .extra = L"?q", .expect = L"http://host:0?q"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .extra = L"#f", .expect = L"http://host:0#f"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .extra = L"x=1", .expect = L"http://host:0x=1"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"/a b", .extra = L"?c d#e",
      .expect = L"http://host:0/a b?c d#e"),
    /* Hosts: none (then no port either, as in Wine's builtin), empty, an
     * IPv6 address (bracketed as RFC 3986 requires; the builtin does not). */
    C(.nscheme = INTERNET_SCHEME_HTTP, .path = L"/p", .port = 8080, .expect = L"http:///p"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"", .port = 8080, .expect = L"http://:8080"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"::1", .port = 8080, .expect = L"http://[::1]:8080"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"[::1]", .expect = L"http://[::1]:0"),
    C(.nscheme = INTERNET_SCHEME_HTTPS, .host = L"2001:db8::7", .path = L"/x", .expect = L"https://[2001:db8::7]:0/x"),
    /* Explicit lengths. */
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"hostname", .host_len = 4, .expect = L"http://host:0"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .user = L"user", .user_len = 2, .password = L"pass",
      .password_len = 3, .path = L"/abc", .path_len = 2, .extra = L"?qrs", .extra_len = 2, .expect = L"http://us:pas@host:0/a?q"),
    /* ICU_ESCAPE: the path and extra info only, ASCII only: Windows refuses
     * other characters rather than choosing a charset. */
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"/a b", .extra = L"?c d#e", .flags = ICU_ESCAPE,
      .expect = L"http://host:0/a%20b?c%20d%23e"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"/\x00e9\x4e2d", .flags = ICU_ESCAPE,
      .error = ERROR_INVALID_PARAMETER),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .extra = L"?\xfb00", .flags = ICU_ESCAPE,
      .error = ERROR_INVALID_PARAMETER),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"/\x00e9", .port = 80, .expect = L"http://host/\x00e9"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"/%zz%2", .extra = L"?%41", .flags = ICU_ESCAPE,
      .expect = L"http://host:0/%25zz%252?%2541"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"/\"<>\\^`{|}~[]", .flags = ICU_ESCAPE,
      .expect = L"http://host:0/%22%3C%3E%5C%5E%60%7B%7C%7D%7E%5B%5D"),
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"h t", .path = L"a b", .flags = ICU_ESCAPE, .expect = L"http://h t:0a%20b"),
    /* ICU_DECODE means nothing here. */
    C(.nscheme = INTERNET_SCHEME_HTTP, .host = L"host", .path = L"/a%20b", .flags = ICU_DECODE,
      .expect = L"http://host:0/a%20b"),
    /* Nothing at all. */
    C(.nscheme = 0, .expect = L"http://"),
};

static void fill_create(URL_COMPONENTS *uc, const struct create_case *t)
{
    init_uc(uc);
    uc->lpszScheme = (WCHAR *)t->scheme;      uc->dwSchemeLength = t->scheme_len;
    uc->nScheme = t->nscheme;
    uc->lpszHostName = (WCHAR *)t->host;      uc->dwHostNameLength = t->host_len;
    uc->nPort = t->port;
    uc->lpszUserName = (WCHAR *)t->user;      uc->dwUserNameLength = t->user_len;
    uc->lpszPassword = (WCHAR *)t->password;  uc->dwPasswordLength = t->password_len;
    uc->lpszUrlPath = (WCHAR *)t->path;       uc->dwUrlPathLength = t->path_len;
    uc->lpszExtraInfo = (WCHAR *)t->extra;    uc->dwExtraInfoLength = t->extra_len;
}

static void test_create_table(void)
{
    URL_COMPONENTS uc;
    WCHAR buf[SIZE];
    unsigned int i;
    DWORD len;
    BOOL ret;

    for (i = 0; i < ARRAYSIZE(create_cases); i++)
    {
        const struct create_case *t = &create_cases[i];

        fill_create(&uc, t);
        len = ARRAYSIZE(buf);
        lstrcpyW(buf, L"#");
        SetLastError(0xdeadbeef);
        ret = WinHttpCreateUrl(&uc, t->flags, buf, &len);
        if (t->error)
        {
            test_report(!ret && GetLastError() == t->error && len == ARRAYSIZE(buf), __FILE__, t->line,
                        "expected error %lu, got %d/%lu (length %lu)", (unsigned long)t->error, ret, GetLastError(),
                        (unsigned long)len);
            continue;
        }
        test_report(ret && GetLastError() == ERROR_SUCCESS, __FILE__, t->line, "expected success, got %d/%lu", ret, GetLastError());
        test_report(ret && !lstrcmpW(buf, t->expect) && len == (DWORD)lstrlenW(t->expect), __FILE__, t->line,
                    "expected %ls, got %ls (length %lu)", t->expect, ret ? buf : L"", (unsigned long)len);
    }
    trace("%u WinHttpCreateUrl cases\n", (unsigned int)ARRAYSIZE(create_cases));
}

static void test_create_parameters(void)
{
    static const DWORD sizes[] = { 0, sizeof(URL_COMPONENTS) - 1, sizeof(URL_COMPONENTS) + 1 };
    URL_COMPONENTS uc;
    WCHAR buf[64];
    unsigned int i;
    DWORD len = ARRAYSIZE(buf);

    init_uc(&uc);
    uc.lpszHostName = (WCHAR *)L"host";
    ok_err(WinHttpCreateUrl(NULL, 0, buf, &len), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpCreateUrl(&uc, 0, buf, NULL), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpCreateUrl(&uc, 0, NULL, NULL), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpCreateUrl(NULL, 0, NULL, NULL), ERROR_INVALID_PARAMETER);
    for (i = 0; i < ARRAYSIZE(sizes); i++)
    {
        uc.dwStructSize = sizes[i];
        len = ARRAYSIZE(buf);
        ok_err(WinHttpCreateUrl(&uc, 0, buf, &len), ERROR_INVALID_PARAMETER);
        ok_u(len, ARRAYSIZE(buf));
    }
}

/* The documentation: on ERROR_INSUFFICIENT_BUFFER the length receives the
 * number of characters needed to hold the URL (its terminator included);
 * on success, the URL's length without the terminator.  Wine's builtin
 * also accepts a buffer one character short and writes past it. */
static void test_create_lengths(void)
{
    static const WCHAR expect[] = L"http://host:8080/p";   /* 18 characters */
    URL_COMPONENTS uc;
    WCHAR buf[64];
    DWORD len;

    init_uc(&uc);
    uc.nScheme = INTERNET_SCHEME_HTTP;
    uc.lpszHostName = (WCHAR *)L"host";
    uc.nPort = 8080;
    uc.lpszUrlPath = (WCHAR *)L"/p";

    len = 0;
    ok_err(WinHttpCreateUrl(&uc, 0, NULL, &len), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 19);
    len = 0;
    lstrcpyW(buf, L"#");
    ok_err(WinHttpCreateUrl(&uc, 0, buf, &len), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 19);
    ok_wstr(str(buf), L"#");
    len = 18;
    ok_err(WinHttpCreateUrl(&uc, 0, buf, &len), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 19);
    ok_wstr(str(buf), L"#");
    len = 12;
    ok_err(WinHttpCreateUrl(&uc, 0, NULL, &len), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 19);

    /* A NULL buffer said to be big enough (as in Wine's builtin). */
    len = 64;
    ok_err(WinHttpCreateUrl(&uc, 0, NULL, &len), ERROR_INVALID_PARAMETER);
    ok_u(len, 64);

    memset(buf, 0xcc, sizeof(buf));
    len = 19;
    SetLastError(0xdeadbeef);
    ok(WinHttpCreateUrl(&uc, 0, buf, &len), "exact buffer: %lu\n", GetLastError());
    ok_u(GetLastError(), ERROR_SUCCESS);
    ok_u(len, 18);
    ok_wstr(str(buf), str(expect));
    ok(buf[19] == 0xcccc, "wrote past the terminator\n");

    /* The escaped length counts. */
    uc.lpszUrlPath = (WCHAR *)L"/a b";
    len = 0;
    ok_err(WinHttpCreateUrl(&uc, ICU_ESCAPE, NULL, &len), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 23);
    len = 22;
    ok_err(WinHttpCreateUrl(&uc, ICU_ESCAPE, buf, &len), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 23);
    ok(WinHttpCreateUrl(&uc, ICU_ESCAPE, buf, &len), "escaped: %lu\n", GetLastError());
    ok_wstr(str(buf), L"http://host:8080/a%20b");
    ok_u(len, 22);
}

/* Cracking into pointers and creating from them gives the URL back (the
 * default port aside, which CreateUrl leaves out). */
static void test_round_trip(void)
{
    static const struct { const WCHAR *url, *expect; } tests[] =
    {
        { L"http://www.winehq.org/site/about" },
        { L"https://user:pass@host:8443/a/b?x=1#f" },
        { L"http://[::1]:8080/p?q" },
        { L"http://host/" },
        { L"https://h" },
        { L"http://u@h:81/p" },
        /* An empty component cracks to a pointer with length 0, which
         * CreateUrl documentedly reads as NUL-terminated: the rest of the
         * URL (Wine's builtin agrees). */
        { L"http://:p@h/", L"http://:p@h/:p@h/" },
        { L"http://host#frag", L"http://host#frag#frag" },
        { L"http://h/a%20b?c%20d" },
        { L"HTTP://H/" },
        { L"http://host:80/x", L"http://host/x" },
        { L"https://host:443", L"https://host" },
        { L"http://host:0/" },
        { L"http://search.msn.com/results.asp?RS=CHECKED&FORM=MSNH&v=1&q=wininet" },
    };
    URL_COMPONENTS uc;
    WCHAR buf[SIZE];
    unsigned int i;
    DWORD len;

    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        const WCHAR *expect = tests[i].expect ? tests[i].expect : tests[i].url;

        init_pointers(&uc);
        ok(WinHttpCrackUrl(tests[i].url, 0, 0, &uc), "%ls: crack failed: %lu\n", tests[i].url, GetLastError());
        /* An absent user name or password is NULL with length 0, which
         * CreateUrl reads as absent. */
        len = ARRAYSIZE(buf);
        ok(WinHttpCreateUrl(&uc, 0, buf, &len), "%ls: create failed: %lu\n", tests[i].url, GetLastError());
        ok(!lstrcmpW(buf, expect) && len == (DWORD)lstrlenW(expect), "%ls: expected %ls, got %ls (%lu)\n",
           tests[i].url, expect, buf, (unsigned long)len);
    }
}

/* The example of the WinHttpCreateUrl documentation: crack, change the
 * host and the path, create. */
static void test_documentation_example(void)
{
    URL_COMPONENTS uc;
    WCHAR buf[SIZE];
    DWORD len;

    init_pointers(&uc);
    uc.dwUserNameLength = uc.dwPasswordLength = 0;
    ok(WinHttpCrackUrl(L"http://search.msn.com/results.asp?RS=CHECKED&FORM=MSNH&v=1&q=wininet", 0, 0, &uc),
       "crack failed: %lu\n", GetLastError());
    uc.lpszHostName = (WCHAR *)L"www.microsoft.com";
    uc.dwHostNameLength = lstrlenW(uc.lpszHostName);
    uc.lpszUrlPath = (WCHAR *)L"/results2.asp";
    uc.dwUrlPathLength = 0;
    len = 0;
    ok_err(WinHttpCreateUrl(&uc, ICU_ESCAPE, NULL, &len), ERROR_INSUFFICIENT_BUFFER);
    ok(len > 0 && len <= ARRAYSIZE(buf), "length %lu\n", (unsigned long)len);
    ok(WinHttpCreateUrl(&uc, ICU_ESCAPE, buf, &len), "create failed: %lu\n", GetLastError());
    ok_wstr(str(buf), L"http://www.microsoft.com/results2.asp?RS=CHECKED&FORM=MSNH&v=1&q=wininet");
}

int main(void)
{
    run_test("crack_table", test_crack_table);
    run_test("crack_null_arguments", test_crack_null_arguments);
    run_test("crack_struct_size", test_crack_struct_size);
    run_test("crack_nothing_requested", test_crack_nothing_requested);
    run_test("crack_single_components", test_crack_single_components);
    run_test("crack_zero_length_buffer", test_crack_zero_length_buffer);
    run_test("crack_flags_need_buffers", test_crack_flags_need_buffers);
    run_test("crack_url_length", test_crack_url_length);
    run_test("crack_last_error", test_crack_last_error);
    run_test("crack_small_buffers", test_crack_small_buffers);
    run_test("crack_small_buffer_each", test_crack_small_buffer_each);
    run_test("crack_small_buffer_flags", test_crack_small_buffer_flags);
    run_test("crack_decode_nul", test_crack_decode_nul);
    run_test("crack_long_components", test_crack_long_components);
    run_test("create_table", test_create_table);
    run_test("create_parameters", test_create_parameters);
    run_test("create_lengths", test_create_lengths);
    run_test("round_trip", test_round_trip);
    run_test("documentation_example", test_documentation_example);
    return test_summary();
}
