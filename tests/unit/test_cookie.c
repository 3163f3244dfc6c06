/*
 * Unit tests of the cookie store (cookie_core.c), written against RFC 6265.
 */
// unit-sources: dlls/winhttp/cookie_core.c
#include <stdlib.h>
#include <string.h>

#include "cookie_core.h"
#include "unit.h"

/* 2024-01-01T00:00:00Z */
#define NOW ((int64_t)1704067200)

static struct cookie_core *jar;

static int set(const char *host, const char *path, const char *set_cookie)
{
    return cookie_core_set(jar, host, path, 0, set_cookie, strlen(set_cookie), NOW);
}

static int set_at(const char *host, const char *path, int secure, const char *set_cookie, int64_t now)
{
    return cookie_core_set(jar, host, path, secure, set_cookie, strlen(set_cookie), now);
}

/* The Cookie header for http(s)://host/path, "" when there is none. */
static const char *header_at(const char *host, const char *path, int secure, int64_t now)
{
    static char buf[8192];
    char *h = cookie_core_header(jar, host, path, secure, now);
    strcpy(buf, h ? h : "");
    free(h);
    return buf;
}

static const char *header(const char *host, const char *path)
{
    return header_at(host, path, 0, NOW);
}

#define ok_str(got, expect) do { const char *g_ = (got), *e_ = (expect); \
    unit_report(!strcmp(g_, e_), __FILE__, __LINE__, "%s: expected \"%s\", got \"%s\"", #got, e_, g_); } while (0)

static void fresh(void)
{
    cookie_core_free(jar);
    jar = cookie_core_create();
}

/* ------------------------------------------------------------------ */

static void test_date_formats(void)
{
    int64_t t;

    ok(cookie_parse_date("Sun, 06 Nov 1994 08:49:37 GMT", 29, &t), "IMF-fixdate\n");
    ok_int(t, 784111777);
    ok(cookie_parse_date("Sunday, 06-Nov-94 08:49:37 GMT", 30, &t), "RFC 850\n");
    ok_int(t, 784111777);
    ok(cookie_parse_date("Sun Nov  6 08:49:37 1994", 24, &t), "asctime\n");
    ok_int(t, 784111777);
    ok(cookie_parse_date("Wed, 01-Jan-2070 00:00:01 GMT", 29, &t), "2070\n");
    ok_int(t, 3155760001LL);
    ok(cookie_parse_date("1 jan 00 00:00:00", 17, &t), "two-digit year 00 is 2000\n");
    ok_int(t, 946684800);
    ok(cookie_parse_date("Thu, 01 Jan 1970 00:00:00 GMT", 29, &t), "epoch\n");
    ok_int(t, 0);
}

static void test_date_invalid(void)
{
    static const char *const bad[] =
    {
        "", "garbage", "Sun, 06 Nov 1994", "06 Nov 1994 25:00:00", "32 Nov 1994 08:49:37", "06 Xyz 1994 08:49:37",
        "30 Feb 2001 00:00:00", "06 Nov 1600 08:49:37", "06 Nov 1994 08:60:00", "0", "-1",
    };
    unsigned int i;
    int64_t t;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ok(!cookie_parse_date(bad[i], strlen(bad[i]), &t), "\"%s\" parsed\n", bad[i]);
}

static void test_domain_match(void)
{
    ok(cookie_domain_match("example.com", "example.com"), "identical\n");
    ok(cookie_domain_match("www.example.com", "example.com"), "subdomain\n");
    ok(cookie_domain_match("a.b.example.com", "example.com"), "deeper subdomain\n");
    ok(!cookie_domain_match("badexample.com", "example.com"), "not at a dot\n");
    ok(!cookie_domain_match("example.com", "www.example.com"), "superdomain\n");
    ok(!cookie_domain_match("1.2.3.4", "2.3.4"), "IP address suffix\n");
    ok(cookie_domain_match("1.2.3.4", "1.2.3.4"), "IP address identical\n");
}

static void test_path_match(void)
{
    ok(cookie_path_match("/", 1, "/"), "root\n");
    ok(cookie_path_match("/a/b", 4, "/"), "root matches all\n");
    ok(cookie_path_match("/a", 2, "/a"), "identical\n");
    ok(cookie_path_match("/a/b", 4, "/a"), "directory\n");
    ok(cookie_path_match("/a/b", 4, "/a/"), "directory with slash\n");
    ok(!cookie_path_match("/ab", 3, "/a"), "not at a slash\n");
    ok(!cookie_path_match("/a", 2, "/a/"), "shorter\n");
    ok(!cookie_path_match("/b", 2, "/a"), "other\n");
}

static void test_host_only(void)
{
    fresh();
    ok_int(set("www.example.com", "/", "a=1"), 1);
    ok_str(header("www.example.com", "/"), "a=1");
    ok_str(header("WWW.Example.COM", "/"), "a=1");
    ok_str(header("sub.www.example.com", "/"), "");
    ok_str(header("example.com", "/"), "");
}

/* §5.2.3: a leading dot is ignored; the cookie then covers subdomains. */
static void test_domain_attribute(void)
{
    fresh();
    ok_int(set("www.example.com", "/", "a=1; Domain=.Example.com"), 1);
    ok_str(header("example.com", "/"), "a=1");
    ok_str(header("www.example.com", "/"), "a=1");
    ok_str(header("x.y.example.com", "/"), "a=1");
    ok_str(header("example.org", "/"), "");
    ok_str(header("notexample.com", "/"), "");
}

/* §5.3 step 6: a Domain the host does not domain-match is refused. */
static void test_domain_foreign_refused(void)
{
    fresh();
    ok_int(set("www.example.com", "/", "a=1; Domain=other.com"), 0);
    ok_int(set("www.example.com", "/", "b=1; Domain=sub.www.example.com"), 0);
    ok_int(set("example.com", "/", "c=1; Domain=com"), 0);
    ok_int((int)cookie_core_count(jar), 0);
    /* A single label equal to the host: host-only. */
    ok_int(set("intranet", "/", "d=1; Domain=intranet"), 1);
    ok_str(header("intranet", "/"), "d=1");
    /* An empty Domain is ignored: host-only again. */
    ok_int(set("www.example.com", "/", "e=1; Domain="), 1);
    ok_str(header("a.www.example.com", "/"), "");
    ok_str(header("www.example.com", "/"), "e=1");
}

/* §5.1.4: the default path is the directory of the request path. */
static void test_default_path(void)
{
    fresh();
    ok_int(set("h.test", "/dir/page?x=/y/z", "a=1"), 1);
    ok_str(header("h.test", "/dir"), "a=1");
    ok_str(header("h.test", "/dir/other"), "a=1");
    ok_str(header("h.test", "/"), "");
    ok_str(header("h.test", "/directory"), "");
    ok_int(set("h.test", "/top", "b=1"), 1);
    ok_str(header("h.test", "/"), "b=1");
    ok_int(set("h.test", "", "c=1"), 1);
    ok_str(header("h.test", "/anything"), "b=1; c=1");
}

static void test_path_attribute(void)
{
    fresh();
    ok_int(set("h.test", "/", "a=1; Path=/docs"), 1);
    ok_str(header("h.test", "/docs"), "a=1");
    ok_str(header("h.test", "/docs/x"), "a=1");
    ok_str(header("h.test", "/docsx"), "");
    ok_str(header("h.test", "/"), "");
    /* Not starting with '/': the default path. */
    ok_int(set("h.test", "/x/y", "b=1; Path=relative"), 1);
    ok_str(header("h.test", "/x/z"), "b=1");
}

/* §5.4: longer paths first, then earlier creation. */
static void test_header_order(void)
{
    fresh();
    ok_int(set("h.test", "/", "root1=1; Path=/"), 1);
    ok_int(set("h.test", "/", "deep=1; Path=/a/b"), 1);
    ok_int(set("h.test", "/", "mid=1; Path=/a"), 1);
    ok_int(set("h.test", "/", "root2=1; Path=/"), 1);
    ok_str(header("h.test", "/a/b/c"), "deep=1; mid=1; root1=1; root2=1");
}

static void test_secure(void)
{
    fresh();
    ok_int(set_at("h.test", "/", 1, "s=1; Secure", NOW), 1);
    ok_int(set_at("h.test", "/", 1, "p=1", NOW), 1);
    ok_str(header_at("h.test", "/", 0, NOW), "p=1");
    ok_str(header_at("h.test", "/", 1, NOW), "s=1; p=1");
}

static void test_http_only_is_sent(void)
{
    fresh();
    ok_int(set("h.test", "/", "h=1; HttpOnly"), 1);
    ok_str(header("h.test", "/"), "h=1");
}

static void test_expires(void)
{
    fresh();
    ok_int(set("h.test", "/", "a=1; Expires=Wed, 01 Jan 2025 00:00:00 GMT"), 1);
    ok_str(header_at("h.test", "/", 0, NOW), "a=1");
    ok_str(header_at("h.test", "/", 0, NOW + 366 * 86400), "");
    ok_int((int)cookie_core_count(jar), 0);   /* purged */
    /* An expiry in the past: not stored. */
    ok_int(set("h.test", "/", "b=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT"), 0);
    /* An unparsable Expires is ignored: a session cookie. */
    ok_int(set("h.test", "/", "c=1; Expires=never"), 1);
    ok_str(header_at("h.test", "/", 0, INT64_MAX - 1), "c=1");
}

/* §5.3 step 3: Max-Age wins over Expires, whatever their order. */
static void test_max_age(void)
{
    fresh();
    ok_int(set("h.test", "/", "a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT"), 1);
    ok_str(header_at("h.test", "/", 0, NOW + 59), "a=1");
    ok_str(header_at("h.test", "/", 0, NOW + 60), "");
    ok_int(set("h.test", "/", "b=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=100"), 1);
    ok_str(header_at("h.test", "/", 0, NOW + 99), "b=1");
    /* Invalid Max-Age values are ignored. */
    ok_int(set("h.test", "/", "c=1; Max-Age=1x"), 1);
    ok_int(set("h.test", "/", "d=1; Max-Age=+5"), 1);
    ok_str(header_at("h.test", "/", 0, NOW + 1000), "c=1; d=1");
    /* A huge one does not overflow into the past. */
    ok_int(set("h.test", "/", "e=1; Max-Age=99999999999999999999999"), 1);
    ok_str(header_at("h.test", "/", 0, NOW + 1000), "c=1; d=1; e=1");
}

static void test_replace_keeps_order(void)
{
    fresh();
    ok_int(set("h.test", "/", "a=1"), 1);
    ok_int(set("h.test", "/", "b=1"), 1);
    ok_int(set("h.test", "/", "a=2"), 1);
    ok_str(header("h.test", "/"), "a=2; b=1");
    ok_int((int)cookie_core_count(jar), 2);
    /* Another path is another cookie. */
    ok_int(set("h.test", "/", "a=3; Path=/p"), 1);
    ok_int((int)cookie_core_count(jar), 3);
    ok_str(header("h.test", "/p"), "a=3; a=2; b=1");
}

static void test_delete_by_expiry(void)
{
    fresh();
    ok_int(set("h.test", "/", "a=1"), 1);
    ok_int(set("h.test", "/", "b=1"), 1);
    ok_int(set("h.test", "/", "a=; Max-Age=0"), 1);
    ok_str(header("h.test", "/"), "b=1");
    ok_int(set("h.test", "/", "b=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT"), 1);
    ok_str(header("h.test", "/"), "");
    ok_int((int)cookie_core_count(jar), 0);
    /* Deleting needs the same domain and path. */
    ok_int(set("www.h.test", "/", "c=1; Domain=h.test"), 1);
    ok_int(set("www.h.test", "/", "c=; Max-Age=-1"), 0);
    ok_str(header("www.h.test", "/"), "c=1");
    ok_int(set("www.h.test", "/", "c=; Max-Age=-1; Domain=h.test"), 1);
    ok_str(header("www.h.test", "/"), "");
}

static void test_parse_name_value(void)
{
    fresh();
    ok_int(set("h.test", "/", "novalue"), 0);
    ok_int(set("h.test", "/", "=nameless"), 0);
    ok_int(set("h.test", "/", "  spaced  =  value with spaces  ; Path=/"), 1);
    ok_int(set("h.test", "/", "empty="), 1);
    ok_int(set("h.test", "/", "eq=a=b"), 1);
    ok_int(set("h.test", "/", "q=\"quoted\""), 1);
    ok_str(header("h.test", "/"), "spaced=value with spaces; empty=; eq=a=b; q=\"quoted\"");
    /* Attribute names are case-insensitive, unknown ones ignored. */
    ok_int(set("h.test", "/", "c=1; PATH=/c; sEcUrE; Foo=bar; ;"), 1);
    ok_str(header_at("h.test", "/c", 0, NOW), "spaced=value with spaces; empty=; eq=a=b; q=\"quoted\"");
    ok_str(header_at("h.test", "/c", 1, NOW), "c=1; spaced=value with spaces; empty=; eq=a=b; q=\"quoted\"");
}

/* Control characters would end up in the Cookie header: such cookies are
 * dropped whole (6265bis §5.6). */
static void test_control_characters(void)
{
    fresh();
    ok_int(set("h.test", "/", "a=1\r\nX-Injected: 1"), 0);
    ok_int(set("h.test", "/", "b=1\n"), 0);
    ok_int(cookie_core_set(jar, "h.test", "/", 0, "c=1\0d", 5, NOW), 0);
    ok_int(set("h.test", "/", "e=\x7f"), 0);
    ok_int(set("h.test", "/", "f=\tTab"), 1);
    ok_str(header("h.test", "/"), "f=Tab");
}

static void test_size_limit(void)
{
    static char big[COOKIE_MAX_BYTES + 16];

    fresh();
    memset(big, 'v', sizeof(big));
    memcpy(big, "n=", 2);
    big[COOKIE_MAX_BYTES + 1] = 0;       /* name 1 + value 4095 = 4096 */
    ok_int(set("h.test", "/", big), 1);
    big[COOKIE_MAX_BYTES + 1] = 'v';
    big[COOKIE_MAX_BYTES + 2] = 0;       /* 4097 */
    ok_int(set("h.test", "/", big), 0);
    ok_int((int)cookie_core_count(jar), 1);
}

/* At most 50 per domain: the least recently used go. */
static void test_per_domain_limit(void)
{
    char text[32];
    int i;

    fresh();
    for (i = 0; i < COOKIE_MAX_PER_DOMAIN + 5; i++)
    {
        snprintf(text, sizeof(text), "c%d=%d", i, i);
        ok_int(set("h.test", "/", text), 1);
    }
    ok_int((int)cookie_core_count(jar), COOKIE_MAX_PER_DOMAIN);
    ok(!strstr(header("h.test", "/"), "c4="), "c4 kept\n");
    ok(strstr(header("h.test", "/"), "c5=5") != NULL, "c5 evicted\n");
    ok_int(set("other.test", "/", "o=1"), 1);
    ok_int((int)cookie_core_count(jar), COOKIE_MAX_PER_DOMAIN + 1);
}

static void test_total_limit(void)
{
    char host[32];
    int i, j, ret = 1;

    fresh();
    for (i = 0; i < COOKIE_MAX_TOTAL / 10 + 2; i++)
    {
        snprintf(host, sizeof(host), "h%d.test", i);
        for (j = 0; j < 10; j++)
        {
            char text[16];
            snprintf(text, sizeof(text), "c%d=1", j);
            if (set(host, "/", text) != 1) ret = 0;
        }
    }
    ok(ret, "a cookie was refused\n");
    ok_int((int)cookie_core_count(jar), COOKIE_MAX_TOTAL);
    ok_str(header("h0.test", "/"), "");
    ok(*header("h301.test", "/"), "the newest were evicted\n");
}

static void test_ip_host(void)
{
    fresh();
    ok_int(set("127.0.0.1", "/", "a=1"), 1);
    ok_int(set("127.0.0.1", "/", "b=1; Domain=0.0.1"), 0);
    ok_int(set("127.0.0.1", "/", "c=1; Domain=127.0.0.1"), 1);
    ok_str(header("127.0.0.1", "/"), "a=1; c=1");
}

static void test_bad_arguments(void)
{
    fresh();
    ok_int(cookie_core_set(NULL, "h", "/", 0, "a=1", 3, NOW), 0);
    ok_int(cookie_core_set(jar, NULL, "/", 0, "a=1", 3, NOW), 0);
    ok_int(cookie_core_set(jar, "", "/", 0, "a=1", 3, NOW), 0);
    ok_int(cookie_core_set(jar, "h", NULL, 0, "a=1", 3, NOW), 1);
    ok(!cookie_core_header(NULL, "h", "/", 0, NOW), "header from no jar\n");
    ok_str(header_at("h", NULL, 0, NOW), "a=1");
}

int main(void)
{
    run_test(test_date_formats);
    run_test(test_date_invalid);
    run_test(test_domain_match);
    run_test(test_path_match);
    run_test(test_host_only);
    run_test(test_domain_attribute);
    run_test(test_domain_foreign_refused);
    run_test(test_default_path);
    run_test(test_path_attribute);
    run_test(test_header_order);
    run_test(test_secure);
    run_test(test_http_only_is_sent);
    run_test(test_expires);
    run_test(test_max_age);
    run_test(test_replace_keeps_order);
    run_test(test_delete_by_expiry);
    run_test(test_parse_name_value);
    run_test(test_control_characters);
    run_test(test_size_limit);
    run_test(test_per_domain_limit);
    run_test(test_total_limit);
    run_test(test_ip_host);
    run_test(test_bad_arguments);
    cookie_core_free(jar);
    return unit_summary();
}
