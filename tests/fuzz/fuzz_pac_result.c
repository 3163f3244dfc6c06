/*
 * Fuzz the PAC result parser: whatever the script returns, the parser
 * either refuses it or hands back entries that obey its own rules.
 */
// fuzz-sources: dlls/winhttp/pac_result.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pac_result.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pac_result res;
    size_t i, j;
    int ret = pac_result_parse((const char *)data, size, &res);

    CHECK(ret == PAC_RESULT_OK || ret == PAC_RESULT_EMPTY || ret == PAC_RESULT_TOOBIG || ret == PAC_RESULT_NOMEM);
    CHECK((ret == PAC_RESULT_OK) == (res.count > 0));
    CHECK(res.count <= PAC_RESULT_MAX_ENTRIES);
    if (size > PAC_RESULT_MAX_LEN) CHECK(ret == PAC_RESULT_TOOBIG);
    for (i = 0; i < res.count; i++)
    {
        const struct pac_entry *e = &res.entries[i];
        if (e->type == PAC_ENTRY_DIRECT)
        {
            CHECK(!e->host && !e->port);
            continue;
        }
        CHECK(e->type == PAC_ENTRY_PROXY || e->type == PAC_ENTRY_HTTPS || e->type == PAC_ENTRY_SOCKS);
        CHECK(e->host && *e->host && strlen(e->host) < size);
        for (j = 0; e->host[j]; j++)
            CHECK(e->host[j] > ' ' && e->host[j] != ';' && e->host[j] != '/' && e->host[j] != '@');
        if (e->host[0] == '[') CHECK(e->host[j - 1] == ']');
        else CHECK(!strchr(e->host, ':'));
    }
    pac_result_free(&res);
    return 0;
}
