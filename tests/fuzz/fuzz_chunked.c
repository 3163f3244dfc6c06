/*
 * Fuzz the chunked decoder: the input is decoded in one go and again in
 * pieces with a small output buffer; both runs must agree.
 */
// fuzz-sources: dlls/winhttp/chunked.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chunked.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

struct run
{
    int ret;
    size_t used, out_len;
    char *out;
};

static void decode(const char *in, size_t len, size_t step, size_t room, struct run *r)
{
    struct chunked_decoder d;
    size_t pos = 0;

    chunked_init(&d);
    r->out = malloc(len + 1);
    r->out_len = 0;
    r->ret = CHUNKED_OK;
    while (pos < len)
    {
        size_t n = len - pos < step ? len - pos : step, used, produced;
        r->ret = chunked_decode(&d, in + pos, n, &used, r->out + r->out_len, room, &produced);
        CHECK(used <= n && produced <= room && produced <= used);
        pos += used;
        r->out_len += produced;
        if (r->ret != CHUNKED_OK) break;
        CHECK(used || produced || room == 0);
        if (!used) break;
    }
    CHECK(r->out_len == d.total);
    r->used = pos;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct run a, b;
    size_t step, room;

    if (size < 1) return 0;
    step = 1 + (data[0] & 15);
    room = 1 + (data[0] >> 4);
    data++;
    size--;

    decode((const char *)data, size, size ? size : 1, size + 1, &a);
    decode((const char *)data, size, step, room, &b);
    CHECK(a.ret == b.ret && a.used == b.used && a.out_len == b.out_len);
    CHECK(!memcmp(a.out, b.out, a.out_len));
    if (a.ret == CHUNKED_DONE) CHECK(a.used <= size);
    free(a.out);
    free(b.out);
    return 0;
}
