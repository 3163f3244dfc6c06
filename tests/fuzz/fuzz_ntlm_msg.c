/*
 * Fuzz the CHALLENGE_MESSAGE checks (auth_ntlm_msg.c), seeded with real
 * challenges of our apache peer (gss-ntlmssp) and the scripted server's
 * hostile ones (tests/fuzz/corpus/fuzz_ntlm_msg).
 *
 * Invariants, each an abort:
 *  - the answer depends on the bytes only (two calls agree);
 *  - an accepted message has the signature, type 2, each non-empty
 *    security buffer after the 48-byte header and inside the message, and
 *    a non-empty TargetInfo ending in MsvAvEOL (four zero bytes);
 *  - a Negotiate token that is this message is judged the same way
 *    (auth_spnego_msg.c hands raw NTLM to the same check);
 *  - nothing reads outside the input (ASan: libFuzzer's buffer is exact).
 */
// fuzz-sources: dlls/winhttp/auth_ntlm_msg.c dlls/winhttp/auth_spnego_msg.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_ntlm_msg.h"
#include "auth_spnego_msg.h"

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

static unsigned long le(const uint8_t *p, int n)
{
    unsigned long v = 0;
    while (n--) v = (v << 8) | p[n];
    return v;
}

static void check_buffer(const uint8_t *data, size_t size, size_t field, int info)
{
    unsigned long len = le(data + field, 2), off = le(data + field + 4, 4);

    if (!len) return;
    CHECK(le(data + field + 2, 2) >= len);
    CHECK(off >= 48 && off + len <= size);
    if (info) CHECK(len >= 4 && !memcmp(data + off + len - 4, "\0\0\0\0", 4));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *a = ntlm_check_challenge(data, size), *b = ntlm_check_challenge(data, size);

    CHECK(a == b);
    if (size >= 8 && !memcmp(data, "NTLMSSP", 8)) CHECK(!spnego_check_token(data, size) == !a);
    if (a) return 0;
    CHECK(size >= 48 && !memcmp(data, "NTLMSSP", 8) && le(data + 8, 4) == 2);
    check_buffer(data, size, 12, 0);
    check_buffer(data, size, 40, 1);
    return 0;
}
