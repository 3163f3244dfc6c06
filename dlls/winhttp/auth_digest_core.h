/*
 * RFC 7616 HTTP Digest: the computations, free of Win32 so that they are
 * unit-tested natively against the RFC's own examples (tests/unit/
 * test_digest.c).  Strings are UTF-8 and NUL-terminated; digests are lower
 * case hex.  MD5 and SHA-256 come from GnuTLS; SHA-512/256 (FIPS 180-4
 * section 5.3.6, which GnuTLS lacks) is computed here.
 */
#ifndef WINHTTP_AUTH_DIGEST_CORE_H
#define WINHTTP_AUTH_DIGEST_CORE_H

#include <stddef.h>

enum digest_hash
{
    DIGEST_HASH_MD5,
    DIGEST_HASH_SHA256,
    DIGEST_HASH_SHA512_256,
};

struct digest_alg
{
    enum digest_hash hash;
    int sess;                   /* the "-sess" variant (RFC 7616 section 3.4.2) */
};

/* The longest hex digest plus its NUL. */
#define DIGEST_HEX_MAX 129

/* algorithm= of a challenge ("MD5", "sha-256-sess", ...; len bytes) into
 * *alg; 0 if we do not know it.  A challenge without algorithm= means MD5. */
int digest_alg_parse(const char *name, size_t len, struct digest_alg *alg);
/* The algorithm's name as it goes back in the response ("SHA-256-sess"). */
const char *digest_alg_name(const struct digest_alg *alg);
/* Preference among challenges: higher is stronger. */
int digest_alg_strength(const struct digest_alg *alg);

/* hex(H(data)) into out (DIGEST_HEX_MAX bytes). 0 on failure. */
int digest_hash_hex(enum digest_hash hash, const void *data, size_t len, char *out);

struct digest_params
{
    struct digest_alg alg;
    const char *username;       /* as configured (the userhash is computed from it) */
    const char *realm;
    const char *password;
    const char *nonce;
    const char *cnonce;         /* NULL without qop */
    unsigned int nc;            /* the nonce count of this request */
    const char *qop;            /* "auth", or NULL for RFC 2069 */
    const char *method;
    const char *uri;
};

/* The request-digest of section 3.4.1 into out (DIGEST_HEX_MAX bytes). */
int digest_response(const struct digest_params *p, char *out);
/* The rspauth a server sends back in Authentication-Info (section 3.5):
 * the response with A2 = ":" uri. */
int digest_rspauth(const struct digest_params *p, char *out);
/* userhash (section 3.4.4): H(username ":" realm). */
int digest_userhash(const struct digest_params *p, char *out);
/* A client nonce: 128 random bits from GnuTLS's nonce generator, as 32 hex
 * digits plus NUL into out (33 bytes).  0 on failure. */
int digest_make_cnonce(char *out);

/* Overwrite a buffer in a way the compiler keeps. */
void digest_wipe(void *buf, size_t len);

#endif /* WINHTTP_AUTH_DIGEST_CORE_H */
