/*
 * Fuzz the WebSocket frame reader: the input (a server's byte stream) is
 * read in one go with a large buffer and again in small pieces with a small
 * buffer; both runs must report the same payload bytes, the same control
 * frames and end the same way.  The byte after the options selects a
 * message size limit.
 */
// fuzz-sources: dlls/winhttp/ws_frame.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws_frame.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

struct run
{
    int ret;
    size_t used;
    uint8_t *data;          /* payload bytes, then one marker byte per event */
    size_t len;
    unsigned int events;    /* a hash of the event sequence */
};

static void mix(struct run *r, unsigned int v)
{
    r->events = r->events * 31 + v;
}

static void read_stream(const uint8_t *in, size_t len, size_t step, size_t room, uint64_t limit, struct run *r)
{
    struct ws_reader reader;
    size_t avail = step < len ? step : len, pos = 0;
    uint8_t *out = malloc(room);

    ws_reader_init(&reader, limit);
    r->data = malloc(len + 1);
    r->len = 0;
    r->events = 0;
    for (;;)
    {
        struct ws_result res;
        size_t used;

        r->ret = ws_reader_next(&reader, in + pos, avail - pos, &used, out, room, &res);
        CHECK(used <= avail - pos);
        pos += used;
        if (r->ret == WS_DATA)
        {
            CHECK(res.len <= room && res.len <= used);
            CHECK(res.opcode == WS_OP_TEXT || res.opcode == WS_OP_BINARY);
            CHECK(!res.message_end || res.frame_end);
            memcpy(r->data + r->len, out, res.len);
            r->len += res.len;
            /* Where a frame or message ends does not depend on the splitting. */
            if (res.frame_end) mix(r, 0x100 | res.message_end | (res.opcode << 1));
            if (res.opcode == WS_OP_TEXT && res.message_end) mix(r, 0x200);
            continue;
        }
        if (r->ret == WS_CONTROL)
        {
            CHECK(res.payload_len <= WS_MAX_CONTROL_PAYLOAD);
            mix(r, res.opcode);
            mix(r, (unsigned int)res.payload_len);
            if (res.opcode == WS_OP_CLOSE)
            {
                CHECK(res.close_status == WS_CLOSE_NO_STATUS || ws_close_status_valid(res.close_status));
                CHECK(ws_utf8_valid(res.reason, res.reason_len));
                mix(r, res.close_status);
            }
            continue;
        }
        if (r->ret == WS_ERROR)
        {
            CHECK(res.close_status == WS_CLOSE_PROTOCOL_ERROR || res.close_status == WS_CLOSE_INVALID_DATA ||
                  res.close_status == WS_CLOSE_TOO_BIG);
            mix(r, res.close_status);
            break;
        }
        CHECK(r->ret == WS_NEED_MORE);
        if (avail == len) break;
        avail = avail + step < len ? avail + step : len;
    }
    r->used = pos;
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct run a, b;
    size_t step, room;
    uint64_t limit;

    if (size < 2) return 0;
    step = 1 + (data[0] & 15);
    room = 1 + (data[0] >> 4);
    limit = data[1] & 0x80 ? (uint64_t)(data[1] & 0x7f) * 16 : 0;
    data += 2;
    size -= 2;

    read_stream(data, size, size ? size : 1, 65536, limit, &a);
    read_stream(data, size, step, room, limit, &b);
    CHECK(a.ret == b.ret && a.events == b.events);
    /* Before an error, how much of the bad frame came out depends on the
     * pieces (invalid UTF-8 is seen where it is); the bytes agree. */
    if (a.ret != WS_ERROR) CHECK(a.len == b.len);
    CHECK(!memcmp(a.data, b.data, a.len < b.len ? a.len : b.len));
    /* Either all input was consumed, or only an incomplete frame is left. */
    if (a.ret == WS_NEED_MORE) CHECK(a.used == b.used);
    free(a.data);
    free(b.data);
    return 0;
}
