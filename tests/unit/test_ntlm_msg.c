/*
 * Unit tests of the CHALLENGE_MESSAGE checks (auth_ntlm_msg.c): a real
 * challenge of our apache peer (mod_auth_gssapi with gss-ntlmssp) passes,
 * and each way MS-NLMP 2.2.1.2 / 2.2.2.1 can be broken, on a copy of it or
 * of a message built here, fails with its own reason.
 */
// unit-sources: dlls/winhttp/auth_ntlm_msg.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth_ntlm_msg.h"
#include "unit.h"

/* What apache answered to a NEGOTIATE_MESSAGE (tests/fuzz/corpus/
 * fuzz_ntlm_msg/apache-ntlm): TargetName "VM" at 56, TargetInfo of 66
 * bytes at 60 (NbComputerName, NbDomainName, DnsComputerName, MsvAvFlags,
 * MsvAvTimestamp, MsvAvEOL), with NTLMSSP_NEGOTIATE_VERSION. */
static const char apache_hex[] =
    "4e544c4d5353500002000000040004003800000005828ae25b6fc1176c2773ce0000000000000000420042003c000000"
    "060200000000000f56004d000100040056004d000200160057004f0052004b00530054004100540049004f004e000300"
    "040076006d0006000400000000000700080012320ce53e84dd0100000000";

static unsigned char msg[1024];
static size_t msg_len;

static size_t from_hex(const char *hex, unsigned char *out)
{
    size_t n = 0;
    unsigned int b;
    for (; hex[0] && hex[1]; hex += 2)
    {
        sscanf(hex, "%2x", &b);
        out[n++] = (unsigned char)b;
    }
    return n;
}

static void load_apache(void)
{
    msg_len = from_hex(apache_hex, msg);
}

static void put16(size_t off, unsigned int v)
{
    msg[off] = v & 0xff;
    msg[off + 1] = v >> 8;
}

static void put32(size_t off, unsigned long v)
{
    put16(off, v & 0xffff);
    put16(off + 2, v >> 16);
}

static unsigned long get32(size_t off)
{
    return msg[off] | (msg[off + 1] << 8) | ((unsigned long)msg[off + 2] << 16) | ((unsigned long)msg[off + 3] << 24);
}

/* A message of our own: header with Version, TargetName "AB" (UTF-16),
 * then TargetInfo = the pairs given + MsvAvEOL. */
static void build(const unsigned char *pairs, size_t pairs_len)
{
    static const unsigned char name[] = { 'A', 0, 'B', 0 };
    size_t info_len = pairs_len + 4;

    memset(msg, 0, sizeof(msg));
    memcpy(msg, "NTLMSSP", 8);
    put32(8, 2);
    put16(12, sizeof(name));
    put16(14, sizeof(name));
    put32(16, 56);
    put32(20, 0xe2898215);      /* Unicode, request target, NTLM, ESS, target info, version, 128, key exch, 56 */
    put16(40, info_len);
    put16(42, info_len);
    put32(44, 56 + sizeof(name));
    memcpy(msg + 56, name, sizeof(name));
    if (pairs_len) memcpy(msg + 60, pairs, pairs_len);
    memset(msg + 60 + pairs_len, 0, 4);
    msg_len = 60 + info_len;
}

static const char *check(void)
{
    /* A private heap copy of exactly msg_len bytes: ASan sees any read past it. */
    unsigned char *copy = malloc(msg_len ? msg_len : 1);
    const char *ret;
    memcpy(copy, msg, msg_len);
    ret = ntlm_check_challenge(copy, msg_len);
    free(copy);
    return ret;
}

#define ok_valid() do { const char *r_ = check(); ok(!r_, "expected valid, got \"%s\"", r_); } while (0)
#define ok_invalid() do { const char *r_ = check(); ok(r_ != NULL, "expected a refusal"); } while (0)

static void test_apache(void)
{
    load_apache();
    ok_valid();
    /* Every truncation of it is refused: TargetInfo runs to the end. */
    {
        size_t full = msg_len, n;
        int refused = 0;
        for (n = 0; n < full; n++)
        {
            msg_len = n;
            if (check()) refused++;
        }
        ok_int(refused, full);
    }
}

static void test_header(void)
{
    load_apache();
    ok(ntlm_check_challenge(NULL, 0) != NULL, "NULL accepted\n");
    msg[6] = 'Q';
    ok_invalid();                               /* signature */
    load_apache();
    put32(8, 3);
    ok_invalid();                               /* an AUTHENTICATE_MESSAGE */
    load_apache();
    put32(8, 1);
    ok_invalid();                               /* a NEGOTIATE_MESSAGE */
    load_apache();
    put32(20, get32(20) & ~3ul);
    ok_invalid();                               /* neither Unicode nor OEM */
    /* Without NTLMSSP_NEGOTIATE_VERSION the Version bytes may stay. */
    load_apache();
    put32(20, get32(20) & ~0x02000000ul);
    ok_valid();
}

static void test_security_buffers(void)
{
    load_apache();
    put16(42, 0x41);                            /* TargetInfo MaxLen below Len */
    ok_invalid();
    load_apache();
    put16(42, 0x100);                           /* MaxLen above Len: harmless */
    ok_valid();
    load_apache();
    put32(44, 0x7ffffff0);                      /* offset past the end */
    ok_invalid();
    load_apache();
    put32(44, 0xffffffff);                      /* offset + len wraps in 32 bits */
    ok_invalid();
    load_apache();
    put16(40, 0x43);
    put16(42, 0x43);                            /* one byte past the end */
    ok_invalid();
    load_apache();
    put32(16, 40);                              /* TargetName inside the header */
    ok_invalid();
    load_apache();
    put32(16, 52);                              /* inside the Version field */
    ok_invalid();
    load_apache();
    put32(16, 60);                              /* TargetName overlapping TargetInfo */
    ok_invalid();
    load_apache();
    put16(12, 0);
    put16(14, 0);                               /* empty Unicode TargetName (crashes gss-ntlmssp 1.2.0) */
    ok_invalid();
    load_apache();
    put16(12, 3);
    put16(14, 3);                               /* odd Unicode TargetName */
    ok_invalid();
    /* An empty TargetInfo: refused with NTLMSSP_NEGOTIATE_TARGET_INFO, and
     * then its offset does not matter. */
    load_apache();
    put16(40, 0);
    put16(42, 0);
    ok_invalid();
    put32(20, get32(20) & ~0x00800000ul);
    put32(44, 0xffffffff);
    ok_valid();
}

static void test_av_pairs(void)
{
    static const unsigned char name[] = { 2, 0, 2, 0, 'W', 0 };
    static const unsigned char unknown[] = { 0x77, 0x77, 3, 0, 1, 2, 3, 0x77, 0x77, 1, 0, 9 };
    static const unsigned char flags4[] = { 6, 0, 4, 0, 0, 0, 0, 0 };
    static const unsigned char flags2[] = { 6, 0, 2, 0, 0, 0 };
    static const unsigned char ts8[] = { 7, 0, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8 };
    static const unsigned char ts4[] = { 7, 0, 4, 0, 1, 2, 3, 4 };
    static const unsigned char odd[] = { 3, 0, 3, 0, 'a', 0, 'b' };
    static const unsigned char dup[] = { 2, 0, 2, 0, 'W', 0, 1, 0, 2, 0, 'X', 0, 2, 0, 2, 0, 'Y', 0 };
    static const unsigned char huge[] = { 2, 0, 0xf0, 0xff, 'W', 0 };
    static const unsigned char eol_value[] = { 0, 0, 2, 0, 0, 0 };
    static const unsigned char eol_first[] = { 0, 0, 0, 0, 2, 0, 2, 0, 'W', 0 };
    unsigned char big[64];

    build(name, sizeof(name));
    ok_valid();
    build(NULL, 0);
    ok_valid();                                 /* MsvAvEOL alone */
    build(unknown, sizeof(unknown));
    ok_valid();                                 /* unknown AvIds skipped, even twice */
    build(flags4, sizeof(flags4));
    ok_valid();
    build(ts8, sizeof(ts8));
    ok_valid();
    memset(big, 0, sizeof(big));
    big[0] = 8;                                 /* MsvAvSingleHost, 48 bytes */
    big[2] = 48;
    build(big, 52);
    ok_valid();
    big[2] = 47;
    build(big, 51);
    ok_invalid();
    big[0] = 10;                                /* MsvAvChannelBindings, 16 bytes */
    big[2] = 16;
    build(big, 20);
    ok_valid();
    big[2] = 15;
    build(big, 19);
    ok_invalid();

    build(flags2, sizeof(flags2));
    ok_invalid();
    build(ts4, sizeof(ts4));
    ok_invalid();
    build(odd, sizeof(odd));
    ok_invalid();
    build(dup, sizeof(dup));
    ok_invalid();
    build(huge, sizeof(huge));
    ok_invalid();
    build(eol_value, sizeof(eol_value));
    ok_invalid();
    build(eol_first, sizeof(eol_first));
    ok_invalid();
    /* No MsvAvEOL: the list stops at TargetInfo's end. */
    build(name, sizeof(name));
    put16(40, sizeof(name));
    put16(42, sizeof(name));
    msg_len -= 4;
    ok_invalid();
    /* Bytes after MsvAvEOL inside TargetInfo. */
    build(name, sizeof(name));
    put16(40, sizeof(name) + 6);
    put16(42, sizeof(name) + 6);
    msg_len += 2;
    ok_invalid();
}

int main(void)
{
    run_test(test_apache);
    run_test(test_header);
    run_test(test_security_buffers);
    run_test(test_av_pairs);
    return unit_summary();
}
