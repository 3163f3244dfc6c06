/*
 * Fuzz the cookie store: the input is split at NUL bytes into Set-Cookie
 * values fed to a jar for a few hosts and paths, then the Cookie header is
 * asked for; a header must never hold a control character, and the limits
 * must hold.  The date parser also gets the raw input.
 */
// fuzz-sources: dlls/winhttp/cookie_core.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cookie_core.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static const char *const hosts[] = { "example.com", "www.example.com", "127.0.0.1", "intranet" };
static const char *const paths[] = { "/", "/a/b", "/a", "", "/a/b?c=/d" };

static void check_header(char *h)
{
    size_t i;
    if (!h) return;
    CHECK(*h);
    for (i = 0; h[i]; i++) CHECK((unsigned char)h[i] >= 0x20 || h[i] == '\t');
    free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cookie_core *jar = cookie_core_create();
    const char *s = (const char *)data, *end = s + size;
    int64_t now = 1704067200, t;
    unsigned int n = 0, i, j;

    if (!jar) return 0;
    cookie_parse_date(s, size, &t);
    while (s < end)
    {
        const char *nul = memchr(s, 0, end - s);
        size_t len = (nul ? nul : end) - s;
        CHECK(cookie_core_set(jar, hosts[n % 4], paths[n % 5], n & 1, s, len, now + n) >= 0);
        CHECK(cookie_core_count(jar) <= COOKIE_MAX_TOTAL);
        n++;
        s += len + 1;
    }
    for (i = 0; i < 4; i++)
        for (j = 0; j < 5; j++) check_header(cookie_core_header(jar, hosts[i], paths[j], j & 1, now + n));
    cookie_core_free(jar);
    return 0;
}
