/*
 * Unit tests of the PAC result parser (pac_result.c): the Netscape
 * "PROXY host:port; SOCKS host; DIRECT" list and Microsoft's Ex keywords.
 */
// unit-sources: dlls/winhttp/pac_result.c
#include <stdlib.h>
#include <string.h>

#include "pac_result.h"
#include "unit.h"

/* Parses s and renders it back as "P:host:port,D,S:host:0,H:host:port". */
static int render(const char *s, char *out, size_t size)
{
    static const char letters[] = "DPHS";
    struct pac_result res;
    size_t i, n = 0;
    int ret = pac_result_parse(s, strlen(s), &res);

    out[0] = 0;
    for (i = 0; i < res.count; i++)
    {
        const struct pac_entry *e = &res.entries[i];
        if (e->type == PAC_ENTRY_DIRECT)
            n += snprintf(out + n, size - n, "%sD", i ? "," : "");
        else
            n += snprintf(out + n, size - n, "%s%c:%s:%u", i ? "," : "", letters[e->type], e->host, e->port);
    }
    pac_result_free(&res);
    return ret;
}

#define check(input, expect_ret, expect) do { char buf_[4096]; int r_ = render(input, buf_, sizeof(buf_)); \
    ok(r_ == (expect_ret), "%s: return %d, expected %d", input, r_, expect_ret); \
    ok(!strcmp(buf_, expect), "%s: got \"%s\", expected \"%s\"", input, buf_, expect); } while (0)

static void test_lists(void)
{
    check("DIRECT", PAC_RESULT_OK, "D");
    check("PROXY a:1; SOCKS b; DIRECT", PAC_RESULT_OK, "P:a:1,S:b:0,D");
    check("PROXY proxy.example.com:3128", PAC_RESULT_OK, "P:proxy.example.com:3128");
    check("  proxy  p1:8080 ;  PROXY   p2:8081;DIRECT  ", PAC_RESULT_OK, "P:p1:8080,P:p2:8081,D");
    check("HTTP h:1; HTTPS s:443; SOCKS4 f:1080; SOCKS5 g:1081", PAC_RESULT_OK, "P:h:1,H:s:443,S:f:1080,S:g:1081");
    check("PROXY [::1]:3128; PROXY [fe80::1%2]", PAC_RESULT_OK, "P:[::1]:3128,P:[fe80::1%2]:0");
    check("PROXY 127.0.0.1:65535", PAC_RESULT_OK, "P:127.0.0.1:65535");
    check(";;DIRECT;;", PAC_RESULT_OK, "D");
    check("direct", PAC_RESULT_OK, "D");
}

static void test_bad_entries(void)
{
    /* A bad entry is skipped, the others stay. */
    check("PROXY a:0; DIRECT", PAC_RESULT_OK, "D");
    check("PROXY a:65536; PROXY b:2", PAC_RESULT_OK, "P:b:2");
    check("PROXY a:123456; DIRECT", PAC_RESULT_OK, "D");
    check("PROXY a:; DIRECT", PAC_RESULT_OK, "D");
    check("PROXY a:1x; DIRECT", PAC_RESULT_OK, "D");
    check("PROXY :80; DIRECT", PAC_RESULT_OK, "D");
    check("PROXY; DIRECT", PAC_RESULT_OK, "D");
    check("PROXY a b; DIRECT", PAC_RESULT_OK, "D");
    check("DIRECT x; PROXY c", PAC_RESULT_OK, "P:c:0");
    check("FTP a:21; PROXY c:1", PAC_RESULT_OK, "P:c:1");
    check("PROXY a/b:1; PROXY c@d; PROXY e\"f; DIRECT", PAC_RESULT_OK, "D");
    check("PROXY [::1; PROXY []:1; PROXY [::1]x; PROXY [g::1]", PAC_RESULT_EMPTY, "");
    check("PROXY http://a:1", PAC_RESULT_EMPTY, "");
    check("PROXY a:-1", PAC_RESULT_EMPTY, "");
}

static void test_empty(void)
{
    check("", PAC_RESULT_EMPTY, "");
    check("   ", PAC_RESULT_EMPTY, "");
    check(";", PAC_RESULT_EMPTY, "");
    check("undefined", PAC_RESULT_EMPTY, "");
    check("garbage \x01\x02\xff", PAC_RESULT_EMPTY, "");
}

static void test_nul_and_limits(void)
{
    struct pac_result res;
    char *big;
    size_t i, n;

    /* Embedded NUL: part of the entry, which is then malformed. */
    ok_int(pac_result_parse("PROXY a\0b; DIRECT", 17, &res), PAC_RESULT_OK);
    ok_int(res.count, 1);
    ok_int(res.entries[0].type, PAC_ENTRY_DIRECT);
    pac_result_free(&res);

    big = malloc(PAC_RESULT_MAX_LEN + 2);
    memset(big, ' ', PAC_RESULT_MAX_LEN + 1);
    memcpy(big, "DIRECT", 6);
    ok_int(pac_result_parse(big, PAC_RESULT_MAX_LEN, &res), PAC_RESULT_OK);
    pac_result_free(&res);
    ok_int(pac_result_parse(big, PAC_RESULT_MAX_LEN + 1, &res), PAC_RESULT_TOOBIG);
    ok(!res.entries && !res.count, "result not empty");

    /* Exactly the maximum number of entries, then one more. */
    for (i = n = 0; i < PAC_RESULT_MAX_ENTRIES; i++) n += sprintf(big + n, "PROXY p%zu:%zu;", i, i + 1);
    ok_int(pac_result_parse(big, n, &res), PAC_RESULT_OK);
    ok_int(res.count, PAC_RESULT_MAX_ENTRIES);
    ok(!strcmp(res.entries[PAC_RESULT_MAX_ENTRIES - 1].host, "p63"), "last host %s",
       res.entries[PAC_RESULT_MAX_ENTRIES - 1].host);
    pac_result_free(&res);
    n += sprintf(big + n, "DIRECT");
    ok_int(pac_result_parse(big, n, &res), PAC_RESULT_TOOBIG);
    ok(!res.entries && !res.count, "result not empty");
    /* Skipped entries do not count. */
    for (i = n = 0; i < 1000; i++) n += sprintf(big + n, "BAD x;");
    n += sprintf(big + n, "DIRECT");
    ok_int(pac_result_parse(big, n, &res), PAC_RESULT_OK);
    ok_int(res.count, 1);
    pac_result_free(&res);
    free(big);
}

int main(void)
{
    run_test(test_lists);
    run_test(test_bad_entries);
    run_test(test_empty);
    run_test(test_nul_and_limits);
    return unit_summary();
}
