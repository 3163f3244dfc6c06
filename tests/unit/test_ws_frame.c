/*
 * Unit tests of the WebSocket wire format (ws_frame.c), written against
 * RFC 6455 (its section 5.7 examples included) and RFC 3629.
 */
// unit-sources: dlls/winhttp/ws_frame.c
#include <stdlib.h>
#include <string.h>

#include "ws_frame.h"
#include "unit.h"

/* A server frame (unmasked) into out; returns its length. */
static size_t server_frame(uint8_t *out, int fin, int rsv, int opcode, const void *payload, size_t len)
{
    size_t head = ws_write_head(out, fin, opcode, len, NULL);
    out[0] |= rsv << 4;
    if (len) memcpy(out + head, payload, len);
    return head + len;
}

struct read_all
{
    int ret;                /* last return */
    uint8_t data[70000];
    size_t len;
    int data_events;
    int message_ends;
    enum ws_opcode message;
    struct ws_result last;
    size_t used;
};

/* Feed in[0..len) in pieces of step bytes with out room of room bytes,
 * until an error, a control frame or the input is used up. */
static void read_all(const uint8_t *in, size_t len, size_t step, size_t room, struct read_all *r)
{
    struct ws_reader reader;
    size_t avail = 0, pos = 0;

    ws_reader_init(&reader, 0);
    memset(r, 0, sizeof(*r));
    for (;;)
    {
        size_t used;
        struct ws_result res;
        int ret;

        if (!avail) avail = step > len ? len : step;
        ret = ws_reader_next(&reader, in + pos, avail - pos, &used, r->data + r->len,
                             room < sizeof(r->data) - r->len ? room : sizeof(r->data) - r->len, &res);
        pos += used;
        r->ret = ret;
        r->last = res;
        /* res.reason points into res.payload: follow the copy. */
        if (res.reason) r->last.reason = r->last.payload + (res.reason - res.payload);
        if (ret == WS_DATA)
        {
            r->len += res.len;
            r->data_events++;
            r->message = res.opcode;
            if (res.message_end) r->message_ends++;
            continue;
        }
        if (ret == WS_NEED_MORE)
        {
            if (avail == len) break;
            avail = avail + step > len ? len : avail + step;
            continue;
        }
        break;
    }
    r->used = pos;
}

static void test_rfc_examples(void)
{
    /* Section 5.7. */
    static const uint8_t hello[] = { 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
    static const uint8_t fragmented[] = { 0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f };
    static const uint8_t masked_key[4] = { 0x37, 0xfa, 0x21, 0x3d };
    static const uint8_t masked[] = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 };
    uint8_t out[64];
    struct read_all r;
    size_t n;

    read_all(hello, sizeof(hello), sizeof(hello), 100, &r);
    ok_int(r.ret, WS_NEED_MORE);
    ok_mem(r.data, r.len, "Hello");
    ok_int(r.message, WS_OP_TEXT);
    ok_int(r.message_ends, 1);
    ok_int(r.used, sizeof(hello));

    read_all(fragmented, sizeof(fragmented), sizeof(fragmented), 100, &r);
    ok_mem(r.data, r.len, "Hello");
    ok_int(r.data_events, 2);
    ok_int(r.message_ends, 1);

    n = ws_write_head(out, 1, WS_OP_TEXT, 5, masked_key);
    memcpy(out + n, "Hello", 5);
    ws_mask(out + n, 5, masked_key, 0);
    ok_int(n + 5, sizeof(masked));
    ok(!memcmp(out, masked, sizeof(masked)), "masked frame differs from RFC 6455 5.7\n");

    /* A client must refuse that very frame from a server (section 5.1). */
    read_all(masked, sizeof(masked), sizeof(masked), 100, &r);
    ok_int(r.ret, WS_ERROR);
    ok_int(r.last.close_status, WS_CLOSE_PROTOCOL_ERROR);
}

static void test_lengths(void)
{
    static const uint64_t sizes[] = { 0, 1, 125, 126, 127, 65535, 65536, 69999 };
    static uint8_t frame[70100], payload[70000];
    unsigned int i, step;
    struct read_all *r = malloc(sizeof(*r));
    size_t n;

    for (i = 0; i < sizeof(payload); i++) payload[i] = (uint8_t)(i * 7);
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
    {
        n = ws_write_head(frame, 1, WS_OP_BINARY, sizes[i], NULL);
        ok_int(n, sizes[i] < 126 ? 2 : sizes[i] <= 65535 ? 4 : 10);
        memcpy(frame + n, payload, sizes[i]);
        for (step = 1; step <= 4096; step *= 8)
        {
            read_all(frame, n + sizes[i], step, 1000, r);
            ok_int(r->len, sizes[i]);
            ok(!memcmp(r->data, payload, sizes[i]), "payload of %u bytes differs (step %u)\n", (unsigned)sizes[i], step);
            ok_int(r->message_ends, 1);
            ok_int(r->message, WS_OP_BINARY);
        }
    }
    /* The head of a masked 64-bit frame. */
    n = ws_write_head(frame, 0, WS_OP_CONTINUATION, 0x123456789aULL, (const uint8_t *)"abcd");
    ok_int(n, 14);
    ok_int(frame[0], 0x00);
    ok_int(frame[1], 0xff);
    ok_int(frame[5], 0x12);
    ok_int(frame[9], 0x9a);
    ok_mem(frame + 10, 4, "abcd");
    free(r);
}

static void test_mask_offset(void)
{
    static const uint8_t key[4] = { 1, 2, 3, 4 };
    uint8_t a[10] = "0123456789", b[10] = "0123456789";

    ws_mask(a, 10, key, 0);
    ws_mask(b, 3, key, 0);
    ws_mask(b + 3, 7, key, 3);
    ok(!memcmp(a, b, 10), "masking in pieces differs\n");
    ws_mask(a, 10, key, 0);
    ok_mem(a, 10, "0123456789");
}

static void test_small_buffer(void)
{
    uint8_t frame[300], payload[256];
    struct ws_reader reader;
    struct ws_result res;
    uint8_t out[128];
    size_t n, used;
    int ret, i;

    /* A message larger than the buffer comes as fragments, the last one
     * ending the message (what WinHttpWebSocketReceive reports). */
    for (i = 0; i < 256; i++) payload[i] = i;
    n = server_frame(frame, 1, 0, WS_OP_BINARY, payload, 256);
    ws_reader_init(&reader, 0);
    ret = ws_reader_next(&reader, frame, n, &used, out, sizeof(out), &res);
    ok_int(ret, WS_DATA);
    ok_int(res.len, 128);
    ok_int(res.message_end, 0);
    ok_int(res.frame_end, 0);
    ret = ws_reader_next(&reader, frame + used, n - used, &used, out, sizeof(out), &res);
    ok_int(ret, WS_DATA);
    ok_int(res.len, 128);
    ok_int(res.message_end, 1);
    ok_int(out[127], 255);
}

static void test_control_interleaved(void)
{
    uint8_t in[200];
    struct read_all r;
    size_t n = 0;

    n += server_frame(in + n, 0, 0, WS_OP_TEXT, "Hel", 3);
    n += server_frame(in + n, 1, 0, WS_OP_PING, "pi", 2);
    n += server_frame(in + n, 1, 0, WS_OP_CONTINUATION, "lo", 2);

    read_all(in, n, n, 100, &r);
    ok_int(r.ret, WS_CONTROL);
    ok_int(r.last.opcode, WS_OP_PING);
    ok_mem(r.last.payload, r.last.payload_len, "pi");
    ok_mem(r.data, r.len, "Hel");

    /* Split byte by byte, the control frame waits until complete. */
    read_all(in, n, 1, 100, &r);
    ok_int(r.ret, WS_CONTROL);
    ok_mem(r.data, r.len, "Hel");
}

static void test_close(void)
{
    uint8_t in[200], payload[125];
    struct read_all r;
    size_t n, len;

    len = ws_close_payload(payload, 1000, "bye", 3);
    ok_int(len, 5);
    n = server_frame(in, 1, 0, WS_OP_CLOSE, payload, len);
    read_all(in, n, n, 100, &r);
    ok_int(r.ret, WS_CONTROL);
    ok_int(r.last.opcode, WS_OP_CLOSE);
    ok_int(r.last.close_status, 1000);
    ok_mem(r.last.reason, r.last.reason_len, "bye");

    n = server_frame(in, 1, 0, WS_OP_CLOSE, NULL, 0);
    read_all(in, n, n, 100, &r);
    ok_int(r.ret, WS_CONTROL);
    ok_int(r.last.close_status, WS_CLOSE_NO_STATUS);
    ok_int(ws_close_payload(payload, WS_CLOSE_NO_STATUS, "x", 1), 0);

    /* One byte, reserved or never-sent codes: protocol errors. */
    n = server_frame(in, 1, 0, WS_OP_CLOSE, "\x03", 1);
    read_all(in, n, n, 100, &r);
    ok_int(r.ret, WS_ERROR);
    ok_int(r.last.close_status, WS_CLOSE_PROTOCOL_ERROR);
    n = server_frame(in, 1, 0, WS_OP_CLOSE, "\x03\xed", 2);     /* 1005 */
    read_all(in, n, n, 100, &r);
    ok_int(r.ret, WS_ERROR);
    n = server_frame(in, 1, 0, WS_OP_CLOSE, "\x0b\xb8", 2);     /* 3000 */
    read_all(in, n, n, 100, &r);
    ok_int(r.ret, WS_CONTROL);
    /* A reason that is not UTF-8: 1007. */
    n = server_frame(in, 1, 0, WS_OP_CLOSE, "\x03\xe8\xff", 3);
    read_all(in, n, n, 100, &r);
    ok_int(r.ret, WS_ERROR);
    ok_int(r.last.close_status, WS_CLOSE_INVALID_DATA);

    ok(ws_close_status_valid(1000), "1000\n");
    ok(ws_close_status_valid(1011), "1011\n");
    ok(ws_close_status_valid(4999), "4999\n");
    ok(!ws_close_status_valid(999), "999\n");
    ok(!ws_close_status_valid(1004), "1004\n");
    ok(!ws_close_status_valid(1006), "1006\n");
    ok(!ws_close_status_valid(1015), "1015\n");
    ok(!ws_close_status_valid(2999), "2999\n");
    ok(!ws_close_status_valid(5000), "5000\n");
}

static void expect_error(const uint8_t *in, size_t n, unsigned int status, const char *what)
{
    struct read_all r;

    read_all(in, n, n, 100, &r);
    ok(r.ret == WS_ERROR && r.last.close_status == status, "%s: got %d, status %u\n", what, r.ret, r.last.close_status);
}

static void test_protocol_errors(void)
{
    uint8_t in[300], big[200];
    size_t n;

    memset(big, 'a', sizeof(big));
    n = server_frame(in, 1, 4, WS_OP_TEXT, "a", 1);
    expect_error(in, n, WS_CLOSE_PROTOCOL_ERROR, "RSV1");
    n = server_frame(in, 1, 1, WS_OP_BINARY, "a", 1);
    expect_error(in, n, WS_CLOSE_PROTOCOL_ERROR, "RSV3");
    n = server_frame(in, 1, 0, 3, "a", 1);
    expect_error(in, n, WS_CLOSE_PROTOCOL_ERROR, "opcode 3");
    n = server_frame(in, 1, 0, 0xb, "", 0);
    expect_error(in, n, WS_CLOSE_PROTOCOL_ERROR, "opcode 0xb");
    n = server_frame(in, 1, 0, WS_OP_CONTINUATION, "a", 1);
    expect_error(in, n, WS_CLOSE_PROTOCOL_ERROR, "continuation first");
    n = server_frame(in, 0, 0, WS_OP_PING, "a", 1);
    expect_error(in, n, WS_CLOSE_PROTOCOL_ERROR, "fragmented ping");
    n = server_frame(in, 1, 0, WS_OP_PING, big, 126);
    expect_error(in, n, WS_CLOSE_PROTOCOL_ERROR, "ping of 126 bytes");
    n = server_frame(in, 0, 0, WS_OP_TEXT, "a", 1);
    n += server_frame(in + n, 1, 0, WS_OP_BINARY, "b", 1);
    expect_error(in, n, WS_CLOSE_PROTOCOL_ERROR, "new message inside one");
    /* 64-bit length with its top bit set. */
    memcpy(in, "\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 10);
    expect_error(in, 10, WS_CLOSE_PROTOCOL_ERROR, "length 2^63");
}

static void test_utf8(void)
{
    static const struct { const char *text; int valid; } cases[] =
    {
        { "plain ascii", 1 },
        { "\xc3\xa9t\xc3\xa9", 1 },
        { "\xe2\x82\xac", 1 },
        { "\xf0\x9f\x98\x80", 1 },
        { "\xf4\x8f\xbf\xbf", 1 },          /* U+10FFFF */
        { "\xc0\xaf", 0 },                  /* overlong */
        { "\xe0\x80\xaf", 0 },              /* overlong */
        { "\xed\xa0\x80", 0 },              /* surrogate */
        { "\xf4\x90\x80\x80", 0 },          /* above U+10FFFF */
        { "\xff", 0 },
        { "\x80", 0 },
        { "\xe2\x82", 0 },                  /* cut */
    };
    uint8_t in[64];
    struct read_all r;
    unsigned int i;
    size_t n;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        size_t len = strlen(cases[i].text);
        ok_int(ws_utf8_valid((const uint8_t *)cases[i].text, len), cases[i].valid);
        n = server_frame(in, 1, 0, WS_OP_TEXT, cases[i].text, len);
        read_all(in, n, 1, 1, &r);
        if (cases[i].valid) ok(r.ret == WS_NEED_MORE && r.message_ends == 1, "case %u: got %d\n", i, r.ret);
        else ok(r.ret == WS_ERROR && r.last.close_status == WS_CLOSE_INVALID_DATA, "case %u: got %d\n", i, r.ret);
        /* The same bytes as binary are fine. */
        n = server_frame(in, 1, 0, WS_OP_BINARY, cases[i].text, len);
        read_all(in, n, n, 100, &r);
        ok_int(r.message_ends, 1);
    }
    /* A character split across two fragments is fine. */
    n = server_frame(in, 0, 0, WS_OP_TEXT, "\xe2\x82", 2);
    n += server_frame(in + n, 1, 0, WS_OP_CONTINUATION, "\xac", 1);
    read_all(in, n, n, 100, &r);
    ok_int(r.ret, WS_NEED_MORE);
    ok_int(r.message_ends, 1);
}

static void test_limit(void)
{
    uint8_t in[300], out[300];
    struct ws_reader reader;
    struct ws_result res;
    size_t n, used;

    n = server_frame(in, 0, 0, WS_OP_BINARY, "0123456789", 10);
    n += server_frame(in + n, 1, 0, WS_OP_CONTINUATION, "0123456789", 10);
    ws_reader_init(&reader, 15);
    ok_int(ws_reader_next(&reader, in, n, &used, out, sizeof(out), &res), WS_DATA);
    ok_int(ws_reader_next(&reader, in + used, n - used, &used, out, sizeof(out), &res), WS_ERROR);
    ok_int(res.close_status, WS_CLOSE_TOO_BIG);
    /* Failed for good. */
    ok_int(ws_reader_next(&reader, in, n, &used, out, sizeof(out), &res), WS_ERROR);
}

static void test_empty_frames(void)
{
    uint8_t in[64];
    struct read_all r;
    size_t n;

    /* An empty message is reported; an empty fragment in the middle is not. */
    n = server_frame(in, 1, 0, WS_OP_BINARY, "", 0);
    read_all(in, n, n, 100, &r);
    ok_int(r.data_events, 1);
    ok_int(r.message_ends, 1);
    n = server_frame(in, 0, 0, WS_OP_BINARY, "a", 1);
    n += server_frame(in + n, 0, 0, WS_OP_CONTINUATION, "", 0);
    n += server_frame(in + n, 1, 0, WS_OP_CONTINUATION, "", 0);
    read_all(in, n, n, 100, &r);
    ok_int(r.data_events, 2);
    ok_int(r.len, 1);
    ok_int(r.message_ends, 1);
}

static void test_handshake(void)
{
    char out[64];
    uint8_t digest[20];
    static const uint8_t abc_sha1[20] = { 0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                                          0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d };

    /* RFC 6455 section 1.3's example. */
    ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", 24, out);
    ok(!strcmp(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "got %s\n", out);
    /* RFC 3174's first test vector. */
    ws_sha1((const uint8_t *)"abc", 3, digest);
    ok(!memcmp(digest, abc_sha1, 20), "SHA-1 of abc differs\n");
    /* Padding that needs a second block. */
    ws_sha1((const uint8_t *)"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, digest);
    ok_int(digest[0], 0x84);
    ok_int(digest[19], 0xf1);
    ok_int(ws_base64((const uint8_t *)"f", 1, out), 4);
    ok(!strcmp(out, "Zg=="), "got %s\n", out);
    ws_base64((const uint8_t *)"fo", 2, out);
    ok(!strcmp(out, "Zm8="), "got %s\n", out);
    ws_base64((const uint8_t *)"foobar", 6, out);
    ok(!strcmp(out, "Zm9vYmFy"), "got %s\n", out);
}

int main(void)
{
    run_test(test_rfc_examples);
    run_test(test_lengths);
    run_test(test_mask_offset);
    run_test(test_small_buffer);
    run_test(test_control_interleaved);
    run_test(test_close);
    run_test(test_protocol_errors);
    run_test(test_utf8);
    run_test(test_limit);
    run_test(test_empty_frames);
    run_test(test_handshake);
    return unit_summary();
}
