/*
 * The WebSocket wire format (RFC 6455): frames, close payloads, UTF-8
 * validation and the opening handshake's key.  Plain C, no sockets, no
 * Win32, so it is unit-tested and fuzzed natively.  The client side only:
 * frames we write are masked (section 5.3), frames we read must not be.
 */
#ifndef WINHTTP_WS_FRAME_H
#define WINHTTP_WS_FRAME_H

#include <stddef.h>
#include <stdint.h>

enum ws_opcode
{
    WS_OP_CONTINUATION = 0x0,
    WS_OP_TEXT         = 0x1,
    WS_OP_BINARY       = 0x2,
    WS_OP_CLOSE        = 0x8,
    WS_OP_PING         = 0x9,
    WS_OP_PONG         = 0xa,
};

/* Close codes we send when we fail the connection (section 7.4.1). */
#define WS_CLOSE_NORMAL          1000
#define WS_CLOSE_PROTOCOL_ERROR  1002
#define WS_CLOSE_NO_STATUS       1005   /* never on the wire: "the close frame had no status" */
#define WS_CLOSE_INVALID_DATA    1007
#define WS_CLOSE_TOO_BIG         1009

#define WS_MAX_HEAD            14       /* 2 + 8 (64-bit length) + 4 (mask) */
#define WS_MAX_CONTROL_PAYLOAD 125      /* section 5.5 */
#define WS_MAX_CLOSE_REASON    123      /* 125 minus the status code */

/* ------------------------------------------------------------------ */
/* UTF-8 (RFC 3629), fed in pieces: a text message may be split anywhere. */

struct ws_utf8
{
    uint8_t need;           /* continuation bytes still expected */
    uint8_t lo, hi;         /* range of the next continuation byte */
};

static inline void ws_utf8_init(struct ws_utf8 *u) { u->need = 0; u->lo = 0x80; u->hi = 0xbf; }
/* 0 once a byte can no longer be part of valid UTF-8; 1 otherwise. */
int ws_utf8_feed(struct ws_utf8 *u, const uint8_t *p, size_t len);
/* The text ends here: no sequence may be cut. */
static inline int ws_utf8_complete(const struct ws_utf8 *u) { return !u->need; }
int ws_utf8_valid(const uint8_t *p, size_t len);

/* ------------------------------------------------------------------ */
/* writing */

/* A frame head for a payload of len bytes into out (WS_MAX_HEAD bytes);
 * key NULL: unmasked (only a server does that).  Returns its length. */
size_t ws_write_head(uint8_t *out, int fin, enum ws_opcode opcode, uint64_t len, const uint8_t *key);
/* XOR data with the masking key, offset bytes into the payload. */
void ws_mask(uint8_t *data, size_t len, const uint8_t key[4], uint64_t offset);
/* A close frame's payload: status (big-endian) and reason; status
 * WS_CLOSE_NO_STATUS gives the empty payload.  Returns its length. */
size_t ws_close_payload(uint8_t *out, unsigned int status, const void *reason, size_t reason_len);
/* A status an endpoint may put in a close frame (section 7.4): 1000-1003,
 * 1007-1014, 3000-4999. */
int ws_close_status_valid(unsigned int status);

/* ------------------------------------------------------------------ */
/* reading */

#define WS_NEED_MORE  0     /* give more input (the unused bytes again, plus new ones) */
#define WS_DATA       1     /* res.len payload bytes of a data message were written to out */
#define WS_CONTROL    2     /* a complete control frame: res.opcode, res.payload */
#define WS_ERROR    (-1)    /* fail the connection with res.close_status; the reader stays failed */

struct ws_reader
{
    int failed;
    int in_payload;         /* the head of the current data frame was read */
    int fin;
    uint64_t remaining;     /* payload bytes of the current data frame still to come */
    int message;            /* WS_OP_TEXT / WS_OP_BINARY of the message in progress, 0: none */
    struct ws_utf8 utf8;
    uint64_t message_len;
    uint64_t max_message;   /* 0: no limit */
};

struct ws_result
{
    enum ws_opcode opcode;  /* WS_DATA: the message's TEXT or BINARY; WS_CONTROL: the frame's */
    size_t len;             /* WS_DATA: bytes written to out */
    int frame_end;          /* WS_DATA: the current frame's payload is complete */
    int message_end;        /* WS_DATA: ... and it was the message's last frame */
    uint8_t payload[WS_MAX_CONTROL_PAYLOAD];
    size_t payload_len;     /* WS_CONTROL */
    unsigned int close_status;  /* WS_CONTROL close: received status (WS_CLOSE_NO_STATUS: none);
                                 * WS_ERROR: the status to fail the connection with */
    const uint8_t *reason;  /* WS_CONTROL close: into payload */
    size_t reason_len;
    const char *error;      /* WS_ERROR: what was wrong, for traces */
};

void ws_reader_init(struct ws_reader *r, uint64_t max_message);
/* Consume bytes of in (*used of them) and stop at the first thing to
 * report.  Payload goes to out (up to out_cap, which must be > 0).  A
 * frame head or a control frame is consumed only once complete, so
 * WS_NEED_MORE may leave bytes unused. */
int ws_reader_next(struct ws_reader *r, const uint8_t *in, size_t in_len, size_t *used,
                   uint8_t *out, size_t out_cap, struct ws_result *res);

/* ------------------------------------------------------------------ */
/* the opening handshake (section 4) */

/* Base64 (RFC 4648) of len bytes into out (4 * ((len + 2) / 3) + 1 bytes, NUL-terminated). */
size_t ws_base64(const uint8_t *in, size_t len, char *out);
void ws_sha1(const uint8_t *data, size_t len, uint8_t digest[20]);
/* Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key GUID)), 28 chars + NUL. */
void ws_accept_key(const char *key, size_t key_len, char out[29]);

#endif /* WINHTTP_WS_FRAME_H */
