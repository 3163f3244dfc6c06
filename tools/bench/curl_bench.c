/*
 * curl_bench: the native libcurl twin of winhttp_bench, the reference the
 * ratios are computed against.  Same modes, same output line.
 *
 *   curl_bench seq N URL | conc N C URL | get URL [OUTFILE]
 *
 * BENCH_HTTP2=1: HTTP/2 over TLS (ALPN), concurrent requests multiplexed on
 * one connection, as winhttp_bench does with WINHTTP_PROTOCOL_FLAG_HTTP2.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The tail of the result line, as winhttp_bench prints it. */
static void print_costs(int requests, double cpu_start)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf(" cpu_ms_per_1k=%.1f peak_rss_kib=%ld\n", requests ? (cpu_seconds() - cpu_start) * 1e6 / requests : 0.0,
           ru.ru_maxrss);
}

struct sink { long long bytes; FILE *out; };

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
    struct sink *s = ctx;
    s->bytes += size * n;
    if (s->out) fwrite(p, size, n, s->out);
    return size * n;
}

/* BENCH_HTTP2: h2 over TLS; the test CA is not curl's business here. */
static void setup_http2(CURL *c)
{
    const char *env = getenv("BENCH_HTTP2");
    if (!env || strcmp(env, "1")) return;
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    /* Wait for the first connection and multiplex on it. */
    curl_easy_setopt(c, CURLOPT_PIPEWAIT, 1L);
}

static int run_seq(int n, const char *url)
{
    CURL *c = curl_easy_init();
    struct sink s = {0};
    double start = now(), cpu = cpu_seconds(), secs;
    int i, failed = 0;

    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    for (i = 0; i < n; i++) if (curl_easy_perform(c) != CURLE_OK) failed++;
    secs = now() - start;
    printf("mode=seq requests=%d failed=%d bytes=%lld seconds=%.3f rate=%.1f req/s", n, failed, s.bytes, secs, n / secs);
    print_costs(n, cpu);
    curl_easy_cleanup(c);
    return failed != 0;
}

/* A new handle each time: no connection and no TLS session to reuse. */
static int run_handshakes(int n, const char *url)
{
    const char *ca = getenv("WINHTTP_TEST_TLS_CA");
    struct sink s = {0};
    double start = now(), cpu = cpu_seconds(), secs;
    int i, failed = 0;

    for (i = 0; i < n; i++)
    {
        CURL *c = curl_easy_init();
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
        if (ca) curl_easy_setopt(c, CURLOPT_CAINFO, ca);
        curl_easy_setopt(c, CURLOPT_SSL_SESSIONID_CACHE, 0L);
        if (curl_easy_perform(c) != CURLE_OK) failed++;
        curl_easy_cleanup(c);
    }
    secs = now() - start;
    printf("mode=hs requests=%d failed=%d seconds=%.3f rate=%.1f handshakes/s", n, failed, secs, n / secs);
    print_costs(n, cpu);
    return failed != 0;
}

static void warm_up(const char *url, int head);

static int run_get(const char *url, const char *outfile)
{
    CURL *c;
    struct sink s = {0};
    double start, cpu, secs;
    CURLcode rc;

    warm_up(url, 1);
    c = curl_easy_init();
    start = now();
    cpu = cpu_seconds();

    if (outfile) s.out = fopen(outfile, "wb");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 65536L);
    setup_http2(c);
    rc = curl_easy_perform(c);
    secs = now() - start;
    if (s.out) fclose(s.out);
    printf("mode=get requests=1 failed=%d bytes=%lld seconds=%.3f rate=%.1f MB/s", rc != CURLE_OK, s.bytes, secs,
           s.bytes / secs / 1e6);
    print_costs(1, cpu);
    curl_easy_cleanup(c);
    return rc != CURLE_OK;
}

/* One GET before the clock starts (winhttp_bench does the same): the
 * process loads its TLS machinery once; the timed requests still open
 * their own connection.  Before a download a HEAD (head). */
static void warm_up(const char *url, int head)
{
    CURL *c = curl_easy_init();
    struct sink s = {0};

    curl_easy_setopt(c, CURLOPT_URL, url);
    if (head) curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    setup_http2(c);
    if (curl_easy_perform(c) != CURLE_OK) fprintf(stderr, "warm-up request failed\n");
    curl_easy_cleanup(c);
}

static int run_conc(int n, int conc, const char *url)
{
    CURLM *m;
    struct sink s = {0};
    int started = 0, done = 0, failed = 0, running, i;
    double start, cpu, secs;
    CURLMsg *msg;

    warm_up(url, 0);
    m = curl_multi_init();
    start = now();
    cpu = cpu_seconds();

    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)conc);
    for (i = 0; i < conc && started < n; i++, started++)
    {
        CURL *c = curl_easy_init();
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
        setup_http2(c);
        curl_multi_add_handle(m, c);
    }
    while (done < n)
    {
        curl_multi_perform(m, &running);
        while ((msg = curl_multi_info_read(m, &i)))
        {
            if (msg->msg != CURLMSG_DONE) continue;
            if (msg->data.result != CURLE_OK) failed++;
            done++;
            curl_multi_remove_handle(m, msg->easy_handle);
            if (started < n)
            {
                /* Re-arm the same easy handle: it keeps its connection. */
                curl_multi_add_handle(m, msg->easy_handle);
                started++;
            }
            else curl_easy_cleanup(msg->easy_handle);
        }
        if (done < n) curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    secs = now() - start;
    printf("mode=conc requests=%d concurrency=%d failed=%d bytes=%lld seconds=%.3f rate=%.1f req/s", n, conc, failed,
           s.bytes, secs, n / secs);
    print_costs(n, cpu);
    curl_multi_cleanup(m);
    return failed != 0;
}

int main(int argc, char **argv)
{
    curl_global_init(CURL_GLOBAL_ALL);
    if (argc >= 4 && !strcmp(argv[1], "seq")) return run_seq(atoi(argv[2]), argv[3]);
    /* concq: winhttp_bench's documented-pattern client; libcurl has one way. */
    if (argc >= 5 && (!strcmp(argv[1], "conc") || !strcmp(argv[1], "concq"))) return run_conc(atoi(argv[2]), atoi(argv[3]), argv[4]);
    if (argc >= 3 && !strcmp(argv[1], "get")) return run_get(argv[2], argc > 3 ? argv[3] : NULL);
    if (argc >= 4 && !strcmp(argv[1], "hs")) return run_handshakes(atoi(argv[2]), argv[3]);
    fprintf(stderr, "usage: curl_bench seq N URL | conc N C URL | get URL [OUTFILE]\n");
    return 2;
}
