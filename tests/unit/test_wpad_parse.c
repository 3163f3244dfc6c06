/*
 * Unit tests of the text side of WPAD discovery (wpad_parse.c): the DNS
 * devolution of the machine's suffix and option 252 in Linux lease files.
 */
// unit-sources: dlls/winhttp/wpad_parse.c
#include <stdlib.h>
#include <string.h>

#include "wpad_parse.h"
#include "unit.h"

/* The candidates for suffix joined with ',' */
static void candidates(const char *suffix, size_t max, char *out, size_t size)
{
    char *names[16];
    size_t n = wpad_candidates(suffix, names, max < 16 ? max : 16), i, len = 0;

    out[0] = 0;
    for (i = 0; i < n; i++)
    {
        len += snprintf(out + len, size - len, "%s%s", i ? "," : "", names[i]);
        free(names[i]);
    }
}

#define check_candidates(suffix, max, expect) do { char buf_[1024]; candidates(suffix, max, buf_, sizeof(buf_)); \
    ok(!strcmp(buf_, expect), "%s: got \"%s\", expected \"%s\"", suffix ? suffix : "(null)", buf_, expect); } while (0)

static void test_devolution(void)
{
    check_candidates("corp.example.com", 16, "wpad.corp.example.com,wpad.example.com");
    check_candidates("a.b.c.example.org", 16, "wpad.a.b.c.example.org,wpad.b.c.example.org,wpad.c.example.org,wpad.example.org");
    check_candidates("example.com", 16, "wpad.example.com");
    check_candidates("example.com.", 16, "wpad.example.com");
    /* Never wpad.<top-level domain>. */
    check_candidates("com", 16, "");
    check_candidates("localdomain", 16, "");
    check_candidates("", 16, "");
    check_candidates(NULL, 16, "");
    check_candidates("a.b.c.example.org", 2, "wpad.a.b.c.example.org,wpad.b.c.example.org");
    /* Not a DNS name: nothing. */
    check_candidates("corp..example.com", 16, "");
    check_candidates(".example.com", 16, "");
    check_candidates("corp example.com", 16, "");
    check_candidates("corp/example.com", 16, "");
    check_candidates("bad\xff.example.com", 16, "");
    check_candidates("under_score.example.com", 16, "wpad.under_score.example.com,wpad.example.com");
}

static char *lease(const char *text)
{
    return wpad_lease_url(text, strlen(text));
}

#define check_lease(text, expect) do { char *u_ = lease(text); const char *e_ = (expect); \
    ok(e_ ? u_ && !strcmp(u_, e_) : !u_, "got \"%s\", expected \"%s\"", u_ ? u_ : "(null)", e_ ? e_ : "(null)"); \
    free(u_); } while (0)

static void test_leases(void)
{
    /* dhclient, named and unnamed forms, the NUL servers count in. */
    check_lease("lease {\n  option wpad \"http://wpad.example/wpad.dat\";\n}\n", "http://wpad.example/wpad.dat");
    check_lease("lease {\n  option wpad \"http://a.example/x.pac\\000\";\n}\n", "http://a.example/x.pac");
    check_lease("lease {\n  option unknown-252 \"https://a.example/p\";\n}\n", "https://a.example/p");
    check_lease("  option unknown-252 68:74:74:70:3a:2f:2f:61:2f:70:0;\n", "http://a/p");
    check_lease("lease {\n option wpad \"http://old/\";\n}\nlease {\n option wpad \"http://new/\";\n}\n", "http://new/");
    check_lease("option wpad \"http://a.example/q\\\"uote\";\n", NULL);
    /* systemd-networkd, NetworkManager */
    check_lease("ADDRESS=10.0.0.2\nOPTION_252=687474703a2f2f6e2f702e70616300\n", "http://n/p.pac");
    check_lease("[dhcp4]\nwpad=http://nm.example/wpad.dat\n", "http://nm.example/wpad.dat");
    /* Not http(s), not a URL, malformed: nothing. */
    check_lease("option wpad \"file:///etc/passwd\";\n", NULL);
    check_lease("option wpad \"http://\";\n", NULL);
    check_lease("option wpad \"http://a b/\";\n", NULL);
    check_lease("option wpad \"http://a/\"\n", NULL);
    check_lease("OPTION_252=6874747\n", NULL);
    check_lease("OPTION_252=zz\n", NULL);
    check_lease("option wpad \"http://a/\\001\";\n", NULL);
    check_lease("", NULL);
    check_lease("garbage\n\n\n", NULL);
    /* A later bad lease does not hide the last good one. */
    check_lease("option wpad \"http://good/\";\noption wpad \"bad\";\n", "http://good/");
}

static void test_lease_limits(void)
{
    size_t len = WPAD_MAX_URL + 64, i;
    char *text = malloc(len + 64), *url;

    strcpy(text, "wpad=http://");
    for (i = strlen(text); i < len; i++) text[i] = 'a';
    text[i++] = '\n';
    text[i] = 0;
    ok(!(url = wpad_lease_url(text, strlen(text))), "overlong URL accepted");
    free(url);
    free(text);
    ok(!wpad_lease_url("wpad=http://a/", WPAD_MAX_LEASE + 1), "oversized lease accepted");
}

int main(void)
{
    run_test(test_devolution);
    run_test(test_leases);
    run_test(test_lease_limits);
    return unit_summary();
}
