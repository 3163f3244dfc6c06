/*
 * The WebSocket wire format (RFC 6455), client side.  See ws_frame.h.
 */
#include <string.h>

#include "ws_frame.h"

/* ------------------------------------------------------------------ */
/* UTF-8 */

int ws_utf8_feed(struct ws_utf8 *u, const uint8_t *p, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
    {
        uint8_t c = p[i];

        if (u->need)
        {
            if (c < u->lo || c > u->hi) return 0;
            u->need--;
            u->lo = 0x80;
            u->hi = 0xbf;
            continue;
        }
        if (c < 0x80) continue;
        /* RFC 3629 section 4: no overlong forms, no surrogates, nothing above U+10FFFF. */
        if (c >= 0xc2 && c <= 0xdf) u->need = 1;
        else if (c == 0xe0) { u->need = 2; u->lo = 0xa0; }
        else if (c == 0xed) { u->need = 2; u->hi = 0x9f; }
        else if (c >= 0xe1 && c <= 0xef) u->need = 2;
        else if (c == 0xf0) { u->need = 3; u->lo = 0x90; }
        else if (c == 0xf4) { u->need = 3; u->hi = 0x8f; }
        else if (c >= 0xf1 && c <= 0xf3) u->need = 3;
        else return 0;
    }
    return 1;
}

int ws_utf8_valid(const uint8_t *p, size_t len)
{
    struct ws_utf8 u;

    ws_utf8_init(&u);
    return ws_utf8_feed(&u, p, len) && ws_utf8_complete(&u);
}

/* ------------------------------------------------------------------ */
/* writing */

size_t ws_write_head(uint8_t *out, int fin, enum ws_opcode opcode, uint64_t len, const uint8_t *key)
{
    size_t n = 2;
    int i;

    out[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
    if (len < 126) out[1] = (uint8_t)len;
    else if (len <= 0xffff)
    {
        /* Section 5.2: the minimal number of bytes must be used for the length. */
        out[1] = 126;
        out[2] = (uint8_t)(len >> 8);
        out[3] = (uint8_t)len;
        n = 4;
    }
    else
    {
        out[1] = 127;
        for (i = 0; i < 8; i++) out[2 + i] = (uint8_t)(len >> (56 - 8 * i));
        n = 10;
    }
    if (key)
    {
        out[1] |= 0x80;
        memcpy(out + n, key, 4);
        n += 4;
    }
    return n;
}

void ws_mask(uint8_t *data, size_t len, const uint8_t key[4], uint64_t offset)
{
    size_t i;

    for (i = 0; i < len; i++) data[i] ^= key[(offset + i) & 3];
}

size_t ws_close_payload(uint8_t *out, unsigned int status, const void *reason, size_t reason_len)
{
    if (status == WS_CLOSE_NO_STATUS) return 0;
    if (reason_len > WS_MAX_CLOSE_REASON) reason_len = WS_MAX_CLOSE_REASON;
    out[0] = (uint8_t)(status >> 8);
    out[1] = (uint8_t)status;
    if (reason_len) memcpy(out + 2, reason, reason_len);
    return 2 + reason_len;
}

int ws_close_status_valid(unsigned int status)
{
    /* 1004 is reserved, 1005, 1006 and 1015 must never be sent; 1012-1014
     * were registered with IANA after the RFC. */
    if (status >= 1000 && status <= 1003) return 1;
    if (status >= 1007 && status <= 1014) return 1;
    return status >= 3000 && status <= 4999;
}

/* ------------------------------------------------------------------ */
/* reading */

void ws_reader_init(struct ws_reader *r, uint64_t max_message)
{
    memset(r, 0, sizeof(*r));
    ws_utf8_init(&r->utf8);
    r->max_message = max_message;
}

static int fail(struct ws_reader *r, struct ws_result *res, unsigned int status, const char *error)
{
    r->failed = 1;
    res->close_status = status;
    res->error = error;
    return WS_ERROR;
}

/* A complete close frame's payload: status and UTF-8 reason (section 5.5.1, 7.1.5). */
static int parse_close(struct ws_reader *r, struct ws_result *res)
{
    res->close_status = WS_CLOSE_NO_STATUS;
    res->reason = res->payload;
    res->reason_len = 0;
    if (!res->payload_len) return WS_CONTROL;
    if (res->payload_len == 1) return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "close frame of one byte");
    res->close_status = (res->payload[0] << 8) | res->payload[1];
    if (!ws_close_status_valid(res->close_status))
        return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "invalid close status");
    res->reason = res->payload + 2;
    res->reason_len = res->payload_len - 2;
    if (!ws_utf8_valid(res->reason, res->reason_len))
        return fail(r, res, WS_CLOSE_INVALID_DATA, "close reason is not UTF-8");
    return WS_CONTROL;
}

/* Parse a frame head at in; 0 when incomplete, else its length. */
static size_t parse_head(const uint8_t *in, size_t len, int *fin, int *rsv, int *opcode, int *masked,
                         uint64_t *payload_len, uint8_t key[4])
{
    size_t n = 2;
    int i;

    if (len < 2) return 0;
    *fin = in[0] >> 7;
    *rsv = (in[0] >> 4) & 7;
    *opcode = in[0] & 0x0f;
    *masked = in[1] >> 7;
    *payload_len = in[1] & 0x7f;
    if (*payload_len == 126)
    {
        if (len < 4) return 0;
        *payload_len = (in[2] << 8) | in[3];
        n = 4;
    }
    else if (*payload_len == 127)
    {
        if (len < 10) return 0;
        *payload_len = 0;
        for (i = 0; i < 8; i++) *payload_len = (*payload_len << 8) | in[2 + i];
        n = 10;
    }
    if (*masked)
    {
        if (len < n + 4) return 0;
        memcpy(key, in + n, 4);
        n += 4;
    }
    return n;
}

int ws_reader_next(struct ws_reader *r, const uint8_t *in, size_t in_len, size_t *used,
                   uint8_t *out, size_t out_cap, struct ws_result *res)
{
    size_t pos = 0;

    memset(res, 0, sizeof(*res));
    *used = 0;
    if (r->failed) return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "the connection already failed");

    for (;;)
    {
        int fin, rsv, opcode, masked;
        uint64_t len;
        uint8_t key[4];
        size_t head;

        if (r->in_payload)
        {
            size_t n = in_len - pos;

            if (n > r->remaining) n = (size_t)r->remaining;
            if (n > out_cap) n = out_cap;
            if (!n && r->remaining)
            {
                *used = pos;
                return WS_NEED_MORE;
            }
            memcpy(out, in + pos, n);
            pos += n;
            r->remaining -= n;
            if (r->message == WS_OP_TEXT && !ws_utf8_feed(&r->utf8, out, n))
            {
                *used = pos;
                return fail(r, res, WS_CLOSE_INVALID_DATA, "text message is not UTF-8");
            }
            res->opcode = r->message;
            res->len = n;
            res->frame_end = !r->remaining;
            res->message_end = res->frame_end && r->fin;
            if (res->frame_end) r->in_payload = 0;
            if (res->message_end)
            {
                if (r->message == WS_OP_TEXT && !ws_utf8_complete(&r->utf8))
                {
                    *used = pos;
                    return fail(r, res, WS_CLOSE_INVALID_DATA, "text message ends inside a character");
                }
                r->message = 0;
            }
            *used = pos;
            /* An empty frame that does not end its message says nothing. */
            if (!n && !res->message_end) continue;
            return WS_DATA;
        }

        if (!(head = parse_head(in + pos, in_len - pos, &fin, &rsv, &opcode, &masked, &len, key)))
        {
            *used = pos;
            return WS_NEED_MORE;
        }
        /* No extension was negotiated, so no reserved bit may be set (5.2). */
        if (rsv) return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "reserved bits set");
        /* Section 5.1: a client closes the connection on a masked frame. */
        if (masked) return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "masked frame from the server");
        if (len >> 63) return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "64-bit length with the top bit set");

        if (opcode & 0x8)
        {
            if (opcode != WS_OP_CLOSE && opcode != WS_OP_PING && opcode != WS_OP_PONG)
                return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "reserved control opcode");
            /* Section 5.5: control frames are not fragmented and carry 125 bytes at most. */
            if (!fin) return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "fragmented control frame");
            if (len > WS_MAX_CONTROL_PAYLOAD) return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "control frame too long");
            if (in_len - pos - head < len)
            {
                *used = pos;
                return WS_NEED_MORE;
            }
            memcpy(res->payload, in + pos + head, (size_t)len);
            res->payload_len = (size_t)len;
            res->opcode = opcode;
            pos += head + (size_t)len;
            *used = pos;
            if (opcode == WS_OP_CLOSE) return parse_close(r, res);
            return WS_CONTROL;
        }

        if (opcode == WS_OP_CONTINUATION)
        {
            if (!r->message) return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "continuation outside a message");
        }
        else if (opcode == WS_OP_TEXT || opcode == WS_OP_BINARY)
        {
            if (r->message) return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "new message inside a fragmented one");
            r->message = opcode;
            r->message_len = 0;
            ws_utf8_init(&r->utf8);
        }
        else return fail(r, res, WS_CLOSE_PROTOCOL_ERROR, "reserved data opcode");

        r->message_len += len;
        if (r->max_message && (r->message_len > r->max_message || r->message_len < len))
            return fail(r, res, WS_CLOSE_TOO_BIG, "message larger than the limit");
        pos += head;
        r->in_payload = 1;
        r->fin = fin;
        r->remaining = len;
    }
}

/* ------------------------------------------------------------------ */
/* the opening handshake */

size_t ws_base64(const uint8_t *in, size_t len, char *out)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, n = 0;

    for (i = 0; i + 2 < len; i += 3)
    {
        uint32_t v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
        out[n++] = alphabet[v >> 18];
        out[n++] = alphabet[(v >> 12) & 63];
        out[n++] = alphabet[(v >> 6) & 63];
        out[n++] = alphabet[v & 63];
    }
    if (i < len)
    {
        uint32_t v = in[i] << 16;
        if (i + 1 < len) v |= in[i + 1] << 8;
        out[n++] = alphabet[v >> 18];
        out[n++] = alphabet[(v >> 12) & 63];
        out[n++] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
        out[n++] = '=';
    }
    out[n] = 0;
    return n;
}

/* SHA-1 (RFC 3174): the handshake needs nothing else from a hash. */
static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80], a, b, c, d, e, f, k, t;
    int i;

    for (i = 0; i < 16; i++) w[i] = ((uint32_t)p[4 * i] << 24) | (p[4 * i + 1] << 16) | (p[4 * i + 2] << 8) | p[4 * i + 3];
    for (; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4];
    for (i = 0; i < 80; i++)
    {
        if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
        else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
        else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
        else { f = b ^ c ^ d; k = 0xca62c1d6; }
        t = rol(a, 5) + f + e + k + w[i];
        e = d; d = c; c = rol(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

void ws_sha1(const uint8_t *data, size_t len, uint8_t digest[20])
{
    uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    uint8_t block[64];
    uint64_t bits = (uint64_t)len * 8;
    size_t i, rest;

    for (i = 0; i + 64 <= len; i += 64) sha1_block(h, data + i);
    rest = len - i;
    memset(block, 0, sizeof(block));
    memcpy(block, data + i, rest);
    block[rest] = 0x80;
    if (rest >= 56)
    {
        sha1_block(h, block);
        memset(block, 0, sizeof(block));
    }
    for (i = 0; i < 8; i++) block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    sha1_block(h, block);
    for (i = 0; i < 20; i++) digest[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

void ws_accept_key(const char *key, size_t key_len, char out[29])
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    uint8_t buf[128 + sizeof(guid)], digest[20];

    if (key_len > 128) key_len = 128;
    memcpy(buf, key, key_len);
    memcpy(buf + key_len, guid, sizeof(guid) - 1);
    ws_sha1(buf, key_len + sizeof(guid) - 1, digest);
    ws_base64(digest, sizeof(digest), out);
}
