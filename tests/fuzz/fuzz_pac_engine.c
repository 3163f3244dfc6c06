/*
 * Fuzz the PAC evaluator.  The first byte picks what the rest is:
 *   0: a script, only compiled (pac_compile_check);
 *   1: a script, run: FindProxyForURL(url, host) under a 2 MiB cap, with
 *      duktape built with an execution timeout (tools/build-fuzz
 *      "fuzz-duktape") so that loops end;
 *   2: arguments, '\n'-separated, handed to every PAC function by a fixed
 *      script, which must always answer (the functions never throw).
 * The world is fake: a resolver that answers from a hash of the name and a
 * fixed interface list, so no fuzz input ever reaches the network.
 */
// fuzz-sources: programs/winhttp-pac/pac_engine.c
// fuzz-duktape: exec-timeout
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../programs/winhttp-pac/pac_engine.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static int fake_resolve(void *ctx, const char *host, struct pac_addr *addrs, int max)
{
    unsigned int h = 2166136261u;
    (void)ctx;
    CHECK(strlen(host) <= 255);
    for (; *host; host++) h = (h ^ (unsigned char)*host) * 16777619u;
    if (!(h & 3) || max < 2) return 0;
    memset(addrs, 0, 2 * sizeof(*addrs));
    addrs[0].family = 4;
    memcpy(addrs[0].bytes, &h, 4);
    if (!(h & 4)) return 1;
    addrs[1].family = 6;
    addrs[1].bytes[0] = 0x20;
    addrs[1].bytes[1] = 0x01;
    memcpy(addrs[1].bytes + 12, &h, 4);
    addrs[1].scope = h & 8 ? 0 : h >> 28;
    return 2;
}

static int fake_local(void *ctx, struct pac_addr *addrs, int max)
{
    (void)ctx;
    if (max < 2) return 0;
    memset(addrs, 0, 2 * sizeof(*addrs));
    addrs[0].family = 4;
    addrs[0].bytes[0] = 192; addrs[0].bytes[2] = 2; addrs[0].bytes[3] = 1;
    addrs[1].family = 6;
    addrs[1].bytes[0] = 0xfe; addrs[1].bytes[1] = 0x80; addrs[1].bytes[15] = 1;
    addrs[1].scope = 2;
    return 2;
}

static const char every_function[] =
    "function FindProxyForURL(url, host) {\n"
    "  var a = host.split('\\n'), n = [];\n"
    "  for (var i = 0; i < 8; i++) n.push(Number(a[i]));\n"
    "  return [isPlainHostName(a[0]), dnsDomainIs(a[0], a[1]), localHostOrDomainIs(a[0], a[1]),\n"
    "    isResolvable(a[0]), isResolvableEx(a[1]), isInNet(a[0], a[1], a[2]), isInNetEx(a[0], a[1]),\n"
    "    dnsResolve(a[0]), dnsResolveEx(a[1]), myIpAddress(), myIpAddressEx(), dnsDomainLevels(a[0]),\n"
    "    shExpMatch(a[0], a[1]), shExpMatch(url, a[2]), sortIpAddressList(a[0]), sortIpAddressList(a[1] + ';' + a[2]),\n"
    "    getClientVersion(), alert(a[0]),\n"
    "    weekdayRange(a[0]), weekdayRange(a[0], a[1]), weekdayRange(a[0], a[1], a[2]),\n"
    "    dateRange(a[0]), dateRange(n[0], a[1]), dateRange(n[0], a[1], n[2]), dateRange(n[0], a[1], n[2], a[3]),\n"
    "    dateRange(n[0], a[1], n[2], n[3], a[4], n[5], a[6]), dateRange(a[0], a[1], a[2], a[3], a[4], a[5]),\n"
    "    timeRange(n[0]), timeRange(n[0], n[1]), timeRange(n[0], n[1], n[2], n[3]),\n"
    "    timeRange(n[0], n[1], n[2], n[3], n[4], n[5], a[6]), timeRange(a[0], a[1], a[2])].join('|');\n"
    "}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pac_env env = {1, 1710513045LL + (size ? data[0] * 86400LL * 3 : 0), fake_resolve, fake_local, NULL};
    enum pac_status status;
    char *result = NULL, *text;

    if (size < 1 || size > 65536) return 0;
    switch (data[0] % 3)
    {
    case 0:
        status = pac_compile_check((const char *)data + 1, size - 1, 2 << 20);
        CHECK(status == PAC_OK || status == PAC_SYNTAX || status == PAC_MEMORY);
        break;
    case 1:
        env.exec_timeout_ms = 50;   /* loops are common in what the fuzzer writes: end them soon */
        status = pac_evaluate_env((const char *)data + 1, size - 1, "http://www.example.com/a?b", "www.example.com",
                                  2 << 20, &env, &result);
        CHECK(status <= PAC_BAD_RESULT);
        CHECK((status == PAC_OK) == (result != NULL));
        free(result);
        break;
    case 2:
        /* The arguments become the host: a C string, so no NUL in them. */
        if (!(text = malloc(size))) return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = 0;
        if (strlen(text) == size - 1)
        {
            env.exec_timeout_ms = 20000;   /* no loop here: time is not what is tested */
            status = pac_evaluate_env(every_function, strlen(every_function), "http://x.example/", text, 8 << 20,
                                      &env, &result);
            CHECK(status == PAC_OK && result && strchr(result, '|'));
            free(result);
        }
        free(text);
        break;
    }
    return 0;
}
