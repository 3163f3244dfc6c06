/*
 * Unit tests of the chunked transfer coding decoder (chunked.c), written
 * against RFC 9112 §7.1.
 */
// unit-sources: dlls/winhttp/chunked.c
#include <stdlib.h>
#include <string.h>

#include "chunked.h"
#include "unit.h"

struct result
{
    int ret;            /* last return value */
    char data[4096];
    size_t data_len;
    size_t used;        /* input consumed in total */
};

/* Decode in[0..len) in pieces of at most step bytes, with out room of at
 * most room bytes per call, until DONE, ERR or the input is used up. */
static void decode(const char *in, size_t len, size_t step, size_t room, struct result *res)
{
    struct chunked_decoder d;
    size_t pos = 0;

    chunked_init(&d);
    memset(res, 0, sizeof(*res));
    res->ret = CHUNKED_OK;
    for (;;)
    {
        size_t n = len - pos < step ? len - pos : step, used, produced, cap;
        cap = sizeof(res->data) - res->data_len;
        if (cap > room) cap = room;
        res->ret = chunked_decode(&d, in + pos, n, &used, res->data + res->data_len, cap, &produced);
        if (used > n || produced > cap) { res->ret = 99; return; }
        pos += used;
        res->data_len += produced;
        if (res->ret != CHUNKED_OK) break;
        if (!used && !produced && pos == len) break;
        if (!used && !produced && n) { res->ret = 98; return; }   /* stuck */
    }
    res->used = pos;
}

static void test_simple(void)
{
    static const char body[] = "4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n";
    struct result r;

    decode(body, sizeof(body) - 1, 1000, 1000, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_mem(r.data, r.data_len, "Wikipedia in\r\n\r\nchunks.");
    ok_int(r.used, sizeof(body) - 1);
}

static void test_every_split(void)
{
    static const char body[] = "4;ext=1\r\nWiki\r\n5\r\npedia\r\n1a \r\nabcdefghijklmnopqrstuvwxyz\r\n"
                               "0\r\nTrailer: x\r\n\r\nNEXT";
    size_t len = sizeof(body) - 1, a, b;
    int all_ok = 1;

    /* every split of the input in three pieces, a and b the cut points */
    for (a = 0; a <= len; a++)
        for (b = a; b <= len; b++)
        {
            struct chunked_decoder d;
            char out[256];
            size_t cuts[4] = {0, a, b, len}, olen = 0, k, used, produced;
            int ret = CHUNKED_OK;

            chunked_init(&d);
            for (k = 0; k < 3 && ret == CHUNKED_OK; k++)
            {
                size_t pos = cuts[k];
                while (pos < cuts[k + 1] && ret == CHUNKED_OK)
                {
                    ret = chunked_decode(&d, body + pos, cuts[k + 1] - pos, &used, out + olen, sizeof(out) - olen, &produced);
                    pos += used;
                    olen += produced;
                    if (!used && ret == CHUNKED_OK) break;
                }
                if (ret == CHUNKED_DONE && pos != len - 4) all_ok = 0;
            }
            if (ret != CHUNKED_DONE || olen != 35 || memcmp(out, "Wikipediaabcdefghijklmnopqrstuvwxyz", 35))
            {
                if (all_ok) ok(0, "split at %zu/%zu: ret %d, %zu bytes", a, b, ret, olen);
                all_ok = 0;
            }
        }
    ok(all_ok, "all splits decode the same");
}

static void test_byte_by_byte_small_output(void)
{
    static const char body[] = "10\r\n0123456789abcdef\r\n3\r\nxyz\r\n0\r\n\r\n";
    struct result r;

    decode(body, sizeof(body) - 1, 1, 1, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_mem(r.data, r.data_len, "0123456789abcdefxyz");
    decode(body, sizeof(body) - 1, 1000, 3, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_mem(r.data, r.data_len, "0123456789abcdefxyz");
}

static void test_no_output_room(void)
{
    struct chunked_decoder d;
    size_t used, produced;
    char out[4];

    chunked_init(&d);
    ok_int(chunked_decode(&d, "3\r\nabc\r\n0\r\n\r\n", 13, &used, out, 0, &produced), CHUNKED_OK);
    ok_int(used, 3);
    ok_int(produced, 0);
    ok_int(chunked_decode(&d, "abc\r\n0\r\n\r\n", 10, &used, out, sizeof(out), &produced), CHUNKED_DONE);
    ok_int(used, 10);
    ok_mem(out, produced, "abc");
}

static void test_discard(void)
{
    struct chunked_decoder d;
    size_t used, produced;

    chunked_init(&d);
    ok_int(chunked_decode(&d, "5\r\nhello\r\n0\r\n\r\n", 15, &used, NULL, 100, &produced), CHUNKED_DONE);
    ok_int(produced, 5);
    ok_int(used, 15);
    ok_int(d.total, 5);
}

static void test_done_leaves_rest(void)
{
    struct chunked_decoder d;
    size_t used, produced;
    char out[16];
    const char *s = "0\r\n\r\nHTTP/1.1 200 OK\r\n";

    chunked_init(&d);
    ok_int(chunked_decode(&d, s, strlen(s), &used, out, sizeof(out), &produced), CHUNKED_DONE);
    ok_int(used, 5);
    ok_int(produced, 0);
    /* further calls consume nothing */
    ok_int(chunked_decode(&d, s + 5, strlen(s) - 5, &used, out, sizeof(out), &produced), CHUNKED_DONE);
    ok_int(used, 0);
}

static void test_sizes(void)
{
    struct result r;
    char body[300];

    decode("A\r\n0123456789\r\n0\r\n\r\n", 20, 100, 100, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_int(r.data_len, 10);
    decode("a\r\n0123456789\r\n0\r\n\r\n", 20, 100, 100, &r);
    ok_int(r.data_len, 10);
    /* leading zeros */
    decode("0000a\r\n0123456789\r\n000\r\n\r\n", 26, 100, 100, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_int(r.data_len, 10);
    /* 0xff */
    memcpy(body, "Ff\r\n", 4);
    memset(body + 4, 'x', 255);
    memcpy(body + 259, "\r\n0\r\n\r\n", 7);
    decode(body, 266, 7, 13, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_int(r.data_len, 255);
    /* empty body */
    decode("0\r\n\r\n", 5, 1, 1, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_int(r.data_len, 0);
}

static void test_large_size(void)
{
    struct chunked_decoder d;
    size_t used, produced;
    char out[8];

    /* 2^63 - 1 is representable; the decoder waits for its data */
    chunked_init(&d);
    ok_int(chunked_decode(&d, "7fffffffffffffff\r\nabc", 21, &used, out, sizeof(out), &produced), CHUNKED_OK);
    ok_int(used, 21);
    ok_int(produced, 3);
    ok(d.remaining == 0x7fffffffffffffffULL - 3, "remaining %llx", (unsigned long long)d.remaining);
    chunked_init(&d);
    ok_int(chunked_decode(&d, "000000007FFFFFFFFFFFFFFF\r\n", 26, &used, out, sizeof(out), &produced), CHUNKED_OK);
    /* 2^63 and beyond are not */
    chunked_init(&d);
    ok_int(chunked_decode(&d, "8000000000000000\r\n", 18, &used, out, sizeof(out), &produced), CHUNKED_ERR);
    chunked_init(&d);
    ok_int(chunked_decode(&d, "ffffffffffffffff\r\n", 18, &used, out, sizeof(out), &produced), CHUNKED_ERR);
    chunked_init(&d);
    ok_int(chunked_decode(&d, "10000000000000000\r\n", 19, &used, out, sizeof(out), &produced), CHUNKED_ERR);
}

static void test_bad_sizes(void)
{
    static const char *bad[] =
    {
        "\r\n\r\n",                 /* empty size */
        "g\r\nabc\r\n0\r\n\r\n",
        "-1\r\nabc\r\n0\r\n\r\n",
        "+1\r\na\r\n0\r\n\r\n",
        "0x3\r\nabc\r\n0\r\n\r\n",
        " 3\r\nabc\r\n0\r\n\r\n",
        "3 4\r\nabcd\r\n0\r\n\r\n",
        "3\rabc\r\n0\r\n\r\n",      /* CR without LF */
        "3\r\nabcd\r\n0\r\n\r\n",   /* too much data */
        "4\r\nab\r\n0\r\n\r\n",     /* too little data */
        "3\r\nabc\r\r0\r\n\r\n",
        "3\r\nabcX0\r\n\r\n",
        "3;a=\x01\r\nabc\r\n0\r\n\r\n", /* control byte in an extension */
        "3;a=\0\r\nabc\r\n0\r\n\r\n",
        "0\r\nTrailer: \x7f\r\n\r\n",
        "0\r\nA: b\rX\r\n\r\n",
        "0\r\n\rX",
        "\xef\xbb\xbf" "3\r\nabc\r\n0\r\n\r\n",
    };
    static const size_t lens[] = {4, 15, 16, 14, 16, 16, 18, 14, 16, 14, 14, 12, 20, 20, 17, 17, 5, 17};
    struct result r;
    size_t i, step;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        for (step = 1; step <= 20; step += 19)
        {
            decode(bad[i], lens[i], step, 100, &r);
            ok(r.ret == CHUNKED_ERR, "case %zu step %zu: got %d", i, step, r.ret);
        }
}

static void test_error_sticks(void)
{
    struct chunked_decoder d;
    size_t used, produced;
    char out[8];

    chunked_init(&d);
    ok_int(chunked_decode(&d, "z", 1, &used, out, sizeof(out), &produced), CHUNKED_ERR);
    ok_int(chunked_decode(&d, "0\r\n\r\n", 5, &used, out, sizeof(out), &produced), CHUNKED_ERR);
    ok_int(used, 0);
}

static void test_bare_lf_and_bws(void)
{
    struct result r;

    decode("3\nabc\n0\n\n", 9, 1, 100, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_mem(r.data, r.data_len, "abc");
    decode("3 \t\r\nabc\r\n0  \r\n\r\n", 17, 1, 100, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_mem(r.data, r.data_len, "abc");
    decode("3 ; name = \"va;l\"\r\nabc\r\n0;x\r\n\r\n", 31, 2, 100, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_mem(r.data, r.data_len, "abc");
}

static void test_extensions(void)
{
    struct result r;
    const char *s = "3;foo=bar;baz\r\nabc\r\n2;q=\"a b\xe9\"\r\nde\r\n0;last\r\n\r\n";

    decode(s, strlen(s), 1, 100, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_mem(r.data, r.data_len, "abcde");
}

static void test_trailers(void)
{
    struct chunked_decoder d;
    size_t used, produced;
    char out[16];
    const char *s = "2\r\nhi\r\n0\r\nExpires: never\r\nX-Sum: 1234\r\n\r\nrest";
    struct result r;

    chunked_init(&d);
    ok_int(chunked_decode(&d, s, strlen(s), &used, out, sizeof(out), &produced), CHUNKED_DONE);
    ok_int(used, strlen(s) - 4);
    ok_mem(out, produced, "hi");
    ok_int(d.trailer_lines, 2);
    decode("0\nA: b\nC: d\n\n", 13, 1, 10, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_int(r.used, 13);
}

static void test_limits(void)
{
    char *buf = malloc(40000);
    struct result r;
    size_t n;

    /* a chunk-size line at the limit */
    memset(buf, '0', CHUNKED_MAX_LINE - 3);
    memcpy(buf + CHUNKED_MAX_LINE - 3, "1\r\nx\r\n0\r\n\r\n", 11);
    decode(buf, CHUNKED_MAX_LINE + 8, 1000, 100, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_mem(r.data, r.data_len, "x");
    /* one byte longer */
    memset(buf, '0', CHUNKED_MAX_LINE - 2);
    memcpy(buf + CHUNKED_MAX_LINE - 2, "1\r\nx\r\n0\r\n\r\n", 11);
    decode(buf, CHUNKED_MAX_LINE + 9, 1000, 100, &r);
    ok_int(r.ret, CHUNKED_ERR);
    /* an endless extension */
    memcpy(buf, "1;", 2);
    memset(buf + 2, 'e', 39998);
    decode(buf, 40000, 333, 100, &r);
    ok_int(r.ret, CHUNKED_ERR);
    ok(r.used <= CHUNKED_MAX_LINE + 1, "used %zu", r.used);
    /* an endless trailer section, made of short lines */
    memcpy(buf, "0\r\n", 3);
    for (n = 3; n + 8 <= 40000; n += 8) memcpy(buf + n, "A: bcd\r\n", 8);
    decode(buf, n, 1000, 100, &r);
    ok_int(r.ret, CHUNKED_ERR);
    ok(r.used <= CHUNKED_MAX_TRAILERS + 4, "used %zu", r.used);
    /* a trailer section just under the limit */
    n = 3;
    while (n + 8 <= CHUNKED_MAX_TRAILERS + 3 - 2) { memcpy(buf + n, "A: bcd\r\n", 8); n += 8; }
    memcpy(buf + n, "\r\n", 2);
    decode(buf, n + 2, 1000, 100, &r);
    ok_int(r.ret, CHUNKED_DONE);
    /* many chunks with extensions: the line limit is per line */
    n = 0;
    while (n + 12 < 40000 - 5) { memcpy(buf + n, "1;ext=v\r\nx\r\n", 12); n += 12; }
    memcpy(buf + n, "0\r\n\r\n", 5);
    decode(buf, n + 5, 4096, 4096, &r);
    ok_int(r.ret, CHUNKED_DONE);
    ok_int(r.data_len, n / 12 > 4096 ? 4096 : n / 12);
    free(buf);
}

int main(void)
{
    run_test(test_simple);
    run_test(test_every_split);
    run_test(test_byte_by_byte_small_output);
    run_test(test_no_output_room);
    run_test(test_discard);
    run_test(test_done_leaves_rest);
    run_test(test_sizes);
    run_test(test_large_size);
    run_test(test_bad_sizes);
    run_test(test_error_sticks);
    run_test(test_bare_lf_and_bws);
    run_test(test_extensions);
    run_test(test_trailers);
    run_test(test_limits);
    return unit_summary();
}
