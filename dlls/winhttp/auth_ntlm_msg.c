/*
 * MS-NLMP's CHALLENGE_MESSAGE, checked field by field before gss-ntlmssp
 * parses it (see auth_ntlm_msg.h).  What a message must be to pass:
 *
 *  - at least the 48 bytes up to and including TargetInfoFields, 56 when
 *    NTLMSSP_NEGOTIATE_VERSION says the Version field is there; the
 *    signature "NTLMSSP\0" and MessageType 2;
 *  - NegotiateFlags: Unicode or OEM (a character set we can answer in);
 *  - each security buffer (TargetNameFields, TargetInfoFields) that is not
 *    empty: MaxLen not below Len (the spec has the sender set them equal; a
 *    smaller MaxLen contradicts Len), Offset not inside the fixed header,
 *    Offset + Len inside the message (in 64-bit arithmetic: Offset is 32
 *    bits), and the two buffers not overlapping.  An empty buffer's Offset
 *    is not used (the spec only says what it SHOULD be), so not checked;
 *  - TargetName: not empty when NTLMSSP_REQUEST_TARGET is set (2.2.2.5:
 *    it MUST be supplied then) nor when it is Unicode (gss-ntlmssp 1.2.0
 *    dereferences NULL on an empty Unicode TargetName); an even length
 *    when Unicode;
 *  - TargetInfo: present (at least MsvAvEOL) when NTLMSSP_NEGOTIATE_
 *    TARGET_INFO is set, and when present an AV_PAIR list (2.2.2.1) that
 *    fills it exactly: every pair's AvLen inside the buffer, MsvAvEOL
 *    present, with AvLen 0, and last; the names (MsvAvNb*, MsvAvDns*,
 *    MsvAvTargetName) UTF-16, so of even length; MsvAvFlags 4 bytes,
 *    MsvAvTimestamp 8 (a FILETIME), MsvAvSingleHost 48 (2.2.2.2),
 *    MsvAvChannelBindings 16 (an MD5 hash); none of the AvIds the spec
 *    defines twice (each is one attribute of the server).  AvIds the spec
 *    does not define are skipped, as 2.2.2.1 has receivers do.
 *
 * Only structure is checked: whether the server's choices suit us (NTLMv2,
 * the timestamp's skew) is for gss-ntlmssp to decide on a message it can
 * read.
 */
#include <string.h>

#include "auth_ntlm_msg.h"

#define NTLM_CHALLENGE          2

/* NegotiateFlags (MS-NLMP 2.2.2.5) */
#define NEGOTIATE_UNICODE       0x00000001
#define NEGOTIATE_OEM           0x00000002
#define REQUEST_TARGET          0x00000004
#define NEGOTIATE_TARGET_INFO   0x00800000
#define NEGOTIATE_VERSION       0x02000000

/* Offsets in the CHALLENGE_MESSAGE */
#define OFF_TYPE                8
#define OFF_TARGET_NAME         12
#define OFF_FLAGS               20
#define OFF_TARGET_INFO         40
#define HEADER_MIN              48      /* through TargetInfoFields */
#define HEADER_VERSION          56      /* with the Version field */

/* AvId (MS-NLMP 2.2.2.1) */
enum
{
    MSV_AV_EOL,
    MSV_AV_NB_COMPUTER_NAME,
    MSV_AV_NB_DOMAIN_NAME,
    MSV_AV_DNS_COMPUTER_NAME,
    MSV_AV_DNS_DOMAIN_NAME,
    MSV_AV_DNS_TREE_NAME,
    MSV_AV_FLAGS,
    MSV_AV_TIMESTAMP,
    MSV_AV_SINGLE_HOST,
    MSV_AV_TARGET_NAME,
    MSV_AV_CHANNEL_BINDINGS,
    MSV_AV_KNOWN                        /* AvIds from here on are skipped */
};

struct secbuf
{
    unsigned int len, maxlen;
    unsigned long long offset;
};

static unsigned int le16(const unsigned char *p)
{
    return p[0] | (p[1] << 8);
}

static unsigned long le32(const unsigned char *p)
{
    return p[0] | (p[1] << 8) | ((unsigned long)p[2] << 16) | ((unsigned long)p[3] << 24);
}

static const char *check_secbuf(const unsigned char *msg, size_t len, size_t field, size_t header,
                                struct secbuf *buf)
{
    buf->len = le16(msg + field);
    buf->maxlen = le16(msg + field + 2);
    buf->offset = le32(msg + field + 4);
    if (!buf->len) return NULL;
    if (buf->maxlen < buf->len) return "a security buffer's MaxLen is below its Len";
    if (buf->offset < header) return "a security buffer overlaps the fixed header";
    if (buf->offset > len || buf->len > len - buf->offset) return "a security buffer runs past the end of the message";
    return NULL;
}

static int overlap(const struct secbuf *a, const struct secbuf *b)
{
    if (!a->len || !b->len) return 0;
    return a->offset < b->offset + b->len && b->offset < a->offset + a->len;
}

static const char *check_av_pairs(const unsigned char *p, size_t len)
{
    unsigned int seen = 0;
    size_t pos = 0;

    for (;;)
    {
        unsigned int id, avlen;

        if (len - pos < 4) return "the AV_PAIR list has no MsvAvEOL";
        id = le16(p + pos);
        avlen = le16(p + pos + 2);
        pos += 4;
        if (avlen > len - pos) return "an AvLen runs past the end of TargetInfo";
        if (id < MSV_AV_KNOWN)
        {
            if (seen & (1u << id)) return "an AvId appears twice";
            seen |= 1u << id;
        }
        switch (id)
        {
        case MSV_AV_EOL:
            if (avlen) return "MsvAvEOL with a value";
            if (pos != len) return "MsvAvEOL is not the last AV_PAIR";
            return NULL;
        case MSV_AV_NB_COMPUTER_NAME:
        case MSV_AV_NB_DOMAIN_NAME:
        case MSV_AV_DNS_COMPUTER_NAME:
        case MSV_AV_DNS_DOMAIN_NAME:
        case MSV_AV_DNS_TREE_NAME:
        case MSV_AV_TARGET_NAME:
            if (avlen & 1) return "a UTF-16 name of odd length in TargetInfo";
            break;
        case MSV_AV_FLAGS:
            if (avlen != 4) return "MsvAvFlags is not 4 bytes";
            break;
        case MSV_AV_TIMESTAMP:
            if (avlen != 8) return "MsvAvTimestamp is not 8 bytes";
            break;
        case MSV_AV_SINGLE_HOST:
            if (avlen != 48) return "MsvAvSingleHost is not 48 bytes";
            break;
        case MSV_AV_CHANNEL_BINDINGS:
            if (avlen != 16) return "MsvAvChannelBindings is not 16 bytes";
            break;
        default:
            break;
        }
        pos += avlen;
    }
}

const char *ntlm_check_challenge(const unsigned char *msg, size_t len)
{
    struct secbuf name, info;
    unsigned long flags;
    size_t header = HEADER_MIN;
    const char *err;

    if (!msg || len < HEADER_MIN) return "shorter than a CHALLENGE_MESSAGE's fixed header";
    if (memcmp(msg, NTLM_SIGNATURE, NTLM_SIGNATURE_LEN)) return "no NTLMSSP signature";
    if (le32(msg + OFF_TYPE) != NTLM_CHALLENGE) return "not a CHALLENGE_MESSAGE";
    flags = le32(msg + OFF_FLAGS);
    if (!(flags & (NEGOTIATE_UNICODE | NEGOTIATE_OEM))) return "neither Unicode nor OEM negotiated";
    if (flags & NEGOTIATE_VERSION)
    {
        if (len < HEADER_VERSION) return "NTLMSSP_NEGOTIATE_VERSION without a Version field";
        header = HEADER_VERSION;
    }
    if ((err = check_secbuf(msg, len, OFF_TARGET_NAME, header, &name))) return err;
    if ((err = check_secbuf(msg, len, OFF_TARGET_INFO, header, &info))) return err;
    if (overlap(&name, &info)) return "TargetName and TargetInfo overlap";

    if (!name.len && (flags & (REQUEST_TARGET | NEGOTIATE_UNICODE))) return "an empty TargetName";
    if ((flags & NEGOTIATE_UNICODE) && (name.len & 1)) return "a Unicode TargetName of odd length";

    if (!info.len) return (flags & NEGOTIATE_TARGET_INFO) ? "NTLMSSP_NEGOTIATE_TARGET_INFO with no TargetInfo" : NULL;
    return check_av_pairs(msg + info.offset, info.len);
}
