/*
 * Unit tests of the Negotiate token checks (auth_spnego_msg.c): the tokens
 * our apache peer really sends (mod_auth_gssapi: the Kerberos AP-REP of a
 * completed exchange, the NTLM challenge inside SPNEGO) pass, and broken
 * DER framing, broken NegTokenResp shapes and broken NTLM inside fail.
 */
// unit-sources: dlls/winhttp/auth_spnego_msg.c dlls/winhttp/auth_ntlm_msg.c
#include <stdlib.h>
#include <string.h>

#include "auth_spnego_msg.h"
#include "unit.h"

/* tests/fuzz/corpus/fuzz_spnego_msg/apache-krb5-final: NegTokenResp
 * accept-completed, supportedMech Kerberos, responseToken a GSS-API framed
 * AP-REP (TOK_ID 02 00). */
static const char krb5_final_hex[] =
    "a181b73081b4a0030a0100a10b06092a864886f712010202a2819f04819c60819906092a864886f71201020202006f81"
    "89308186a003020105a10302010fa27a3078a003020112a271046f6846a7dad4f9efc34a96f7dae4fe4d97c1c0be01d4"
    "f519e43fb92ea5993a3ed6f97233985b96ea507c1fa8452a10b6e2a64fcb8caa86d8dd6bcbcaf5987eb544f523a49c64"
    "5bf338e45fc3be575af4ffb3239c5d93f703c7f8e10c13d614dc0c30869456dfc62c41bfbaf0259be8c1";

/* tests/fuzz/corpus/fuzz_spnego_msg/apache-spnego-ntlm-challenge:
 * accept-incomplete, supportedMech NTLM, responseToken a CHALLENGE_MESSAGE. */
static const char ntlm_challenge_hex[] =
    "a18199308196a0030a0101a10c060a2b06010401823702020aa28180047e4e544c4d5353500002000000040004003800"
    "000015828ae23a6444181fc652780000000000000000420042003c000000060200000000000f56004d00010004005600"
    "4d000200160057004f0052004b00530054004100540049004f004e000300040076006d00060004000000000007000800"
    "26f770ed3e84dd0100000000";

static unsigned char tok[1024];
static size_t tok_len;

static void load(const char *hex)
{
    unsigned int b;
    for (tok_len = 0; hex[0] && hex[1]; hex += 2)
    {
        sscanf(hex, "%2x", &b);
        tok[tok_len++] = (unsigned char)b;
    }
}

static void set(const unsigned char *bytes, size_t len)
{
    memcpy(tok, bytes, len);
    tok_len = len;
}

static const char *check(void)
{
    unsigned char *copy = malloc(tok_len ? tok_len : 1);
    const char *ret;
    memcpy(copy, tok, tok_len);
    ret = spnego_check_token(copy, tok_len);
    free(copy);
    return ret;
}

#define ok_valid() do { const char *r_ = check(); ok(!r_, "expected valid, got \"%s\"", r_); } while (0)
#define ok_invalid() do { const char *r_ = check(); ok(r_ != NULL, "expected a refusal"); } while (0)

static void test_apache(void)
{
    size_t full, n;
    int refused;

    load(krb5_final_hex);
    ok_valid();
    full = tok_len;
    for (n = refused = 0; n < full; n++)
    {
        tok_len = n;
        if (check()) refused++;
    }
    ok_int(refused, full);
    /* The GSS-API framed AP-REP alone, as some servers send it. */
    load(krb5_final_hex);
    memmove(tok, tok + 30, tok_len - 30);
    tok_len -= 30;
    ok(tok[0] == 0x60, "not the framed token: %02x", tok[0]);
    ok_valid();

    load(ntlm_challenge_hex);
    ok_valid();
    /* The NTLM message inside is checked: no MsvAvEOL (its last 4 bytes
     * becoming an unknown AvId's header would still need a value). */
    load(ntlm_challenge_hex);
    tok[tok_len - 4] = 0x55;
    ok_invalid();
    /* Its TargetName emptied: gss-ntlmssp 1.2.0 would crash. */
    load(ntlm_challenge_hex);
    tok[30 + 12] = tok[30 + 14] = 0;
    ok_invalid();
    /* The raw challenge, outside SPNEGO, is checked the same way. */
    load(ntlm_challenge_hex);
    memmove(tok, tok + 30, tok_len - 30);
    tok_len -= 30;
    ok_valid();
    tok[12] = tok[14] = 0;
    ok_invalid();
}

static void test_der(void)
{
    static const unsigned char reject[] = { 0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x02 };
    static const unsigned char long_form[] = { 0xa1, 0x81, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x02 };
    static const unsigned char indefinite[] = { 0xa1, 0x80, 0x30, 0x80, 0xa0, 0x03, 0x0a, 0x01, 0x02, 0, 0, 0, 0 };
    static const unsigned char past_end[] = { 0xa1, 0x82, 0x10, 0x00, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x02 };
    static const unsigned char inner_past[] = { 0xa1, 0x07, 0x30, 0x06, 0xa0, 0x03, 0x0a, 0x01, 0x02 };
    static const unsigned char inner_short[] = { 0xa1, 0x07, 0x30, 0x04, 0xa0, 0x03, 0x0a, 0x01, 0x02 };
    static const unsigned char trailing[] = { 0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x02, 0x00 };
    static const unsigned char len5[] = { 0xa1, 0x85, 0, 0, 0, 0, 7, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x02 };
    static const unsigned char garbage[] = "this is not DER at all";
    unsigned char deep[64];
    size_t i, depth;

    set(reject, sizeof(reject));
    ok_valid();
    set(long_form, sizeof(long_form));
    ok_valid();                                 /* BER's long form of a short length: harmless */
    set(indefinite, sizeof(indefinite));
    ok_invalid();
    set(past_end, sizeof(past_end));
    ok_invalid();
    set(inner_past, sizeof(inner_past));
    ok_invalid();
    set(inner_short, sizeof(inner_short));
    ok_invalid();
    set(trailing, sizeof(trailing));
    ok_invalid();
    set(len5, sizeof(len5));
    ok_invalid();
    set(garbage, sizeof(garbage) - 1);
    ok_invalid();
    tok_len = 0;
    ok_invalid();
    ok(spnego_check_token(NULL, 0) != NULL, "NULL accepted\n");

    /* Nesting: SEQUENCEs around an OCTET STRING, DER_MAX_DEPTH deep is fine
     * for der_check, one more is not. */
    for (depth = DER_MAX_DEPTH; depth <= DER_MAX_DEPTH + 1; depth++)
    {
        size_t len = 3;
        deep[sizeof(deep) - 3] = 0x04;
        deep[sizeof(deep) - 2] = 0x01;
        deep[sizeof(deep) - 1] = 'x';
        for (i = 0; i < depth; i++)
        {
            deep[sizeof(deep) - len - 2] = 0x30;
            deep[sizeof(deep) - len - 1] = (unsigned char)len;
            len += 2;
        }
        if (depth == DER_MAX_DEPTH) ok(!der_check(deep + sizeof(deep) - len, len), "depth %u refused", (unsigned)depth);
        else ok(der_check(deep + sizeof(deep) - len, len) != NULL, "depth %u accepted", (unsigned)depth);
    }
}

static void test_neg_token_resp(void)
{
    /* Fields out of order, of the wrong type, or not context-tagged. */
    static const unsigned char order[] = { 0xa1, 0x0c, 0x30, 0x0a, 0xa1, 0x03, 0x06, 0x01, 0x2a,
                                           0xa0, 0x03, 0x0a, 0x01, 0x01 };
    static const unsigned char state_type[] = { 0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x02, 0x01, 0x01 };
    static const unsigned char state_two[] = { 0xa1, 0x08, 0x30, 0x06, 0xa0, 0x04, 0x0a, 0x02, 0x01, 0x01 };
    static const unsigned char untagged[] = { 0xa1, 0x05, 0x30, 0x03, 0x0a, 0x01, 0x01 };
    static const unsigned char not_seq[] = { 0xa1, 0x05, 0x31, 0x03, 0x0a, 0x01, 0x01 };
    static const unsigned char empty_token[] = { 0xa1, 0x06, 0x30, 0x04, 0xa2, 0x02, 0x04, 0x00 };
    static const unsigned char mic_only[] = { 0xa1, 0x0b, 0x30, 0x09, 0xa0, 0x03, 0x0a, 0x01, 0x00,
                                              0xa3, 0x02, 0x04, 0x00 };
    static const unsigned char extension[] = { 0xa1, 0x0b, 0x30, 0x09, 0xa0, 0x03, 0x0a, 0x01, 0x00,
                                               0xa5, 0x02, 0x05, 0x00 };
    /* a NegTokenInit ([0]) is what a client sends, not a server */
    static const unsigned char init[] = { 0xa0, 0x05, 0x30, 0x03, 0xa0, 0x01, 0x00 };
    /* a mechanism token that is neither NTLM nor DER */
    static const unsigned char junk_token[] = { 0xa1, 0x09, 0x30, 0x07, 0xa2, 0x05, 0x04, 0x03, 0x01, 0x02, 0x03 };
    /* supportedMech NTLM with a token that is not NTLMSSP */
    static const unsigned char ntlm_junk[] = { 0xa1, 0x17, 0x30, 0x15, 0xa1, 0x0c, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
                                               0x01, 0x82, 0x37, 0x02, 0x02, 0x0a, 0xa2, 0x05, 0x04, 0x03, 0x30,
                                               0x01, 0x00 };

    set(order, sizeof(order));
    ok_invalid();
    set(state_type, sizeof(state_type));
    ok_invalid();
    set(state_two, sizeof(state_two));
    ok_invalid();
    set(untagged, sizeof(untagged));
    ok_invalid();
    set(not_seq, sizeof(not_seq));
    ok_invalid();
    set(empty_token, sizeof(empty_token));
    ok_invalid();
    set(mic_only, sizeof(mic_only));
    ok_valid();
    set(extension, sizeof(extension));
    ok_valid();
    set(init, sizeof(init));
    ok_invalid();
    set(junk_token, sizeof(junk_token));
    ok_invalid();
    set(ntlm_junk, sizeof(ntlm_junk));
    ok_invalid();
}

int main(void)
{
    run_test(test_apache);
    run_test(test_der);
    run_test(test_neg_token_resp);
    return unit_summary();
}
