// fuzz-sources: dlls/winhttp/url.c dlls/winhttp/util.c
/*
 * Fuzz WinHttpCrackUrl, WinHttpCreateUrl, url_crack and url_resolve.
 *
 * The input is UTF-16 (little-endian byte pairs).  It is cracked with
 * every combination of ICU_DECODE, ICU_ESCAPE and ICU_REJECT_USERPWD, both
 * NUL-terminated and with an explicit length over an unterminated copy (so
 * a read past the end is an ASan report), into pointers and into buffers.
 * Invariants checked, each an abort:
 *  - pointers returned point into the URL;
 *  - a buffer too small reports a length that then suffices;
 *  - the URL created from a cracked URL cracks again to the same parts,
 *    and WinHttpCreateUrl's reported length is exact;
 *  - url_crack agrees with WinHttpCrackUrl.
 * At start-up, url_resolve must give RFC 3986 section 5.4's answers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winhttp_private.h"

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

static const WCHAR empty[] = {0};

static DWORD wlen(const WCHAR *s)
{
    DWORD n = 0;
    while (s[n]) n++;
    return n;
}

static WCHAR *wdup_ascii(const char *s)
{
    size_t i, n = strlen(s);
    WCHAR *ret = malloc((n + 1) * sizeof(WCHAR));
    for (i = 0; i <= n; i++) ret[i] = (unsigned char)s[i];
    return ret;
}

/* ------------------------------------------------------------------ */
/* RFC 3986 section 5.4: known answers for url_resolve                 */

static void check_resolve(const char *ref, const char *expect)
{
    static const char base[] = "http://a/b/c/d;p?q";
    WCHAR *b = wdup_ascii(base), *r = wdup_ascii(ref), *e = wdup_ascii(expect), *got;

    got = url_resolve(b, r);
    if (!got || wlen(got) != wlen(e) || memcmp(got, e, wlen(e) * sizeof(WCHAR)))
    {
        size_t i;
        fprintf(stderr, "url_resolve(\"%s\", \"%s\"): expected \"%s\", got \"", base, ref, expect);
        for (i = 0; got && got[i]; i++) fputc(got[i] < 0x80 ? got[i] : '?', stderr);
        fprintf(stderr, "\"\n");
        abort();
    }
    free(got);
    free(b);
    free(r);
    free(e);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *tests[][2] =
    {
        /* 5.4.1 normal examples */
        { "g:h", "g:h" }, { "g", "http://a/b/c/g" }, { "./g", "http://a/b/c/g" }, { "g/", "http://a/b/c/g/" },
        { "/g", "http://a/g" }, { "//g", "http://g" }, { "?y", "http://a/b/c/d;p?y" }, { "g?y", "http://a/b/c/g?y" },
        { "#s", "http://a/b/c/d;p?q#s" }, { "g#s", "http://a/b/c/g#s" }, { "g?y#s", "http://a/b/c/g?y#s" },
        { ";x", "http://a/b/c/;x" }, { "g;x", "http://a/b/c/g;x" }, { "g;x?y#s", "http://a/b/c/g;x?y#s" },
        { "", "http://a/b/c/d;p?q" }, { ".", "http://a/b/c/" }, { "./", "http://a/b/c/" }, { "..", "http://a/b/" },
        { "../", "http://a/b/" }, { "../g", "http://a/b/g" }, { "../..", "http://a/" }, { "../../", "http://a/" },
        { "../../g", "http://a/g" },
        /* 5.4.2 abnormal examples */
        { "../../../g", "http://a/g" }, { "../../../../g", "http://a/g" }, { "/./g", "http://a/g" },
        { "/../g", "http://a/g" }, { "g.", "http://a/b/c/g." }, { ".g", "http://a/b/c/.g" }, { "g..", "http://a/b/c/g.." },
        { "..g", "http://a/b/c/..g" }, { "./../g", "http://a/b/g" }, { "./g/.", "http://a/b/c/g/" },
        { "g/./h", "http://a/b/c/g/h" }, { "g/../h", "http://a/b/c/h" }, { "g;x=1/./y", "http://a/b/c/g;x=1/y" },
        { "g;x=1/../y", "http://a/b/c/y" }, { "g?y/./x", "http://a/b/c/g?y/./x" }, { "g?y/../x", "http://a/b/c/g?y/../x" },
        { "g#s/./x", "http://a/b/c/g#s/./x" }, { "g#s/../x", "http://a/b/c/g#s/../x" }, { "http:g", "http:g" },
        /* and what redirects look like */
        { "https://other:8443/x/../y?z", "https://other:8443/y?z" }, { "//h2/p", "http://h2/p" },
    };
    size_t i;

    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) check_resolve(tests[i][0], tests[i][1]);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Cracking                                                             */

struct parts
{
    INTERNET_SCHEME scheme;
    INTERNET_PORT port;
    const WCHAR *str[6];
    DWORD len[6];
};

static void init_pointers(URL_COMPONENTS *uc)
{
    memset(uc, 0, sizeof(*uc));
    uc->dwStructSize = sizeof(*uc);
    uc->dwSchemeLength = uc->dwHostNameLength = uc->dwUserNameLength = 1;
    uc->dwPasswordLength = uc->dwUrlPathLength = uc->dwExtraInfoLength = ~0u;
}

static void get_parts(const URL_COMPONENTS *uc, struct parts *p)
{
    p->scheme = uc->nScheme;
    p->port = uc->nPort;
    p->str[0] = uc->lpszScheme;   p->len[0] = uc->dwSchemeLength;
    p->str[1] = uc->lpszHostName; p->len[1] = uc->dwHostNameLength;
    p->str[2] = uc->lpszUserName; p->len[2] = uc->dwUserNameLength;
    p->str[3] = uc->lpszPassword; p->len[3] = uc->dwPasswordLength;
    p->str[4] = uc->lpszUrlPath;  p->len[4] = uc->dwUrlPathLength;
    p->str[5] = uc->lpszExtraInfo; p->len[5] = uc->dwExtraInfoLength;
}

static BOOL same_span(const WCHAR *a, DWORD alen, const WCHAR *b, DWORD blen)
{
    if (!a || !b) return !a && !b;
    return alen == blen && !memcmp(a, b, alen * sizeof(WCHAR));
}

/* Pointer mode: every pointer inside url[0..n]. */
static BOOL crack_pointers(const WCHAR *url, DWORD len, DWORD n, DWORD flags, struct parts *p)
{
    URL_COMPONENTS uc;
    int i;

    init_pointers(&uc);
    if (!WinHttpCrackUrl(url, len, flags, &uc))
    {
        DWORD err = GetLastError();
        CHECK(err == ERROR_WINHTTP_INVALID_URL || err == ERROR_WINHTTP_UNRECOGNIZED_SCHEME ||
              (err == ERROR_INVALID_PARAMETER && (flags & (ICU_DECODE | ICU_ESCAPE))));
        return FALSE;
    }
    CHECK(!(flags & (ICU_DECODE | ICU_ESCAPE)));
    CHECK(GetLastError() == ERROR_SUCCESS);
    get_parts(&uc, p);
    CHECK(p->scheme == INTERNET_SCHEME_HTTP || p->scheme == INTERNET_SCHEME_HTTPS);
    for (i = 0; i < 6; i++)
    {
        if (!p->str[i]) CHECK((i == 2 || i == 3) && !p->len[i]);
        else CHECK(p->str[i] >= url && p->str[i] + p->len[i] <= url + n);
    }
    return TRUE;
}

/* Buffer mode with buffers of size characters; when too small, again
 * with the lengths reported, which must then suffice. */
static void crack_buffers(const WCHAR *url, DWORD len, DWORD flags, DWORD size)
{
    URL_COMPONENTS uc;
    WCHAR *bufs[6];
    DWORD *lens[6], need[6];
    BOOL ret;
    int i;

    memset(&uc, 0, sizeof(uc));
    uc.dwStructSize = sizeof(uc);
    lens[0] = &uc.dwSchemeLength; lens[1] = &uc.dwHostNameLength; lens[2] = &uc.dwUserNameLength;
    lens[3] = &uc.dwPasswordLength; lens[4] = &uc.dwUrlPathLength; lens[5] = &uc.dwExtraInfoLength;
    for (i = 0; i < 6; i++)
    {
        bufs[i] = malloc(size * sizeof(WCHAR));
        *lens[i] = size;
    }
    uc.lpszScheme = bufs[0]; uc.lpszHostName = bufs[1]; uc.lpszUserName = bufs[2];
    uc.lpszPassword = bufs[3]; uc.lpszUrlPath = bufs[4]; uc.lpszExtraInfo = bufs[5];

    ret = WinHttpCrackUrl(url, len, flags, &uc);
    if (!ret && GetLastError() == ERROR_INSUFFICIENT_BUFFER)
    {
        for (i = 0; i < 6; i++)
        {
            need[i] = *lens[i] > size ? *lens[i] : size;
            CHECK(need[i] < 16 * 65536);
            free(bufs[i]);
            bufs[i] = malloc(need[i] * sizeof(WCHAR));
            *lens[i] = need[i];
        }
        uc.lpszScheme = bufs[0]; uc.lpszHostName = bufs[1]; uc.lpszUserName = bufs[2];
        uc.lpszPassword = bufs[3]; uc.lpszUrlPath = bufs[4]; uc.lpszExtraInfo = bufs[5];
        CHECK(WinHttpCrackUrl(url, len, flags, &uc));
        for (i = 0; i < 6; i++) CHECK(*lens[i] < need[i] && !bufs[i][*lens[i]]);
    }
    else if (ret)
        for (i = 0; i < 6; i++) CHECK(*lens[i] < size && !bufs[i][*lens[i]]);
    else
        CHECK(GetLastError() == ERROR_WINHTTP_INVALID_URL || GetLastError() == ERROR_WINHTTP_UNRECOGNIZED_SCHEME);
    for (i = 0; i < 6; i++) free(bufs[i]);
}

/* ------------------------------------------------------------------ */
/* Creating                                                             */

static int all_ascii(const WCHAR *s, DWORD len)
{
    DWORD i;
    for (i = 0; s && i < len; i++) if (s[i] >= 0x80) return 0;
    return 1;
}

/* Creates a URL from cracked parts (empty present parts as "", so that
 * the zero length does not mean NUL-terminated), checks the reported
 * lengths, and returns it (malloc'ed). */
static WCHAR *create(const struct parts *p, DWORD flags)
{
    URL_COMPONENTS uc;
    WCHAR *url;
    DWORD len = 0, need;
    const WCHAR *s[6];
    int i;

    for (i = 0; i < 6; i++) s[i] = p->str[i] && !p->len[i] ? empty : p->str[i];
    memset(&uc, 0, sizeof(uc));
    uc.dwStructSize = sizeof(uc);
    uc.nScheme = p->scheme;
    uc.nPort = p->port;
    uc.lpszScheme = (WCHAR *)s[0];   uc.dwSchemeLength = p->len[0];
    uc.lpszHostName = (WCHAR *)s[1]; uc.dwHostNameLength = p->len[1];
    uc.lpszUserName = (WCHAR *)s[2]; uc.dwUserNameLength = p->len[2];
    uc.lpszPassword = (WCHAR *)s[3]; uc.dwPasswordLength = p->len[3];
    uc.lpszUrlPath = (WCHAR *)s[4];  uc.dwUrlPathLength = p->len[4];
    uc.lpszExtraInfo = (WCHAR *)s[5]; uc.dwExtraInfoLength = p->len[5];

    if (WinHttpCreateUrl(&uc, flags, NULL, &len))
        CHECK(0);
    if (GetLastError() == ERROR_WINHTTP_INVALID_URL)
    {
        CHECK((flags & ICU_REJECT_USERPWD) && (s[2] || s[3]));
        return NULL;
    }
    /* ICU_ESCAPE escapes ASCII only: a path or extra beyond it is refused. */
    if (GetLastError() == ERROR_INVALID_PARAMETER)
    {
        CHECK((flags & ICU_ESCAPE) && !(all_ascii(s[4], p->len[4]) && all_ascii(s[5], p->len[5])));
        return NULL;
    }
    CHECK(GetLastError() == ERROR_INSUFFICIENT_BUFFER && len > 0);
    need = len;
    url = malloc(need * sizeof(WCHAR));
    len = need - 1;
    CHECK(!WinHttpCreateUrl(&uc, flags, url, &len) && GetLastError() == ERROR_INSUFFICIENT_BUFFER && len == need);
    CHECK(WinHttpCreateUrl(&uc, flags, url, &len));
    CHECK(len == need - 1 && !url[len] && wlen(url) == len);
    return url;
}

/* The created URL cracks to the same parts, the port aside (a default
 * or zero port is left out).  The one URL that cannot crack again is
 * "scheme://" alone, from an authority of ":" or ":0". */
static void check_round_trip(const struct parts *p, const WCHAR *url)
{
    struct parts again;
    int i;

    if (!crack_pointers(url, 0, wlen(url), 0, &again))
    {
        CHECK(wlen(url) == p->len[0] + 3);
        return;
    }
    CHECK(again.scheme == p->scheme);
    for (i = 0; i < 6; i++) CHECK(same_span(again.str[i], again.len[i], p->str[i], p->len[i]));
    if (p->port && p->port != (p->scheme == INTERNET_SCHEME_HTTPS ? 443 : 80)) CHECK(again.port == p->port);
}

/* url_crack agrees with WinHttpCrackUrl. */
static void check_url_crack(const WCHAR *url, const struct parts *p)
{
    struct url_parts up;
    DWORD plen;

    CHECK(url_crack(url, 0, &up));
    CHECK(up.scheme == p->scheme && up.port == p->port);
    CHECK(same_span(up.host, wlen(up.host), p->str[1], p->len[1]));
    CHECK(same_span(up.user, up.user ? wlen(up.user) : 0, p->str[2], p->len[2]));
    CHECK(same_span(up.password, up.password ? wlen(up.password) : 0, p->str[3], p->len[3]));
    plen = wlen(up.path);
    CHECK(plen && up.path[0] == '/');
    CHECK(!up.fragment || up.fragment[0] == '#');
    url_parts_free(&up);
}

/* ------------------------------------------------------------------ */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const DWORD flag_bits[] = { ICU_DECODE, ICU_ESCAPE, ICU_REJECT_USERPWD };
    DWORD n = size / 2, i, flags, small = size ? data[0] % 8 + 1 : 1;
    WCHAR *exact, *terminated;
    struct parts p;
    int combo, b;

    exact = malloc(n * sizeof(WCHAR) + 1);
    memcpy(exact, data, n * sizeof(WCHAR));
    terminated = malloc((n + 1) * sizeof(WCHAR));
    memcpy(terminated, data, n * sizeof(WCHAR));
    terminated[n] = 0;

    for (combo = 0; combo < 8; combo++)
    {
        for (flags = 0, b = 0; b < 3; b++) if (combo & (1 << b)) flags |= flag_bits[b];
        if (n) crack_pointers(exact, n, n, flags, &p);
        crack_pointers(terminated, 0, wlen(terminated), flags, &p);
        if (n) crack_buffers(exact, n, flags, small);
        crack_buffers(terminated, 0, flags, small);
        crack_buffers(terminated, 0, flags, 300);
    }

    if (crack_pointers(terminated, 0, wlen(terminated), 0, &p))
    {
        WCHAR *url;
        check_url_crack(terminated, &p);
        if ((url = create(&p, 0)))
        {
            check_round_trip(&p, url);
            free(url);
        }
        free(create(&p, ICU_ESCAPE));
        free(create(&p, ICU_REJECT_USERPWD));
    }

    /* Resolve the second half against the first, and against a fixed base. */
    for (i = 0; i < n && terminated[i]; i++) ;
    if (i < n)
    {
        WCHAR *r = url_resolve(terminated, terminated + i + 1);
        free(r);
    }
    {
        static const WCHAR base[] = {'h','t','t','p',':','/','/','a','/','b','/','c','?','q',0};
        free(url_resolve(base, terminated));
    }

    free(exact);
    free(terminated);
    return 0;
}
