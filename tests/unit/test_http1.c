/*
 * Unit tests of the HTTP/1.x response head parser and body framing (http1.c),
 * written against RFC 9112.
 */
// unit-sources: dlls/winhttp/http1.c
#include <stdlib.h>
#include <string.h>

#include "http1.h"
#include "unit.h"

static struct http1_header hdrs[64];

/* Parse s in one go with room for 64 headers and an 8 KiB limit. */
static int parse(const char *s, struct http1_response *r)
{
    http1_response_init(r, hdrs, 64);
    return http1_parse_response_head(s, strlen(s), 8192, r);
}

/* Parse s fed one byte more at a time (from a fresh copy each call, so
 * nothing past len is ever readable); returns the first non-NEED_MORE result
 * and the length at which it came, or NEED_MORE. */
static int parse_bytewise(const char *s, struct http1_response *r, size_t max, size_t *at)
{
    size_t len, total = strlen(s);
    int ret = HTTP1_NEED_MORE;

    http1_response_init(r, hdrs, 64);
    for (len = 0; len <= total; len++)
    {
        char *copy = malloc(len ? len : 1);
        memcpy(copy, s, len);
        ret = http1_parse_response_head(copy, len, max, r);
        if (ret == HTTP1_OK)
        {
            /* results point into copy: check them before it goes */
            static char keep[16384];
            memcpy(keep, copy, len);
            r->reason = keep + (r->reason - copy);
            for (size_t i = 0; i < r->header_count; i++)
            {
                r->headers[i].name = keep + (r->headers[i].name - copy);
                r->headers[i].value = keep + (r->headers[i].value - copy);
            }
        }
        free(copy);
        if (ret != HTTP1_NEED_MORE) break;
    }
    if (at) *at = len;
    return ret;
}

static void test_status_line(void)
{
    struct http1_response r;
    const char *s = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\nbody";

    ok_int(parse(s, &r), HTTP1_OK);
    ok_int(r.version_major, 1);
    ok_int(r.version_minor, 1);
    ok_int(r.status, 200);
    ok_mem(r.reason, r.reason_len, "OK");
    ok_int(r.head_len, strlen(s) - 4);
    ok_int(r.header_count, 1);

    ok_int(parse("HTTP/1.0 404 Not Found\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.version_minor, 0);
    ok_int(r.status, 404);
    ok_mem(r.reason, r.reason_len, "Not Found");
    ok_int(r.header_count, 0);

    /* reason phrase with spaces, tabs and obs-text kept as sent */
    ok_int(parse("HTTP/1.1 500 Internal\tServer \xe9rror\r\n\r\n", &r), HTTP1_OK);
    ok_mem(r.reason, r.reason_len, "Internal\tServer \xe9rror");
    /* trailing whitespace trimmed */
    ok_int(parse("HTTP/1.1 200 OK  \r\n\r\n", &r), HTTP1_OK);
    ok_mem(r.reason, r.reason_len, "OK");
    /* other control characters are kept (RFC 9110 §5.5 allows it) */
    ok_int(parse("HTTP/1.1 200 O\x01K\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.reason_len, 3);
    /* a higher minor version is compatible (RFC 9110 §2.5) */
    ok_int(parse("HTTP/1.2 200 OK\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.version_minor, 2);
    ok_int(parse("HTTP/1.1 999 Whatever\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.status, 999);
    ok_int(parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.status, 100);
    ok_int(r.head_len, 25);
    /* several spaces between version and code are tolerated */
    ok_int(parse("HTTP/1.1  200 OK\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.status, 200);
}

static void test_reason_missing(void)
{
    struct http1_response r;

    ok_int(parse("HTTP/1.1 200\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.status, 200);
    ok_int(r.reason_len, 0);
    ok_int(parse("HTTP/1.1 204 \r\n\r\n", &r), HTTP1_OK);
    ok_int(r.status, 204);
    ok_int(r.reason_len, 0);
    ok_int(parse("HTTP/1.1 301\r\nLocation: /x\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.header_count, 1);
}

static void test_status_line_invalid(void)
{
    static const char *bad[] =
    {
        "HTTP/2.0 200 OK\r\n\r\n",
        "HTTP/0.9 200 OK\r\n\r\n",
        "HTTP/1 200 OK\r\n\r\n",
        "HTTP/1.x 200 OK\r\n\r\n",
        "HTTP/11.1 200 OK\r\n\r\n",
        "HTTP/1.10 200 OK\r\n\r\n",
        "http/1.1 200 OK\r\n\r\n",
        "HTTPS/1.1 200 OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1\r\n\r\n",
        "HTTP/1.1 \r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1 -20 OK\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1\t200 OK\r\n\r\n",
        " HTTP/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\rX\r\n\r\n",
        "<html>hello</html>\r\n\r\n",
        "\r\n",
    };
    struct http1_response r;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    {
        int ret = parse(bad[i], &r);
        ok(ret == HTTP1_ERR_INVALID || (i == sizeof(bad) / sizeof(bad[0]) - 1 && ret == HTTP1_NEED_MORE),
           "case %zu \"%s\": got %d", i, bad[i], ret);
    }
}

static void test_early_invalid(void)
{
    struct http1_response r;

    /* a peer that does not speak HTTP is told at its first wrong byte */
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head("HT", 2, 8192, &r), HTTP1_NEED_MORE);
    ok_int(http1_parse_response_head("HTX", 3, 8192, &r), HTTP1_ERR_INVALID);
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head("SSH-2.0-OpenSSH", 15, 8192, &r), HTTP1_ERR_INVALID);
    /* a bad status line is reported when it completes, before the head does */
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head("HTTP/1.1 2000 OK\r\n", 18, 8192, &r), HTTP1_ERR_INVALID);
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head("HTTP/1.1 200 OK\r\n", 17, 8192, &r), HTTP1_NEED_MORE);
}

static void test_need_more(void)
{
    struct http1_response r;
    const char *s = "HTTP/1.1 200 OK\r\nA: b\r\n\r\n";
    size_t n = strlen(s), i;

    for (i = 0; i < n; i++)
    {
        http1_response_init(&r, hdrs, 64);
        ok(http1_parse_response_head(s, i, 8192, &r) == HTTP1_NEED_MORE, "prefix %zu", i);
    }
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head(s, n, 8192, &r), HTTP1_OK);
}

static void test_bytewise(void)
{
    struct http1_response r;
    const char *s = "\r\nHTTP/1.1 302 Found\r\nLocation: http://x/\r\nSet-Cookie: a=b\r\n"
                    "X-Folded: one\r\n  two\r\nEmpty:\r\n\r\nBODY";
    size_t at;

    ok_int(parse_bytewise(s, &r, 8192, &at), HTTP1_OK);
    ok_int(at, strlen(s) - 4);
    ok_int(r.head_len, strlen(s) - 4);
    ok_int(r.status, 302);
    ok_mem(r.reason, r.reason_len, "Found");
    ok_int(r.header_count, 4);
    ok_mem(r.headers[0].name, r.headers[0].name_len, "Location");
    ok_mem(r.headers[0].value, r.headers[0].value_len, "http://x/");
    ok_mem(r.headers[1].value, r.headers[1].value_len, "a=b");
    ok_int(r.headers[2].folded, 1);
    ok_mem(r.headers[3].name, r.headers[3].name_len, "Empty");
    ok_int(r.headers[3].value_len, 0);

    /* errors are found the same way byte by byte */
    ok_int(parse_bytewise("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", &r, 8192, NULL), HTTP1_ERR_INVALID);
    ok_int(parse_bytewise("HTTP/1.1 200 OK\r\nA: \0\r\n\r\n", &r, 8192, NULL), HTTP1_NEED_MORE); /* strlen stops at NUL */
}

static void test_headers(void)
{
    struct http1_response r;

    ok_int(parse("HTTP/1.1 200 OK\r\nContent-Length:  42  \r\nX-A:\tv\t\r\nX-B:v\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.header_count, 3);
    ok_mem(r.headers[0].name, r.headers[0].name_len, "Content-Length");
    ok_mem(r.headers[0].value, r.headers[0].value_len, "42");
    ok_mem(r.headers[1].value, r.headers[1].value_len, "v");
    ok_mem(r.headers[2].value, r.headers[2].value_len, "v");
    ok_int(r.headers[0].folded, 0);
    /* inner whitespace kept, colons in values fine */
    ok_int(parse("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n", &r), HTTP1_OK);
    ok_mem(r.headers[0].value, r.headers[0].value_len, "Sun, 06 Nov 1994 08:49:37 GMT");
    /* every tchar is allowed in a name */
    ok_int(parse("HTTP/1.1 200 OK\r\n!#$%&'*+-.^_`|~09azAZ: x\r\n\r\n", &r), HTTP1_OK);
    ok_mem(r.headers[0].name, r.headers[0].name_len, "!#$%&'*+-.^_`|~09azAZ");
    /* obs-text and other CTLs than NUL/CR/LF in values are kept */
    ok_int(parse("HTTP/1.1 200 OK\r\nX: \xc3\xa9\x7f\x01\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.headers[0].value_len, 4);
    /* empty value, whitespace-only value */
    ok_int(parse("HTTP/1.1 200 OK\r\nX:\r\nY:   \r\n\r\n", &r), HTTP1_OK);
    ok_int(r.header_count, 2);
    ok_int(r.headers[0].value_len, 0);
    ok_int(r.headers[1].value_len, 0);
    /* duplicates are all kept, in order */
    ok_int(parse("HTTP/1.1 200 OK\r\nSet-Cookie: a\r\nset-cookie: b\r\n\r\n", &r), HTTP1_OK);
    ok_int(http1_find_header(&r, "SET-COOKIE", 0), 0);
    ok_int(http1_find_header(&r, "Set-Cookie", 1), 1);
    ok_int(http1_find_header(&r, "Set-Cookie", 2), -1);
    ok_int(http1_find_header(&r, "Set-Cooki", 0), -1);
    ok_int(http1_find_header(&r, "Set-Cookies", 0), -1);
}

static void test_headers_invalid(void)
{
    static const char *bad[] =
    {
        "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nName : space before colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nName\t: tab before colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad\"Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad(Name): x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nN\xe9: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\n first line folded\r\nA: b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\r\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\r\n\r\r\n",
    };
    struct http1_response r;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ok(parse(bad[i], &r) == HTTP1_ERR_INVALID, "case %zu \"%s\"", i, bad[i]);
}

static void test_nul_bytes(void)
{
    static const char heads[][40] =
    {
        "\0TTP/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 200 O\0K\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA\0: b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\r\n\0\r\n",
    };
    static const size_t lens[] = {19, 20, 25, 26, 25};
    struct http1_response r;
    size_t i;

    for (i = 0; i < 5; i++)
    {
        http1_response_init(&r, hdrs, 64);
        ok(http1_parse_response_head(heads[i], lens[i], 8192, &r) == HTTP1_ERR_INVALID, "case %zu", i);
    }
    /* a NUL after the head is the body's business */
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head("HTTP/1.1 200 OK\r\n\r\n\0", 20, 8192, &r), HTTP1_OK);
    ok_int(r.head_len, 19);
}

static void test_bare_lf(void)
{
    struct http1_response r;

    ok_int(parse("HTTP/1.1 200 OK\nA: b\nC:  d \n\nbody", &r), HTTP1_OK);
    ok_int(r.head_len, 29);
    ok_int(r.header_count, 2);
    ok_mem(r.reason, r.reason_len, "OK");
    ok_mem(r.headers[1].value, r.headers[1].value_len, "d");
    /* mixed line ends */
    ok_int(parse("HTTP/1.0 200 OK\r\nA: b\n\r\n", &r), HTTP1_OK);
    ok_int(r.head_len, 24);
    ok_mem(r.headers[0].value, r.headers[0].value_len, "b");
    ok_int(parse("HTTP/1.0 200 OK\nA: b\r\n\n", &r), HTTP1_OK);
    ok_int(r.head_len, 23);
    ok_int(parse("HTTP/1.1 204\n\n", &r), HTTP1_OK);
    ok_int(r.head_len, 14);
    ok_int(r.reason_len, 0);
}

static void test_leading_empty_lines(void)
{
    struct http1_response r;

    /* RFC 9112 §2.2 robustness: a stray CRLF after a previous body */
    ok_int(parse("\r\nHTTP/1.1 200 OK\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.head_len, 21);
    ok_int(r.status, 200);
    ok_int(parse("\n\r\n\nHTTP/1.1 200 OK\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.head_len, 23);
}

static void test_obs_fold(void)
{
    struct http1_response r;
    char buf[64];
    size_t n;

    ok_int(parse("HTTP/1.1 200 OK\r\nX-Long: first\r\n  second \r\n\tthird\r\nNext: n\r\n\r\n", &r), HTTP1_OK);
    ok_int(r.header_count, 2);
    ok_int(r.headers[0].folded, 1);
    n = http1_unfold(r.headers[0].value, r.headers[0].value_len, buf);
    ok_mem(buf, n, "first second third");
    ok_mem(r.headers[1].value, r.headers[1].value_len, "n");
    ok_int(r.headers[1].folded, 0);
    /* fold after an empty start, bare LF folds, whitespace before the fold */
    ok_int(parse("HTTP/1.1 200 OK\nX:\n value \n\tmore\n\n", &r), HTTP1_OK);
    n = http1_unfold(r.headers[0].value, r.headers[0].value_len, buf);
    ok_mem(buf, n, "value more");
    /* a whitespace-only continuation line adds nothing */
    ok_int(parse("HTTP/1.1 200 OK\r\nX: a\r\n   \r\n\r\n", &r), HTTP1_OK);
    ok_mem(r.headers[0].value, r.headers[0].value_len, "a");
    /* unfolding an ordinary value copies it */
    n = http1_unfold("plain value", 11, buf);
    ok_mem(buf, n, "plain value");
    /* folded list values parse as lists */
    ok_int(parse("HTTP/1.1 200 OK\r\nConnection: keep-alive,\r\n close\r\n\r\n", &r), HTTP1_OK);
    ok_int(http1_list_has_token(r.headers[0].value, r.headers[0].value_len, "close"), 1);
}

static void test_too_large(void)
{
    struct http1_response r;
    const char *s = "HTTP/1.1 200 OK\r\nA: b\r\n\r\n"; /* 25 bytes */
    struct http1_header two[2];
    char *big;
    size_t at, i;
    int ret;

    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head(s, 25, 25, &r), HTTP1_OK);
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head(s, 25, 24, &r), HTTP1_ERR_TOO_LARGE);
    /* reported as soon as the limit is reached, without the end in sight */
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head(s, 10, 10, &r), HTTP1_ERR_TOO_LARGE);
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head(s, 9, 10, &r), HTTP1_NEED_MORE);
    ok_int(parse_bytewise(s, &r, 24, &at), HTTP1_ERR_TOO_LARGE);
    ok_int(at, 24);
    /* CR as the last byte within the limit: the LF would be past it */
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head(s, 25, 23, &r), HTTP1_ERR_TOO_LARGE);

    /* an endless header stream is cut off at the limit */
    big = malloc(100000);
    strcpy(big, "HTTP/1.1 200 OK\r\n");
    for (i = strlen(big); i + 8 < 100000; i += 8) memcpy(big + i, "X: yyy\r\n", 8);
    http1_response_init(&r, hdrs, 64);
    ok_int(http1_parse_response_head(big, 65536, 65536, &r), HTTP1_ERR_TOO_LARGE);
    /* ... and when fed in pieces, at the piece that reaches it */
    http1_response_init(&r, hdrs, 64);
    for (i = 1000; i < 100000; i += 1000)
        if ((ret = http1_parse_response_head(big, i, 65536, &r)) != HTTP1_NEED_MORE) break;
    ok_int(i, 66000);
    ok_int(ret, HTTP1_ERR_TOO_LARGE);
    free(big);

    /* more field lines than the caller has room for */
    http1_response_init(&r, two, 2);
    ok_int(http1_parse_response_head("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n", 31, 8192, &r), HTTP1_OK);
    ok_int(r.header_count, 2);
    http1_response_init(&r, two, 2);
    ok_int(http1_parse_response_head("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 37, 8192, &r), HTTP1_ERR_TOO_LARGE);
    http1_response_init(&r, NULL, 0);
    ok_int(http1_parse_response_head("HTTP/1.1 200 OK\r\n\r\n", 19, 8192, &r), HTTP1_OK);
    http1_response_init(&r, NULL, 5);
    ok_int(http1_parse_response_head("HTTP/1.1 200 OK\r\nA: 1\r\n\r\n", 25, 8192, &r), HTTP1_ERR_TOO_LARGE);
}

static void test_list_tokens(void)
{
    ok_int(http1_list_has_token("close", 5, "close"), 1);
    ok_int(http1_list_has_token("Close", 5, "close"), 1);
    ok_int(http1_list_has_token("Keep-Alive, Upgrade", 19, "upgrade"), 1);
    ok_int(http1_list_has_token("Keep-Alive, Upgrade", 19, "keep-alive"), 1);
    ok_int(http1_list_has_token(" ,, close ,", 11, "close"), 1);
    ok_int(http1_list_has_token("closed", 6, "close"), 0);
    ok_int(http1_list_has_token("clos", 4, "close"), 0);
    ok_int(http1_list_has_token("not-close", 9, "close"), 0);
    ok_int(http1_list_has_token("", 0, "close"), 0);
    ok_int(http1_list_has_token("close", 3, "close"), 0);
}

/* Framing of the response head s to a request with method. */
static int framing(const char *method, const char *s, struct http1_framing *f)
{
    struct http1_response r;
    int ret = parse(s, &r);
    if (ret != HTTP1_OK) return 100 + ret;
    return http1_body_framing(method, r.status, &r, f);
}

static void test_framing_no_body(void)
{
    struct http1_framing f;

    ok_int(framing("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_NONE);
    ok_int(f.keep_alive, 1);
    ok_int(framing("HEAD", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_NONE);
    ok_int(framing("GET", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_NONE);
    ok_int(framing("GET", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_NONE);
    ok_int(f.keep_alive, 1);
    ok_int(framing("GET", "HTTP/1.1 100 Continue\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_NONE);
    ok_int(framing("POST", "HTTP/1.1 199 Whatever\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_NONE);
    /* no-body responses ignore even a broken Content-Length */
    ok_int(framing("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_NONE);
    /* methods are case-sensitive: "head" is not HEAD */
    ok_int(framing("head", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_LENGTH);
    /* 205 has no special case in RFC 9112 §6.3 */
    ok_int(framing("GET", "HTTP/1.1 205 Reset\r\nContent-Length: 0\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_LENGTH);
    ok_int(f.content_length, 0);
}

static void test_framing_connect(void)
{
    struct http1_framing f;

    ok_int(framing("CONNECT", "HTTP/1.1 200 Connection established\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_TUNNEL);
    ok_int(f.keep_alive, 0);
    ok_int(framing("CONNECT", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_TUNNEL);
    /* after 101 the connection speaks another protocol (WebSocket) */
    ok_int(framing("GET", "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_TUNNEL);
    ok_int(f.keep_alive, 0);
    /* a refused CONNECT has an ordinary body */
    ok_int(framing("CONNECT", "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 10\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_LENGTH);
    ok_int(f.content_length, 10);
    ok_int(f.keep_alive, 1);
}

static void test_framing_chunked(void)
{
    struct http1_framing f;

    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CHUNKED);
    ok_int(f.keep_alive, 1);
    ok_int(f.te_other, 0);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CHUNKED);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CHUNKED);
    ok_int(f.te_other, 1);
    /* several lines make one list */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CHUNKED);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CLOSE);
    ok_int(f.keep_alive, 0);
    /* chunked not last: read until close (RFC 9112 §6.3 rule 4) */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CLOSE);
    ok_int(f.keep_alive, 0);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CLOSE);
    ok_int(f.te_other, 1);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CLOSE);
    /* chunked twice is invalid (RFC 9112 §6.1) */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", &f), HTTP1_ERR_INVALID);
    /* an empty Transfer-Encoding */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n", &f), HTTP1_ERR_INVALID);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: ,\r\n\r\n", &f), HTTP1_ERR_INVALID);
    /* empty list elements are ignored */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: , chunked ,\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CHUNKED);
    /* "chunkedx" is another coding */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedx\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CLOSE);
    /* HTTP/1.0 with Transfer-Encoding: decoded, never reused (RFC 9112 §6.1) */
    ok_int(framing("GET", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CHUNKED);
    ok_int(f.keep_alive, 0);
}

static void test_framing_te_and_cl(void)
{
    struct http1_framing f;

    /* rule 3: Transfer-Encoding wins, the connection is not reused */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CHUNKED);
    ok_int(f.te_and_cl, 1);
    ok_int(f.keep_alive, 0);
    /* ... even when the Content-Length is garbage or conflicting */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: x\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CHUNKED);
    ok_int(f.keep_alive, 0);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CHUNKED);
}

static void test_framing_content_length(void)
{
    struct http1_framing f;

    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 12345\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_LENGTH);
    ok_int(f.content_length, 12345);
    ok_int(f.keep_alive, 1);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_LENGTH);
    ok_int(f.content_length, 0);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 007\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.content_length, 7);
    /* identical duplicates, on one line or several (RFC 9110 §8.6) */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 42, 42\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.content_length, 42);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 42\r\nContent-Length: 42\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.content_length, 42);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 42\r\nContent-Length: 042\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.content_length, 42);
    /* the largest 64-bit value */
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n", &f), HTTP1_OK);
    ok(f.content_length == UINT64_MAX, "got %llu", (unsigned long long)f.content_length);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 4294967296\r\n\r\n", &f), HTTP1_OK);
    ok(f.content_length == 4294967296ULL, "got %llu", (unsigned long long)f.content_length);
}

static void test_framing_content_length_invalid(void)
{
    static const char *bad[] =
    {
        "Content-Length: 42\r\nContent-Length: 43",
        "Content-Length: 42, 43",
        "Content-Length: 42,",
        "Content-Length: ,42",
        "Content-Length:",
        "Content-Length: -1",
        "Content-Length: +1",
        "Content-Length: 1 2",
        "Content-Length: 0x10",
        "Content-Length: 1.0",
        "Content-Length: 12abc",
        "Content-Length: 18446744073709551616",
        "Content-Length: 99999999999999999999999",
        "Content-Length: 42\r\nContent-Length: ",
    };
    struct http1_framing f;
    char head[256];
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    {
        snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n%s\r\n\r\n", bad[i]);
        ok(framing("GET", head, &f) == HTTP1_ERR_INVALID, "case %zu \"%s\"", i, bad[i]);
    }
}

static void test_framing_close_delimited(void)
{
    struct http1_framing f;

    ok_int(framing("GET", "HTTP/1.1 200 OK\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CLOSE);
    ok_int(f.keep_alive, 0);
    ok_int(framing("GET", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CLOSE);
    ok_int(f.keep_alive, 0);
    ok_int(framing(NULL, "HTTP/1.1 500 Oops\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.body, HTTP1_BODY_CLOSE);
}

static void test_keep_alive(void)
{
    struct http1_framing f;

    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 1);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 0);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: Upgrade, CLOSE\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 0);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 0);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: closed\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 1);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nX-Connection: close\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 1);
    ok_int(framing("GET", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 0);
    ok_int(framing("GET", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: Keep-Alive\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 1);
    ok_int(framing("GET", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive, close\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 0);
    ok_int(framing("GET", "HTTP/1.0 204 No Content\r\nConnection: keep-alive\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 1);
    ok_int(framing("GET", "HTTP/1.0 304 Not Modified\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 0);
    ok_int(framing("HEAD", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 0);
    ok_int(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", &f), HTTP1_OK);
    ok_int(f.keep_alive, 0);
}

int main(void)
{
    run_test(test_status_line);
    run_test(test_reason_missing);
    run_test(test_status_line_invalid);
    run_test(test_early_invalid);
    run_test(test_need_more);
    run_test(test_bytewise);
    run_test(test_headers);
    run_test(test_headers_invalid);
    run_test(test_nul_bytes);
    run_test(test_bare_lf);
    run_test(test_leading_empty_lines);
    run_test(test_obs_fold);
    run_test(test_too_large);
    run_test(test_list_tokens);
    run_test(test_framing_no_body);
    run_test(test_framing_connect);
    run_test(test_framing_chunked);
    run_test(test_framing_te_and_cl);
    run_test(test_framing_content_length);
    run_test(test_framing_content_length_invalid);
    run_test(test_framing_close_delimited);
    run_test(test_keep_alive);
    return unit_summary();
}
