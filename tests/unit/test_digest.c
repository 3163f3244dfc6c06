/*
 * Unit tests of the HTTP Digest computations (auth_digest_core.c) against
 * RFC 7616's examples.
 */
// unit-sources: dlls/winhttp/auth_digest_core.c
#include <stdlib.h>
#include <string.h>

#include "auth_digest_core.h"
#include "unit.h"

#define ok_str(got, expect) do { const char *g_ = (got), *e_ = (expect); \
    ok(!strcmp(g_, e_), "%s: expected %s, got %s", #got, e_, g_); } while (0)

/* RFC 7616 section 3.9.1: Mufasa's request, with MD5 and with SHA-256. */
static struct digest_params mufasa(enum digest_hash hash)
{
    struct digest_params p;

    memset(&p, 0, sizeof(p));
    p.alg.hash = hash;
    p.username = "Mufasa";
    p.realm = "http-auth@example.org";
    p.password = "Circle of Life";
    p.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    p.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    p.nc = 1;
    p.qop = "auth";
    p.method = "GET";
    p.uri = "/dir/index.html";
    return p;
}

static void test_rfc7616_md5(void)
{
    struct digest_params p = mufasa(DIGEST_HASH_MD5);
    char out[DIGEST_HEX_MAX];

    ok(digest_response(&p, out), "digest_response failed\n");
    ok_str(out, "8ca523f5e9506fed4657c9700eebdbec");
}

static void test_rfc7616_sha256(void)
{
    struct digest_params p = mufasa(DIGEST_HASH_SHA256);
    char out[DIGEST_HEX_MAX];

    ok(digest_response(&p, out), "digest_response failed\n");
    ok_str(out, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

/* The hashes themselves: FIPS 180-4 / RFC 1321 examples of "abc". */
static void test_hashes(void)
{
    char out[DIGEST_HEX_MAX];

    ok(digest_hash_hex(DIGEST_HASH_MD5, "abc", 3, out), "md5 failed\n");
    ok_str(out, "900150983cd24fb0d6963f7d28e17f72");
    ok(digest_hash_hex(DIGEST_HASH_SHA256, "abc", 3, out), "sha256 failed\n");
    ok_str(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ok(digest_hash_hex(DIGEST_HASH_SHA512_256, "abc", 3, out), "sha512/256 failed\n");
    ok_str(out, "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23");
    ok(digest_hash_hex(DIGEST_HASH_SHA512_256, "", 0, out), "sha512/256 failed\n");
    ok_str(out, "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a");
}

/* SHA-512/256 over inputs around its 112- and 128-byte block boundaries,
 * where the padding spills into a second block. */
static void test_sha512_256_padding(void)
{
    /* Expected values computed with OpenSSL. */
    static const struct { size_t len; const char *hex; } tests[] =
    {
        { 111, "0239e429f98d0ed61ee8e2a7c30afe98c1c3a80ce5dff62a107e9c538f7632ce" },
        { 112, "9216b5303edb66504570bee90e48ea5beaa5e9fe9f760bbd3e0460559fc005f6" },
        { 127, "2fe3b2a6ee7e12f6fe4ba82166541ad9b4ed882c493581cbe300d68f3757b778" },
        { 128, "b88f97e274f9c1d49f181c8cbd01a9c74930ad055a46ac4499a1d601f1c80bf2" },
    };
    char data[256], out[DIGEST_HEX_MAX], expect[DIGEST_HEX_MAX];
    size_t i;

    memset(data, 'a', sizeof(data));
    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
    {
        ok(digest_hash_hex(DIGEST_HASH_SHA512_256, data, tests[i].len, out), "sha512/256 failed\n");
        strcpy(expect, tests[i].hex);
        ok(!strcmp(out, expect), "length %lu: expected %s, got %s", (unsigned long)tests[i].len, expect, out);
    }
}

/* RFC 7616 section 3.9.2 (userhash, SHA-512-256, a non-ASCII user name).
 * The values printed in the RFC are known to be wrong (RFC Errata); these
 * are the section 3.4 definitions computed with OpenSSL. */
static void test_rfc7616_userhash(void)
{
    struct digest_params p;
    char out[DIGEST_HEX_MAX];

    memset(&p, 0, sizeof(p));
    p.alg.hash = DIGEST_HASH_SHA512_256;
    p.username = "J\xc3\xa4s\xc3\xb8n Doe";
    p.realm = "api@example.org";
    p.password = "Secret, or not?";
    p.nonce = "5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK";
    p.cnonce = "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v";
    p.nc = 1;
    p.qop = "auth";
    p.method = "GET";
    p.uri = "/doe.json";
    ok(digest_userhash(&p, out), "digest_userhash failed\n");
    ok_str(out, "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b");
    ok(digest_response(&p, out), "digest_response failed\n");
    ok_str(out, "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5");
}

/* -sess (section 3.4.2): H(A1) = H(H(user:realm:pass):nonce:cnonce). */
static void test_sess(void)
{
    struct digest_params p = mufasa(DIGEST_HASH_MD5);
    char out[DIGEST_HEX_MAX];

    p.alg.sess = 1;
    ok(digest_response(&p, out), "digest_response failed\n");
    ok_str(out, "e783283f46242139c486a698fec7211d");
    p = mufasa(DIGEST_HASH_SHA256);
    p.alg.sess = 1;
    ok(digest_response(&p, out), "digest_response failed\n");
    ok_str(out, "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7");
}

/* RFC 2069 compatibility: no qop, response = H(H(A1):nonce:H(A2)). */
static void test_no_qop(void)
{
    struct digest_params p = mufasa(DIGEST_HASH_MD5);
    char out[DIGEST_HEX_MAX];

    p.qop = NULL;
    p.cnonce = NULL;
    ok(digest_response(&p, out), "digest_response failed\n");
    ok_str(out, "7b2cc3b30e75b4777ea31027084363fd");
}

/* The nonce count goes into the digest as 8 hex digits. */
static void test_nonce_count(void)
{
    struct digest_params p = mufasa(DIGEST_HASH_MD5);
    char one[DIGEST_HEX_MAX], two[DIGEST_HEX_MAX], big[DIGEST_HEX_MAX];

    ok(digest_response(&p, one), "digest_response failed\n");
    p.nc = 2;
    ok(digest_response(&p, two), "digest_response failed\n");
    ok(strcmp(one, two), "nc 1 and 2 gave the same response\n");
    p.nc = 0xabcdef01;
    ok(digest_response(&p, big), "digest_response failed\n");
    ok_str(big, "02cacb369da6621749a0e65e7ac18e53");
}

static void test_rspauth(void)
{
    struct digest_params p = mufasa(DIGEST_HASH_SHA256);
    char out[DIGEST_HEX_MAX];

    ok(digest_rspauth(&p, out), "digest_rspauth failed\n");
    ok_str(out, "86d3b25618d41854ca5039a5d7e53ff6355d5134a9b1fb088a78ac3c462195a0");
}

static void test_algorithms(void)
{
    struct digest_alg alg;

    ok(digest_alg_parse("MD5", 3, &alg) && alg.hash == DIGEST_HASH_MD5 && !alg.sess, "MD5\n");
    ok(digest_alg_parse("md5-SESS", 8, &alg) && alg.hash == DIGEST_HASH_MD5 && alg.sess, "md5-SESS\n");
    ok(digest_alg_parse("SHA-256", 7, &alg) && alg.hash == DIGEST_HASH_SHA256 && !alg.sess, "SHA-256\n");
    ok(digest_alg_parse("SHA-512-256-sess", 16, &alg) && alg.hash == DIGEST_HASH_SHA512_256 && alg.sess,
       "SHA-512-256-sess\n");
    ok(!digest_alg_parse("SHA-1", 5, &alg), "SHA-1 is not an RFC 7616 algorithm\n");
    ok(!digest_alg_parse("SHA-256x", 7 + 1, &alg), "SHA-256x\n");
    alg.hash = DIGEST_HASH_SHA256;
    alg.sess = 1;
    ok_str(digest_alg_name(&alg), "SHA-256-sess");
}

/* Two client nonces differ and are 32 hex digits. */
static void test_cnonce(void)
{
    char a[33], b[33];
    int i;

    ok(digest_make_cnonce(a) && digest_make_cnonce(b), "digest_make_cnonce failed\n");
    ok(strlen(a) == 32, "length %lu\n", (unsigned long)strlen(a));
    for (i = 0; i < 32; i++) ok(strchr("0123456789abcdef", a[i]) != NULL, "not hex: %c\n", a[i]);
    ok(strcmp(a, b), "two cnonces are equal\n");
}

/* Missing inputs fail instead of hashing garbage. */
static void test_missing(void)
{
    struct digest_params p = mufasa(DIGEST_HASH_MD5);
    char out[DIGEST_HEX_MAX];

    p.cnonce = NULL;
    ok(!digest_response(&p, out), "qop without cnonce succeeded\n");
    p = mufasa(DIGEST_HASH_MD5);
    p.nonce = NULL;
    ok(!digest_response(&p, out), "no nonce succeeded\n");
}

int main(void)
{
    run_test(test_rfc7616_md5);
    run_test(test_rfc7616_sha256);
    run_test(test_hashes);
    run_test(test_sha512_256_padding);
    run_test(test_rfc7616_userhash);
    run_test(test_sess);
    run_test(test_no_qop);
    run_test(test_nonce_count);
    run_test(test_rspauth);
    run_test(test_algorithms);
    run_test(test_cnonce);
    run_test(test_missing);
    return unit_summary();
}
