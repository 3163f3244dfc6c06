/*
 * The framing of a server's Negotiate token, checked before MIT GSSAPI
 * parses it (see auth_spnego_msg.h).  What a token must be to pass:
 *
 *  - DER throughout (X.690 section 8.1): every element's definite length
 *    fits its parent exactly (no indefinite length, that is BER), lengths
 *    and tag numbers of at most 4 bytes, constructed elements nested at
 *    most DER_MAX_DEPTH deep, nothing after the outermost element;
 *  - either a NegTokenResp, [1] { SEQUENCE { [0] ENUMERATED, [1] OID,
 *    [2] OCTET STRING, [3] OCTET STRING } } with each field optional,
 *    in order, each exactly one element of its type (fields after [3], the
 *    extension marker's, are skipped), what RFC 4178 section 4.2.2 has a
 *    server send; or a GSS-API token, [APPLICATION 0] { OID, inner token }
 *    (RFC 2743 section 3.1), which some servers send in place of SPNEGO;
 *    or, as some servers also do, a bare NTLM CHALLENGE_MESSAGE;
 *  - the mechanism's own token (responseToken, or the inner token of a
 *    GSS-API token): an NTLM CHALLENGE_MESSAGE when it says NTLMSSP or
 *    the mechanism is NTLM (checked by auth_ntlm_msg.c); for Kerberos
 *    (RFC 4121 section 4.1) a 2-byte TOK_ID and one DER message; a GSS-API
 *    token again (once), or DER, otherwise.
 *
 * Checked here is structure, not meaning: what the Kerberos message says
 * is for the library, which parses DER it can walk.
 */
#include <string.h>

#include "auth_ntlm_msg.h"
#include "auth_spnego_msg.h"

#define DER_CONSTRUCTED     0x20
#define DER_CLASS_MASK      0xc0
#define DER_CONTEXT         0x80
#define DER_APPLICATION     0x40

#define TAG_ENUMERATED      0x0a
#define TAG_OID             0x06
#define TAG_OCTET_STRING    0x04
#define TAG_SEQUENCE        0x30
#define TAG_APP0            0x60    /* [APPLICATION 0] constructed: GSS-API framing */
#define TAG_NEG_TOKEN_RESP  0xa1    /* [1] constructed */

static const unsigned char ntlm_oid[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a };
static const unsigned char krb5_oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
/* Microsoft's mistaken Kerberos OID, 1.2.840.48018.1.2.2, which Windows still offers */
static const unsigned char krb5_ms_oid[] = { 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02 };
static const unsigned char spnego_oid[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };

struct der
{
    unsigned char first;            /* the identifier octet: class, constructed, low tag bits */
    unsigned long number;           /* the tag number */
    const unsigned char *content;
    size_t len;
    size_t size;                    /* header and content */
};

static const char *der_read(const unsigned char *p, size_t len, struct der *e)
{
    size_t pos = 1, n, l = 0;
    unsigned int i;

    if (len < 2) return "a DER element cut short";
    e->first = p[0];
    e->number = p[0] & 0x1f;
    if (e->number == 0x1f)
    {
        e->number = 0;
        for (i = 0;; i++)
        {
            if (pos >= len) return "a DER element cut short";
            if (i == 4) return "a DER tag number longer than 4 bytes";
            e->number = (e->number << 7) | (p[pos] & 0x7f);
            if (!(p[pos++] & 0x80)) break;
        }
    }
    if (pos >= len) return "a DER element cut short";
    n = p[pos++];
    if (n == 0x80) return "an indefinite DER length";
    if (n & 0x80)
    {
        n &= 0x7f;
        if (n > 4) return "a DER length longer than 4 bytes";
        if (len - pos < n) return "a DER element cut short";
        while (n--) l = (l << 8) | p[pos++];
    }
    else l = n;
    if (l > len - pos) return "a DER length past the end of its parent";
    e->content = p + pos;
    e->len = l;
    e->size = pos + l;
    return NULL;
}

static const char *der_walk(const unsigned char *p, size_t len, unsigned int depth)
{
    struct der e;
    const char *err;

    while (len)
    {
        if ((err = der_read(p, len, &e))) return err;
        if (e.first & DER_CONSTRUCTED)
        {
            if (depth >= DER_MAX_DEPTH) return "DER nested too deep";
            if ((err = der_walk(e.content, e.len, depth + 1))) return err;
        }
        p += e.size;
        len -= e.size;
    }
    return NULL;
}

const char *der_check(const unsigned char *data, size_t len)
{
    if (!data) return "no token";
    return der_walk(data, len, 0);
}

/* One whole element filling len, well-formed inside. */
static const char *der_single(const unsigned char *p, size_t len, struct der *e)
{
    const char *err;

    if ((err = der_read(p, len, e))) return err;
    if (e->size != len) return "data after a DER element";
    return der_walk(p, len, 0);
}

static int is_oid(const struct der *e, const unsigned char *oid, size_t len)
{
    return e->len == len && !memcmp(e->content, oid, len);
}

static int is_ntlm(const unsigned char *p, size_t len)
{
    return len >= NTLM_SIGNATURE_LEN && !memcmp(p, NTLM_SIGNATURE, NTLM_SIGNATURE_LEN);
}

static const char *check_framed(const unsigned char *p, size_t len, int nested);
static const char *check_neg_token_resp(const struct der *resp, int nested);

/* A mechanism's token; mech is the OID element that named it, or NULL. */
static const char *check_mech_token(const struct der *mech, const unsigned char *p, size_t len, int nested)
{
    if (!len) return "an empty mechanism token";
    if (is_ntlm(p, len) || (mech && is_oid(mech, ntlm_oid, sizeof(ntlm_oid))))
        return ntlm_check_challenge(p, len);
    if (p[0] == TAG_APP0)
    {
        if (nested) return "a GSS-API token inside a GSS-API token";
        return check_framed(p, len, 1);
    }
    return der_check(p, len);
}

/* [APPLICATION 0] { thisMech OID, innerToken } (RFC 2743 section 3.1). */
static const char *check_framed(const unsigned char *p, size_t len, int nested)
{
    struct der outer, oid;
    const unsigned char *inner;
    size_t inner_len;
    const char *err;

    if ((err = der_read(p, len, &outer))) return err;
    if (outer.size != len) return "data after the GSS-API token";
    if ((err = der_read(outer.content, outer.len, &oid))) return err;
    if (oid.first != TAG_OID || !oid.len) return "a GSS-API token without its mechanism OID";
    inner = outer.content + oid.size;
    inner_len = outer.len - oid.size;
    if (is_oid(&oid, krb5_oid, sizeof(krb5_oid)) || is_oid(&oid, krb5_ms_oid, sizeof(krb5_ms_oid)))
    {
        /* TOK_ID, then one Kerberos message (AP-REP, KRB-ERROR) */
        struct der msg;
        if (inner_len < 2) return "a Kerberos token without its TOK_ID";
        return der_single(inner + 2, inner_len - 2, &msg);
    }
    if (is_oid(&oid, spnego_oid, sizeof(spnego_oid)))
    {
        struct der body;
        if ((err = der_single(inner, inner_len, &body))) return err;
        if (body.first != TAG_NEG_TOKEN_RESP) return "a SPNEGO token that is not a NegTokenResp";
        return check_neg_token_resp(&body, 1);
    }
    return check_mech_token(&oid, inner, inner_len, nested);
}

/* The content of [n]: exactly one element with the given identifier octet. */
static const char *field(const struct der *ctx, unsigned char tag, struct der *e)
{
    const char *err;

    if ((err = der_read(ctx->content, ctx->len, e))) return err;
    if (e->size != ctx->len || e->first != tag) return "a NegTokenResp field of the wrong type";
    return NULL;
}

/* NegTokenResp (RFC 4178 section 4.2.2), already walked as DER; nested
 * inside a GSS-API token (which then may not hold another). */
static const char *check_neg_token_resp(const struct der *resp, int nested)
{
    struct der seq, f, mech, token, other;
    const unsigned char *p;
    size_t left;
    unsigned long last = 0;
    int have_mech = 0, have_token = 0, any = 0;
    const char *err;

    if ((err = der_read(resp->content, resp->len, &seq))) return err;
    if (seq.size != resp->len || seq.first != TAG_SEQUENCE) return "a NegTokenResp that is not one SEQUENCE";
    for (p = seq.content, left = seq.len; left; p += f.size, left -= f.size)
    {
        if ((err = der_read(p, left, &f))) return err;
        if ((f.first & (DER_CLASS_MASK | DER_CONSTRUCTED)) != (DER_CONTEXT | DER_CONSTRUCTED))
            return "a NegTokenResp field that is not context-tagged";
        if (any && f.number <= last) return "NegTokenResp fields out of order";
        any = 1;
        last = f.number;
        switch (f.number)
        {
        case 0:     /* negState */
            if ((err = field(&f, TAG_ENUMERATED, &other))) return err;
            if (other.len != 1) return "a negState that is not one byte";
            break;
        case 1:     /* supportedMech */
            if ((err = field(&f, TAG_OID, &mech))) return err;
            if (!mech.len) return "an empty supportedMech";
            have_mech = 1;
            break;
        case 2:     /* responseToken */
            if ((err = field(&f, TAG_OCTET_STRING, &token))) return err;
            have_token = 1;
            break;
        case 3:     /* mechListMIC */
            if ((err = field(&f, TAG_OCTET_STRING, &other))) return err;
            break;
        default:    /* extensions */
            break;
        }
    }
    if (have_token) return check_mech_token(have_mech ? &mech : NULL, token.content, token.len, nested);
    return NULL;
}

const char *spnego_check_token(const unsigned char *token, size_t len)
{
    struct der e;
    const char *err;

    if (!token || !len) return "an empty token";
    if (is_ntlm(token, len)) return ntlm_check_challenge(token, len);
    if ((err = der_single(token, len, &e))) return err;
    if (e.first == TAG_NEG_TOKEN_RESP) return check_neg_token_resp(&e, 0);
    if (e.first == TAG_APP0) return check_framed(token, len, 0);
    return "neither a NegTokenResp nor a GSS-API token";
}
