/*
 * Fuzz the content decoders with arbitrary input (first byte: decoder type
 * and piece sizes), and check a round trip of the input through zlib's
 * encoder.  Output is capped so that small bombs stay fast.
 */
// fuzz-sources: dlls/winhttp/decompress.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "decompress.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)
#define OUT_CAP (1 << 20)

static int decode(enum decomp_type type, const uint8_t *in, size_t len, size_t step, size_t room,
                  uint8_t *out, size_t *out_len)
{
    struct decomp *d = decomp_new(type);
    size_t pos = 0, total = 0;
    int ret = DECOMP_OK;

    CHECK(d != NULL);
    for (;;)
    {
        size_t n = len - pos < step ? len - pos : step, used, produced, r = room;
        if (r > OUT_CAP - total) r = OUT_CAP - total;
        if (!r) break;
        ret = decomp_run(d, in + pos, n, &used, out + total, r, &produced);
        CHECK(used <= n && produced <= r);
        pos += used;
        total += produced;
        if (ret != DECOMP_OK) break;
        if (!used && !produced && pos == len) break;
        CHECK(used || produced);
    }
    if (ret == DECOMP_OK && total < OUT_CAP)
    {
        ret = decomp_finish(d);
        CHECK(ret == DECOMP_DONE || ret == DECOMP_ERROR || ret == DECOMP_OK);
    }
    decomp_free(d);
    *out_len = total;
    return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[OUT_CAP];
    enum decomp_type type;
    size_t step, room, out_len;

    if (size < 1) return 0;
    type = DECOMP_GZIP + data[0] % 3;
    step = data[0] & 0x80 ? 1 + (data[0] >> 3 & 7) : 4096;
    room = data[0] & 0x40 ? 1 + (data[0] & 7) : 65536;
    decode(type, data + 1, size - 1, step, room, out, &out_len);

    if (size <= 4096)
    {
        /* what zlib compresses must come back unchanged */
        static const int windows[] = {31, 15, -15};
        uint8_t z[8192];
        uLongf zlen;
        z_stream s;

        memset(&s, 0, sizeof(s));
        CHECK(deflateInit2(&s, 6, Z_DEFLATED, windows[data[0] % 3], 8, Z_DEFAULT_STRATEGY) == Z_OK);
        s.next_in = (Bytef *)data;
        s.avail_in = size;
        s.next_out = z;
        s.avail_out = sizeof(z);
        CHECK(deflate(&s, Z_FINISH) == Z_STREAM_END);
        zlen = sizeof(z) - s.avail_out;
        deflateEnd(&s);
        if (data[0] % 3 != 2 || zlen >= 2)
        {
            int ret = decode(data[0] % 3 == 0 ? DECOMP_GZIP : DECOMP_DEFLATE, z, zlen, step, room, out, &out_len);
            CHECK(ret == DECOMP_DONE);
            CHECK(out_len == size && !memcmp(out, data, size));
        }
    }
    return 0;
}
