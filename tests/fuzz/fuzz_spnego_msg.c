/*
 * Fuzz the Negotiate token checks (auth_spnego_msg.c, and auth_ntlm_msg.c
 * for NTLM inside SPNEGO), seeded with what our apache peer really sends
 * (mod_auth_gssapi: the SPNEGO-wrapped Kerberos AP-REP made with the KDC's
 * keys, the NTLM challenge inside SPNEGO) and hostile tokens
 * (tests/fuzz/corpus/fuzz_spnego_msg).
 *
 * Invariants, each an abort:
 *  - the answers depend on the bytes only (two calls agree);
 *  - der_check refuses any input with one byte cut off its end, or one
 *    byte added, when it accepted the input (a DER element's length
 *    covers it exactly);
 *  - an accepted token that is not raw NTLM is well-formed DER;
 *  - nothing reads outside the input (ASan: every call gets an exact copy).
 */
// fuzz-sources: dlls/winhttp/auth_spnego_msg.c dlls/winhttp/auth_ntlm_msg.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_ntlm_msg.h"
#include "auth_spnego_msg.h"

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *tok = spnego_check_token(data, size), *der = der_check(data, size);
    uint8_t *copy;

    CHECK(tok == spnego_check_token(data, size));
    CHECK(der == der_check(data, size));
    if (!tok && !(size >= 8 && !memcmp(data, "NTLMSSP", 8))) CHECK(!der);
    if (der || !size) return 0;

    if (!(copy = malloc(size + 1))) return 0;
    memcpy(copy, data, size - 1);
    CHECK(der_check(copy, size - 1) != NULL);
    memcpy(copy, data, size);
    copy[size] = 0;
    CHECK(der_check(copy, size + 1) != NULL);
    free(copy);
    return 0;
}
