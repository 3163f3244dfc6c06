/*
 * RFC 7616 HTTP Digest computations (see auth_digest_core.h).  No Win32
 * here: the DLL's auth_digest.c and the native unit tests both use it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "auth_digest_core.h"

void digest_wipe(void *buf, size_t len)
{
    volatile unsigned char *p = buf;
    while (len--) *p++ = 0;
}

static const struct
{
    const char *name;
    struct digest_alg alg;
    int strength;
}
algorithms[] =
{
    { "MD5",              { DIGEST_HASH_MD5, 0 },        1 },
    { "MD5-sess",         { DIGEST_HASH_MD5, 1 },        1 },
    { "SHA-256",          { DIGEST_HASH_SHA256, 0 },     2 },
    { "SHA-256-sess",     { DIGEST_HASH_SHA256, 1 },     2 },
    { "SHA-512-256",      { DIGEST_HASH_SHA512_256, 0 }, 3 },
    { "SHA-512-256-sess", { DIGEST_HASH_SHA512_256, 1 }, 3 },
};

int digest_alg_parse(const char *name, size_t len, struct digest_alg *alg)
{
    size_t i;

    for (i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
    {
        if (strlen(algorithms[i].name) != len || strncasecmp(algorithms[i].name, name, len)) continue;
        *alg = algorithms[i].alg;
        return 1;
    }
    return 0;
}

const char *digest_alg_name(const struct digest_alg *alg)
{
    size_t i;

    for (i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
        if (algorithms[i].alg.hash == alg->hash && algorithms[i].alg.sess == alg->sess) return algorithms[i].name;
    return "MD5";
}

int digest_alg_strength(const struct digest_alg *alg)
{
    size_t i;

    for (i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
        if (algorithms[i].alg.hash == alg->hash && algorithms[i].alg.sess == alg->sess) return algorithms[i].strength;
    return 0;
}

/* ------------------------------------------------------------------ */
/* SHA-512/256 (FIPS 180-4): SHA-512 with its own initial value,        */
/* truncated to 256 bits                                               */

static const uint64_t sha512_k[80] =
{
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
    0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
    0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
    0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
    0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
    0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
    0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
    0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
    0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
    0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
    0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
    0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

static uint64_t ror64(uint64_t x, int n)
{
    return (x >> n) | (x << (64 - n));
}

static void sha512_block(uint64_t h[8], const unsigned char *block)
{
    uint64_t w[80], a, b, c, d, e, f, g, hh, t1, t2;
    int i, j;

    for (i = 0; i < 16; i++)
    {
        w[i] = 0;
        for (j = 0; j < 8; j++) w[i] = (w[i] << 8) | block[i * 8 + j];
    }
    for (i = 16; i < 80; i++)
    {
        uint64_t s0 = ror64(w[i - 15], 1) ^ ror64(w[i - 15], 8) ^ (w[i - 15] >> 7);
        uint64_t s1 = ror64(w[i - 2], 19) ^ ror64(w[i - 2], 61) ^ (w[i - 2] >> 6);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4]; f = h[5]; g = h[6]; hh = h[7];
    for (i = 0; i < 80; i++)
    {
        t1 = hh + (ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41)) + ((e & f) ^ (~e & g)) + sha512_k[i] + w[i];
        t2 = (ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    digest_wipe(w, sizeof(w));
}

static void sha512_256(const void *data, size_t len, unsigned char out[32])
{
    uint64_t h[8] =
    {
        0x22312194fc2bf72cULL, 0x9f555fa3c84c64c2ULL, 0x2393b86b6f53b151ULL, 0x963877195940eabdULL,
        0x96283ee2a88effe3ULL, 0xbe5e1e2553863992ULL, 0x2b0199fc2c85b8aaULL, 0x0eb72ddc81c52ca2ULL,
    };
    const unsigned char *p = data;
    unsigned char block[128];
    uint64_t bits_lo = (uint64_t)len << 3, bits_hi = (uint64_t)len >> 61;
    size_t rest = len, i;

    while (rest >= 128)
    {
        sha512_block(h, p);
        p += 128;
        rest -= 128;
    }
    memset(block, 0, sizeof(block));
    memcpy(block, p, rest);
    block[rest] = 0x80;
    if (rest >= 112)
    {
        sha512_block(h, block);
        memset(block, 0, sizeof(block));
    }
    for (i = 0; i < 8; i++)
    {
        block[112 + i] = (unsigned char)(bits_hi >> (56 - 8 * i));
        block[120 + i] = (unsigned char)(bits_lo >> (56 - 8 * i));
    }
    sha512_block(h, block);
    for (i = 0; i < 32; i++) out[i] = (unsigned char)(h[i / 8] >> (56 - 8 * (i % 8)));
    digest_wipe(block, sizeof(block));
    digest_wipe(h, sizeof(h));
}

/* ------------------------------------------------------------------ */

int digest_hash_hex(enum digest_hash hash, const void *data, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[64];
    size_t n, i;

    switch (hash)
    {
    case DIGEST_HASH_MD5:
        if (gnutls_hash_fast(GNUTLS_DIG_MD5, data, len, raw) < 0) return 0;
        n = 16;
        break;
    case DIGEST_HASH_SHA256:
        if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, raw) < 0) return 0;
        n = 32;
        break;
    case DIGEST_HASH_SHA512_256:
        sha512_256(data, len, raw);
        n = 32;
        break;
    default:
        return 0;
    }
    for (i = 0; i < n; i++)
    {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[2 * n] = 0;
    digest_wipe(raw, sizeof(raw));
    return 1;
}

/* hex(H(a ":" b [":" c ...])), the parts NULL-terminated; wipes its buffer. */
static int hash_joined(enum digest_hash hash, char *out, const char *first, ...)
{
    va_list args;
    const char *part;
    size_t len = 0, pos = 0;
    char *buf;
    int ret, n = 0;

    va_start(args, first);
    for (part = first; part; part = va_arg(args, const char *)) len += strlen(part) + 1;
    va_end(args);
    /* calloc: gcc -m32 cannot see that every byte hashed is written below. */
    if (!(buf = calloc(1, len + 1))) return 0;
    va_start(args, first);
    for (part = first; part; part = va_arg(args, const char *))
    {
        if (n++) buf[pos++] = ':';
        memcpy(buf + pos, part, strlen(part));
        pos += strlen(part);
    }
    va_end(args);
    ret = digest_hash_hex(hash, buf, pos, out);
    digest_wipe(buf, len + 1);
    free(buf);
    return ret;
}

/* H(A1), section 3.4.2: H(user:realm:password), and for -sess
 * H(H(user:realm:password):nonce:cnonce). */
static int ha1(const struct digest_params *p, char *out)
{
    char inner[DIGEST_HEX_MAX];
    int ret;

    if (!hash_joined(p->alg.hash, inner, p->username, p->realm, p->password, NULL)) return 0;
    if (!p->alg.sess)
    {
        memcpy(out, inner, strlen(inner) + 1);
        digest_wipe(inner, sizeof(inner));
        return 1;
    }
    ret = hash_joined(p->alg.hash, out, inner, p->nonce, p->cnonce ? p->cnonce : "", NULL);
    digest_wipe(inner, sizeof(inner));
    return ret;
}

static int kd(const struct digest_params *p, const char *a2_method, char *out)
{
    char h1[DIGEST_HEX_MAX], h2[DIGEST_HEX_MAX], nc[9];
    int ret;

    if (!p->username || !p->realm || !p->password || !p->nonce || !p->uri) return 0;
    if (!ha1(p, h1)) return 0;
    if (!hash_joined(p->alg.hash, h2, a2_method, p->uri, NULL))
    {
        digest_wipe(h1, sizeof(h1));
        return 0;
    }
    if (p->qop)
    {
        if (!p->cnonce) ret = 0;
        else
        {
            snprintf(nc, sizeof(nc), "%08x", p->nc);
            ret = hash_joined(p->alg.hash, out, h1, p->nonce, nc, p->cnonce, p->qop, h2, NULL);
        }
    }
    else ret = hash_joined(p->alg.hash, out, h1, p->nonce, h2, NULL);   /* RFC 2069 */
    digest_wipe(h1, sizeof(h1));
    return ret;
}

int digest_response(const struct digest_params *p, char *out)
{
    return p->method && kd(p, p->method, out);
}

int digest_rspauth(const struct digest_params *p, char *out)
{
    return kd(p, "", out);
}

int digest_userhash(const struct digest_params *p, char *out)
{
    if (!p->username || !p->realm) return 0;
    return hash_joined(p->alg.hash, out, p->username, p->realm, NULL);
}

int digest_make_cnonce(char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[16];
    int i;

    if (gnutls_rnd(GNUTLS_RND_NONCE, raw, sizeof(raw)) < 0) return 0;
    for (i = 0; i < 16; i++)
    {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[32] = 0;
    return 1;
}
