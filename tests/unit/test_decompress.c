/*
 * Unit tests of the content decoders (decompress.c): gzip (RFC 1952),
 * deflate as zlib (RFC 1950) and raw (RFC 1951), br (RFC 7932).  Input is
 * made with zlib's encoder; brotli input comes from fixed vectors and, when
 * libbrotlienc can be loaded at run time, from its encoder too.
 */
// unit-sources: dlls/winhttp/decompress.c
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "decompress.h"
#include "unit.h"

/* "Hello, brotli! Hello, brotli! Hello, brotli!\n" at quality 11 */
static const unsigned char br_hello[37] =
{
    0x1b, 0x2c, 0x00, 0xf8, 0x9d, 0x09, 0x76, 0xac, 0x15, 0x2b, 0x5d, 0xf2,
    0xc2, 0x5a, 0x01, 0x04, 0x49, 0x4c, 0x95, 0xc9, 0x25, 0x5b, 0xda, 0x5b,
    0x86, 0xb0, 0xd0, 0x95, 0x22, 0x4c, 0x85, 0x00, 0x7b, 0x38, 0xff, 0x22,
    0x00,
};
static const char br_hello_text[] = "Hello, brotli! Hello, brotli! Hello, brotli!\n";
/* the empty stream */
static const unsigned char br_empty[1] = { 0x06 };

/* Test data: compressible text mixed with pseudo-random bytes. */
static unsigned char *make_data(size_t len, unsigned int seed)
{
    unsigned char *p = malloc(len ? len : 1);
    size_t i;
    for (i = 0; i < len; i++)
    {
        seed = seed * 1103515245 + 12345;
        p[i] = (i / 4096) % 2 ? (unsigned char)(seed >> 16) : "the quick brown fox jumps "[i % 26];
    }
    return p;
}

/* windowBits 15: zlib, -15: raw deflate, 31: gzip */
static unsigned char *zcompress(const unsigned char *in, size_t len, int window_bits, size_t *out_len)
{
    z_stream z;
    size_t cap = len + len / 100 + 1024;
    unsigned char *out = malloc(cap);

    memset(&z, 0, sizeof(z));
    deflateInit2(&z, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (unsigned char *)in;
    z.avail_in = len;
    z.next_out = out;
    z.avail_out = cap;
    deflate(&z, Z_FINISH);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

struct result
{
    int ret;            /* last decomp_run result */
    int finish;         /* decomp_finish after the input ran out */
    unsigned char *data;
    size_t data_len;
    size_t used;
};

/* Run a decoder over in[0..len) in pieces of step bytes with room bytes of
 * output per call, then finish it. */
static void run(enum decomp_type type, const void *in_, size_t len, size_t step, size_t room, struct result *res)
{
    const unsigned char *in = in_;
    struct decomp *d = decomp_new(type);
    size_t cap = 1 << 20, pos = 0, stuck = 0;

    memset(res, 0, sizeof(*res));
    res->data = malloc(cap);
    for (;;)
    {
        size_t n = len - pos < step ? len - pos : step, used, produced, r = room;
        if (res->data_len + r > cap) { cap = cap * 2 + r; res->data = realloc(res->data, cap); }
        res->ret = decomp_run(d, in + pos, n, &used, res->data + res->data_len, r, &produced);
        if (used > n || produced > r) { res->ret = 99; break; }
        pos += used;
        res->data_len += produced;
        if (res->ret != DECOMP_OK) break;
        if (!used && !produced)
        {
            if (pos == len) break;
            if (++stuck > 2) { res->ret = 98; break; }
        }
        else stuck = 0;
    }
    res->used = pos;
    res->finish = decomp_finish(d);
    decomp_free(d);
}

static int same(const struct result *r, const void *data, size_t len)
{
    return r->data_len == len && !memcmp(r->data, data, len);
}

static void check_round_trip(enum decomp_type type, int window_bits, size_t len, const char *what)
{
    static const size_t steps[][2] = {{1u << 30, 1u << 20}, {1, 1 << 20}, {1u << 30, 1}, {7, 13}, {4096, 4096}, {100000, 3}};
    unsigned char *data = make_data(len, (unsigned int)len), *z;
    size_t zlen, i;
    struct result r;

    z = zcompress(data, len, window_bits, &zlen);
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
    {
        if (len > 100000 && (steps[i][0] == 1 || steps[i][1] == 1)) continue;   /* too slow */
        run(type, z, zlen, steps[i][0], steps[i][1], &r);
        /* a gzip member may be followed by another: only the end of input tells */
        ok((r.ret == DECOMP_DONE || (type == DECOMP_GZIP && r.ret == DECOMP_OK)) &&
           r.finish == DECOMP_DONE && r.used == zlen && same(&r, data, len),
           "%s len %zu step %zu room %zu: ret %d finish %d used %zu/%zu out %zu", what, len,
           steps[i][0], steps[i][1], r.ret, r.finish, r.used, zlen, r.data_len);
        free(r.data);
    }
    free(z);
    free(data);
}

static void test_gzip_round_trip(void)
{
    check_round_trip(DECOMP_GZIP, 31, 0, "gzip");
    check_round_trip(DECOMP_GZIP, 31, 1, "gzip");
    check_round_trip(DECOMP_GZIP, 31, 1000, "gzip");
    check_round_trip(DECOMP_GZIP, 31, 50000, "gzip");
    check_round_trip(DECOMP_GZIP, 31, 300000, "gzip");
}

static void test_deflate_zlib_round_trip(void)
{
    check_round_trip(DECOMP_DEFLATE, 15, 0, "zlib");
    check_round_trip(DECOMP_DEFLATE, 15, 1, "zlib");
    check_round_trip(DECOMP_DEFLATE, 15, 1000, "zlib");
    check_round_trip(DECOMP_DEFLATE, 15, 300000, "zlib");
    check_round_trip(DECOMP_DEFLATE, 9, 50000, "zlib small window");
}

static void test_deflate_raw_round_trip(void)
{
    check_round_trip(DECOMP_DEFLATE, -15, 0, "raw");
    check_round_trip(DECOMP_DEFLATE, -15, 1, "raw");
    check_round_trip(DECOMP_DEFLATE, -15, 1000, "raw");
    check_round_trip(DECOMP_DEFLATE, -15, 300000, "raw");
}

static void test_deflate_stored(void)
{
    /* raw stored blocks, which start with a byte a zlib header may too */
    z_stream z;
    unsigned char out[256], in[100];
    size_t zlen;
    struct result r;

    memset(in, 'q', sizeof(in));
    memset(&z, 0, sizeof(z));
    deflateInit2(&z, 0, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    z.next_in = in; z.avail_in = sizeof(in); z.next_out = out; z.avail_out = sizeof(out);
    deflate(&z, Z_FINISH);
    zlen = sizeof(out) - z.avail_out;
    deflateEnd(&z);
    run(DECOMP_DEFLATE, out, zlen, 1, 10, &r);
    ok_int(r.ret, DECOMP_DONE);
    ok(same(&r, in, sizeof(in)), "got %zu bytes", r.data_len);
    free(r.data);
}

static void test_gzip_members(void)
{
    unsigned char *a = make_data(5000, 1), *b = make_data(7000, 2), *za, *zb, *both, *expect;
    size_t la, lb, step;
    struct result r;

    za = zcompress(a, 5000, 31, &la);
    zb = zcompress(b, 7000, 31, &lb);
    both = malloc(la + lb);
    memcpy(both, za, la);
    memcpy(both + la, zb, lb);
    expect = malloc(12000);
    memcpy(expect, a, 5000);
    memcpy(expect + 5000, b, 7000);
    for (step = 1; step <= 65536; step *= 16)
    {
        run(DECOMP_GZIP, both, la + lb, step, 1000, &r);
        ok(r.ret == DECOMP_OK && r.finish == DECOMP_DONE && same(&r, expect, 12000),
           "step %zu: ret %d finish %d out %zu", step, r.ret, r.finish, r.data_len);
        free(r.data);
    }
    /* the input may end right between members: still complete */
    run(DECOMP_GZIP, za, la, 100, 10000, &r);
    ok_int(r.ret, DECOMP_OK);
    ok_int(r.finish, DECOMP_DONE);
    ok(same(&r, a, 5000), "out %zu", r.data_len);
    free(r.data);
    /* a truncated second member is an error */
    run(DECOMP_GZIP, both, la + lb - 5, 100, 100000, &r);
    ok_int(r.finish, DECOMP_ERROR);
    free(r.data);
    /* a second member with a bad header after the magic */
    memcpy(both + la, "\x1f\x8b\x09", 3);
    run(DECOMP_GZIP, both, la + lb, 100, 100000, &r);
    ok_int(r.ret, DECOMP_ERROR);
    free(r.data);
    free(a); free(b); free(za); free(zb); free(both); free(expect);
}

static void test_gzip_trailing_garbage(void)
{
    static const char *tails[] = {"garbage", "\0\0\0\0", "\x1f", "\x1f\x1f\x8b", "\x1fX", "\n"};
    static const size_t tail_lens[] = {7, 4, 1, 3, 2, 1};
    unsigned char *data = make_data(3000, 3), *z, *buf;
    size_t zlen, i, step;
    struct result r;

    z = zcompress(data, 3000, 31, &zlen);
    buf = malloc(zlen + 16);
    memcpy(buf, z, zlen);
    for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++)
        for (step = 1; step <= 4096; step *= 64)
        {
            memcpy(buf + zlen, tails[i], tail_lens[i]);
            run(DECOMP_GZIP, buf, zlen + tail_lens[i], step, 500, &r);
            /* after DONE the rest is consumed unseen; before it (a lone 1f) all was taken */
            ok(r.finish == DECOMP_DONE && same(&r, data, 3000) && (r.ret == DECOMP_DONE || r.used == zlen + tail_lens[i]),
               "tail %zu step %zu: ret %d finish %d out %zu used %zu", i, step, r.ret, r.finish, r.data_len, r.used);
            free(r.data);
        }
    free(buf); free(z); free(data);
}

static void test_deflate_trailing_garbage(void)
{
    unsigned char *data = make_data(2000, 4), *z, *buf;
    size_t zlen;
    struct result r, r2;

    z = zcompress(data, 2000, 15, &zlen);
    buf = malloc(zlen + 5);
    memcpy(buf, z, zlen);
    memcpy(buf + zlen, "junk!", 5);
    run(DECOMP_DEFLATE, buf, zlen + 5, 10, 500, &r);
    ok_int(r.ret, DECOMP_DONE);
    ok_int(r.finish, DECOMP_DONE);
    ok(same(&r, data, 2000), "out %zu", r.data_len);
    ok(r.used >= zlen, "used %zu", r.used);
    run(DECOMP_DEFLATE, buf, zlen + 5, 100000, 500000, &r2);
    ok_int(r2.ret, DECOMP_DONE);
    ok_int(r2.used, zlen + 5);
    free(r2.data); free(r.data); free(buf); free(z); free(data);
}

static void test_garbage(void)
{
    static const char text[] = "<html>this is not compressed</html>";
    static const unsigned char reserved[] = {0xff, 0xff, 0xff, 0xff};   /* raw deflate BTYPE 11 */
    struct result r;

    run(DECOMP_GZIP, text, sizeof(text) - 1, 1000, 1000, &r);
    ok_int(r.ret, DECOMP_ERROR);
    ok_int(r.finish, DECOMP_ERROR);
    free(r.data);
    run(DECOMP_GZIP, text, sizeof(text) - 1, 1, 1000, &r);
    ok_int(r.ret, DECOMP_ERROR);
    ok(r.used <= 2, "gzip garbage noticed at its first bytes, used %zu", r.used);
    free(r.data);
    run(DECOMP_DEFLATE, reserved, sizeof(reserved), 1000, 1000, &r);
    ok_int(r.ret, DECOMP_ERROR);
    free(r.data);
    run(DECOMP_BROTLI, text, sizeof(text) - 1, 1000, 1000, &r);
    ok_int(r.ret, DECOMP_ERROR);
    free(r.data);
    run(DECOMP_BROTLI, "\xff\xff\xff\xff", 4, 1, 1000, &r);
    ok_int(r.ret, DECOMP_ERROR);
    free(r.data);
    /* the error sticks */
    {
        struct decomp *d = decomp_new(DECOMP_GZIP);
        unsigned char out[16];
        size_t used, produced;
        ok_int(decomp_run(d, "nope", 4, &used, out, sizeof(out), &produced), DECOMP_ERROR);
        ok_int(decomp_run(d, "", 0, &used, out, sizeof(out), &produced), DECOMP_ERROR);
        ok_int(decomp_finish(d), DECOMP_ERROR);
        decomp_free(d);
    }
}

static void test_corrupt(void)
{
    unsigned char *data = make_data(10000, 5), *z;
    size_t zlen;
    struct result r;

    /* gzip CRC-32 and ISIZE */
    z = zcompress(data, 10000, 31, &zlen);
    z[zlen - 6] ^= 1;
    run(DECOMP_GZIP, z, zlen, 1000, 100000, &r);
    ok_int(r.ret, DECOMP_ERROR);
    free(r.data);
    z[zlen - 6] ^= 1;
    z[zlen - 2] ^= 1;
    run(DECOMP_GZIP, z, zlen, 1000, 100000, &r);
    ok_int(r.ret, DECOMP_ERROR);
    free(r.data);
    free(z);
    /* zlib Adler-32 */
    z = zcompress(data, 10000, 15, &zlen);
    z[zlen - 1] ^= 1;
    run(DECOMP_DEFLATE, z, zlen, 1000, 100000, &r);
    ok_int(r.ret, DECOMP_ERROR);
    free(r.data);
    free(z);
    free(data);
}

static void test_truncated(void)
{
    unsigned char *data = make_data(10000, 6), *z;
    size_t zlen, cut;
    struct result r;
    int all_ok = 1;

    z = zcompress(data, 10000, 31, &zlen);
    for (cut = 1; cut < zlen; cut += (cut < 20 || cut > zlen - 20) ? 1 : 97)
    {
        run(DECOMP_GZIP, z, cut, 64, 100000, &r);
        if (r.finish != DECOMP_ERROR) { if (all_ok) ok(0, "gzip cut at %zu: finish %d", cut, r.finish); all_ok = 0; }
        free(r.data);
    }
    free(z);
    z = zcompress(data, 10000, 15, &zlen);
    for (cut = 1; cut < zlen; cut += (cut < 20 || cut > zlen - 20) ? 1 : 97)
    {
        run(DECOMP_DEFLATE, z, cut, 64, 100000, &r);
        if (r.finish != DECOMP_ERROR) { if (all_ok) ok(0, "zlib cut at %zu: finish %d", cut, r.finish); all_ok = 0; }
        free(r.data);
    }
    free(z);
    for (cut = 1; cut < sizeof(br_hello); cut++)
    {
        run(DECOMP_BROTLI, br_hello, cut, 5, 1000, &r);
        if (r.finish != DECOMP_ERROR) { if (all_ok) ok(0, "br cut at %zu: finish %d", cut, r.finish); all_ok = 0; }
        free(r.data);
    }
    ok(all_ok, "every truncation is an error at finish");
    free(data);
}

static void test_empty_body(void)
{
    enum decomp_type types[] = {DECOMP_GZIP, DECOMP_DEFLATE, DECOMP_BROTLI};
    size_t i;

    for (i = 0; i < 3; i++)
    {
        struct decomp *d = decomp_new(types[i]);
        ok(d != NULL, "type %d", types[i]);
        ok_int(decomp_finish(d), DECOMP_DONE);
        decomp_free(d);
    }
}

static void test_pending_output(void)
{
    /* all input used but output still pending: finish says OK until it is drained */
    unsigned char *data = make_data(50000, 7), *z, out[100];
    size_t zlen, used, produced, total = 0;
    struct decomp *d = decomp_new(DECOMP_DEFLATE);
    int ret;

    memset(data, 'a', 50000);
    z = zcompress(data, 50000, 15, &zlen);
    ret = decomp_run(d, z, zlen, &used, out, sizeof(out), &produced);
    ok_int(ret, DECOMP_OK);
    ok_int(produced, sizeof(out));
    total += produced;
    if (used == zlen) ok_int(decomp_finish(d), DECOMP_OK);
    while (ret == DECOMP_OK)
    {
        size_t u;
        ret = decomp_run(d, z + used, zlen - used, &u, out, sizeof(out), &produced);
        used += u;
        total += produced;
        if (!u && !produced) break;
    }
    ok_int(ret, DECOMP_DONE);
    ok_int(total, 50000);
    ok_int(decomp_finish(d), DECOMP_DONE);
    decomp_free(d);
    free(z); free(data);
}

static void test_bounded_output(void)
{
    /* a small bomb: 20 MB of zeros, decoded through a 64 KiB window of output */
    size_t len = 20 << 20, zlen, used, produced, total = 0, pos = 0;
    unsigned char *zeros = calloc(1, len), *z, *out = malloc(65536);
    struct decomp *d = decomp_new(DECOMP_DEFLATE);
    int ret = DECOMP_OK;

    z = zcompress(zeros, len, 15, &zlen);
    free(zeros);
    ok(zlen < 100000, "compressed to %zu", zlen);
    while (ret == DECOMP_OK)
    {
        ret = decomp_run(d, z + pos, zlen - pos, &used, out, 65536, &produced);
        pos += used;
        total += produced;
        if (!used && !produced) break;
    }
    ok_int(ret, DECOMP_DONE);
    ok_int(total, len);
    decomp_free(d);
    free(z); free(out);
}

static void test_brotli_vectors(void)
{
    struct result r;
    size_t step;

    for (step = 1; step <= 64; step *= 4)
    {
        run(DECOMP_BROTLI, br_hello, sizeof(br_hello), step, step, &r);
        ok(r.ret == DECOMP_DONE && r.finish == DECOMP_DONE && same(&r, br_hello_text, sizeof(br_hello_text) - 1),
           "step %zu: ret %d finish %d out %zu", step, r.ret, r.finish, r.data_len);
        free(r.data);
    }
    run(DECOMP_BROTLI, br_empty, sizeof(br_empty), 1, 1, &r);
    ok_int(r.ret, DECOMP_DONE);
    ok_int(r.data_len, 0);
    free(r.data);
    {
        /* bytes after the end of the stream are ignored */
        unsigned char buf[sizeof(br_hello) + 4];
        memcpy(buf, br_hello, sizeof(br_hello));
        memcpy(buf + sizeof(br_hello), "tail", 4);
        run(DECOMP_BROTLI, buf, sizeof(buf), 1000, 1000, &r);
        ok_int(r.ret, DECOMP_DONE);
        ok_int(r.used, sizeof(buf));
        ok(same(&r, br_hello_text, sizeof(br_hello_text) - 1), "out %zu", r.data_len);
        free(r.data);
    }
}

typedef int (*brotli_compress_fn)(int quality, int lgwin, int mode, size_t in_size, const uint8_t *in,
                                  size_t *out_size, uint8_t *out);

static void test_brotli_round_trip(void)
{
    void *lib = dlopen("libbrotlienc.so.1", RTLD_NOW);
    brotli_compress_fn compress;
    static const size_t lens[] = {0, 1, 1000, 200000};
    size_t i;

    if (!lib || !(compress = (brotli_compress_fn)dlsym(lib, "BrotliEncoderCompress")))
    {
        printf("%s:%d: libbrotlienc not available, brotli round trips skipped\n", __FILE__, __LINE__);
        if (lib) dlclose(lib);
        return;
    }
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
    {
        unsigned char *data = make_data(lens[i], 9), *z;
        size_t zlen = lens[i] + 1024;
        struct result r;

        z = malloc(zlen);
        ok(compress(5, 22, 0, lens[i], data, &zlen, z), "compress %zu", lens[i]);
        run(DECOMP_BROTLI, z, zlen, 4093, 999, &r);
        ok(r.ret == DECOMP_DONE && r.finish == DECOMP_DONE && same(&r, data, lens[i]),
           "len %zu: ret %d finish %d out %zu", lens[i], r.ret, r.finish, r.data_len);
        free(r.data);
        if (lens[i] <= 1000)
        {
            run(DECOMP_BROTLI, z, zlen, 1, 1, &r);
            ok(r.ret == DECOMP_DONE && same(&r, data, lens[i]), "len %zu bytewise: ret %d", lens[i], r.ret);
            free(r.data);
        }
        free(z);
        free(data);
    }
    dlclose(lib);
}

static void test_type_from_name(void)
{
    ok_int(decomp_type_from_name("gzip", 4), DECOMP_GZIP);
    ok_int(decomp_type_from_name("GZip", 4), DECOMP_GZIP);
    ok_int(decomp_type_from_name("x-gzip", 6), DECOMP_GZIP);
    ok_int(decomp_type_from_name("deflate", 7), DECOMP_DEFLATE);
    ok_int(decomp_type_from_name("br", 2), DECOMP_BROTLI);
    ok_int(decomp_type_from_name("BR", 2), DECOMP_BROTLI);
    ok_int(decomp_type_from_name("identity", 8), DECOMP_NONE);
    ok_int(decomp_type_from_name("gzipx", 5), DECOMP_NONE);
    ok_int(decomp_type_from_name("gzip", 3), DECOMP_NONE);
    ok_int(decomp_type_from_name("", 0), DECOMP_NONE);
    ok_int(decomp_type_from_name("compress", 8), DECOMP_NONE);
    ok(decomp_new(DECOMP_NONE) == NULL, "no decoder for identity");
    ok(decomp_new((enum decomp_type)42) == NULL, "no decoder for an unknown type");
    decomp_free(NULL);
}

int main(void)
{
    run_test(test_gzip_round_trip);
    run_test(test_deflate_zlib_round_trip);
    run_test(test_deflate_raw_round_trip);
    run_test(test_deflate_stored);
    run_test(test_gzip_members);
    run_test(test_gzip_trailing_garbage);
    run_test(test_deflate_trailing_garbage);
    run_test(test_garbage);
    run_test(test_corrupt);
    run_test(test_truncated);
    run_test(test_empty_body);
    run_test(test_pending_output);
    run_test(test_bounded_output);
    run_test(test_brotli_vectors);
    run_test(test_brotli_round_trip);
    run_test(test_type_from_name);
    return unit_summary();
}
