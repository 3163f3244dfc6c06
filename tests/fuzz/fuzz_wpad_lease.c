/*
 * Fuzz the lease file parser of WPAD discovery and the devolution of a DNS
 * suffix: whatever the file or suffix holds, the result is NULL or a
 * printable http(s) URL, and every candidate is "wpad." plus a name.
 */
// fuzz-sources: dlls/winhttp/wpad_parse.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wpad_parse.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = wpad_lease_url((const char *)data, size), *suffix, *names[8];
    size_t i, n;

    if (url)
    {
        CHECK(!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8));
        CHECK(strlen(url) <= WPAD_MAX_URL);
        for (i = 0; url[i]; i++) CHECK(url[i] > ' ' && url[i] < 0x7f);
        free(url);
    }
    if (size > 512) return 0;
    suffix = malloc(size + 1);
    memcpy(suffix, data, size);
    suffix[size] = 0;
    n = wpad_candidates(suffix, names, 8);
    CHECK(n <= 8);
    for (i = 0; i < n; i++)
    {
        CHECK(!strncmp(names[i], "wpad.", 5) && strchr(names[i] + 5, '.'));
        CHECK(strstr(suffix, names[i] + 5));
        free(names[i]);
    }
    free(suffix);
    return 0;
}
