/*
 * Fuzz the HTTP/1.x response head parser and the body framing decision.
 * The input is parsed whole, then again fed in pieces (cut points taken from
 * the input's last bytes), and both runs must agree.
 */
// fuzz-sources: dlls/winhttp/http1.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http1.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static const char *methods[] = {"GET", "HEAD", "CONNECT", "POST", NULL};

static void check_result(const char *buf, size_t len, const struct http1_response *r)
{
    size_t i;
    struct http1_framing f;

    CHECK(r->head_len <= len);
    CHECK(r->status >= 100 && r->status <= 999);
    CHECK(r->version_major == 1);
    CHECK(r->header_count <= r->header_capacity);
    CHECK(r->reason >= buf && r->reason + r->reason_len <= buf + r->head_len);
    for (i = 0; i < r->header_count; i++)
    {
        const struct http1_header *h = &r->headers[i];
        char *tmp = malloc(h->value_len + 1);
        size_t n;

        CHECK(h->name_len > 0);
        CHECK(h->name >= buf && h->name + h->name_len <= buf + r->head_len);
        CHECK(h->value >= buf && h->value + h->value_len <= buf + r->head_len);
        CHECK(!memchr(h->name, ':', h->name_len));
        n = http1_unfold(h->value, h->value_len, tmp);
        CHECK(n <= h->value_len);
        CHECK(!memchr(tmp, '\n', n) && !memchr(tmp, '\r', n) && !memchr(tmp, 0, n));
        if (!h->folded) CHECK(!memchr(h->value, '\n', h->value_len));
        free(tmp);
    }
    for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
    {
        int ret = http1_body_framing(methods[i], r->status, r, &f);
        CHECK(ret == HTTP1_OK || ret == HTTP1_ERR_INVALID);
        if (ret == HTTP1_OK)
        {
            CHECK(f.body >= HTTP1_BODY_NONE && f.body <= HTTP1_BODY_TUNNEL);
            if (f.body == HTTP1_BODY_CLOSE || f.body == HTTP1_BODY_TUNNEL) CHECK(!f.keep_alive);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http1_header h1[32], h2[32];
    struct http1_response r1, r2;
    size_t max, cap, pos, step;
    char *buf;
    int ret1, ret2 = HTTP1_NEED_MORE;

    if (size < 2) return 0;
    /* first byte: limits; second: piece size for the incremental run */
    max = data[0] & 0x80 ? 64 + (data[0] & 0x7f) * 8 : 65536;
    cap = data[0] & 0x40 ? (data[0] & 7) : 32;
    step = 1 + data[1] % 17;
    data += 2;
    size -= 2;
    buf = malloc(size ? size : 1);
    memcpy(buf, data, size);

    http1_response_init(&r1, h1, cap);
    ret1 = http1_parse_response_head(buf, size, max, &r1);
    CHECK(ret1 == HTTP1_OK || ret1 == HTTP1_NEED_MORE || ret1 == HTTP1_ERR_INVALID || ret1 == HTTP1_ERR_TOO_LARGE);
    if (ret1 == HTTP1_OK) check_result(buf, size, &r1);

    http1_response_init(&r2, h2, cap);
    for (pos = 0; ; )
    {
        pos = pos + step > size ? size : pos + step;
        ret2 = http1_parse_response_head(buf, pos, max, &r2);
        if (ret2 != HTTP1_NEED_MORE || pos == size) break;
    }
    /* same verdict fed in pieces, except that an early error may come from a
     * prefix where the whole input found the head complete first: never. */
    CHECK(ret1 == ret2);
    if (ret1 == HTTP1_OK)
    {
        size_t i;
        CHECK(r1.head_len == r2.head_len && r1.status == r2.status && r1.header_count == r2.header_count);
        CHECK(r1.reason == r2.reason && r1.reason_len == r2.reason_len);
        for (i = 0; i < r1.header_count; i++)
            CHECK(h1[i].name == h2[i].name && h1[i].value == h2[i].value && h1[i].value_len == h2[i].value_len);
    }
    free(buf);
    return 0;
}
