/*
 * winhttp-pac: evaluates one PAC script for the WinHTTP DLL, out of its
 * process.
 *
 *   winhttp-pac [--cpu-seconds N] [--memory-mib N]      (defaults 5 and 256)
 *
 * stdin:  three netstrings, "<decimal length>:<bytes>," each: the script
 *         (at most 16 MiB), the URL, the host.
 * stdout: one netstring, "OK <result>" or "ERR <NAME>" (SYNTAX, NO_FUNCTION,
 *         RUNTIME, MEMORY, BAD_RESULT, PROTOCOL, TOOBIG); then exit status 0.
 *         A helper killed by its limits says nothing: its parent reads EOF.
 *
 * A downloaded PAC script is untrusted code, and nothing inside duktape can
 * bound its running time (Debian builds it without the timeout hook): so it
 * runs here, under rlimits the kernel enforces, instead of in the program
 * that asked WinHTTP for a proxy.  A script can loop, allocate or recurse as
 * it likes; the worst it does is lose this process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pac_engine.h"
#include "pac_protocol.h"

/* Address space beyond the JavaScript heap's cap: the binary, libc and
 * libduktape, the stack, the request itself (up to 18 MiB) and the resolver. */
#define AS_HEADROOM_MIB 128

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl;
    rl.rlim_cur = soft;
    rl.rlim_max = hard;
    setrlimit(resource, &rl);
}

static void confine(unsigned long cpu_seconds, unsigned long memory_mib)
{
    /* Die with the parent (and if it is already gone, go now). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) _exit(1);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    /* RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL at the hard one. */
    set_limit(RLIMIT_CPU, cpu_seconds, cpu_seconds + 1);
    set_limit(RLIMIT_AS, (memory_mib + AS_HEADROOM_MIB) << 20, (memory_mib + AS_HEADROOM_MIB) << 20);
    /* Enough for getaddrinfo (a socket, resolv.conf, hosts, NSS modules). */
    set_limit(RLIMIT_NOFILE, 16, 16);
    set_limit(RLIMIT_CORE, 0, 0);
    set_limit(RLIMIT_FSIZE, 0, 0);
    /* A closed pipe is an error to see, not a signal to die of. */
    signal(SIGPIPE, SIG_IGN);
}

static int write_all(const char *buf, size_t len)
{
    while (len)
    {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;
        buf += n;
        len -= (size_t)n;
    }
    return 1;
}

static void reply(const char *prefix, const char *text)
{
    size_t len;
    char *msg = pac_reply_format(prefix, text, strlen(text), &len);
    if (msg) write_all(msg, len);
    free(msg);
}

/* After an early error reply, read what the parent is still writing (so
 * that its writes do not fail) until EOF or a second of silence. */
static void drain_stdin(void)
{
    char buf[65536];
    struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};

    while (poll(&pfd, 1, 1000) > 0)
    {
        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
    }
}

static int parse_number(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (!s || *s < '0' || *s > '9') return 0;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || !v || v > max) return 0;
    *out = v;
    return 1;
}

/* Reads the request: returns the buffer (the request is parsed into req)
 * or NULL with *status the protocol error. */
static char *read_request(struct pac_request *req, enum pac_proto *status)
{
    size_t len = 0, cap = 65536, max = PAC_MAX_SCRIPT + 2 * PAC_MAX_FIELD + 64;
    char *buf = malloc(cap), *grown;

    *status = PAC_PROTO_MALFORMED;
    if (!buf) return NULL;
    for (;;)
    {
        ssize_t n;

        if (len == cap)
        {
            if (cap >= max || !(grown = realloc(buf, cap * 2 > max ? max : cap * 2))) break;
            buf = grown;
            cap = cap * 2 > max ? max : cap * 2;
        }
        n = read(STDIN_FILENO, buf + len, cap - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;   /* EOF before a whole request */
        len += (size_t)n;
        *status = pac_request_parse(buf, len, req);
        if (*status == PAC_PROTO_OK) return buf;
        if (*status != PAC_PROTO_INCOMPLETE) break;
    }
    if (*status == PAC_PROTO_INCOMPLETE || *status == PAC_PROTO_OK) *status = PAC_PROTO_MALFORMED;
    free(buf);
    return NULL;
}

static char *copy_string(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out) return NULL;
    memcpy(out, s, len);
    out[len] = 0;
    return out;
}

int main(int argc, char **argv)
{
    unsigned long cpu_seconds = 5, memory_mib = 256;
    struct pac_request req;
    enum pac_proto proto;
    enum pac_status status;
    char *buf, *url, *host, *result = NULL;
    int i;

    for (i = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "--cpu-seconds") && parse_number(argv[i + 1], 3600, &cpu_seconds)) i++;
        else if (!strcmp(argv[i], "--memory-mib") && parse_number(argv[i + 1], 4096, &memory_mib)) i++;
        else
        {
            fprintf(stderr, "usage: winhttp-pac [--cpu-seconds N] [--memory-mib N]\n");
            return 2;
        }
    }
    /* One malloc arena: the evaluation's thread (pac_engine.c) would
     * otherwise reserve 64 MiB of address space for its own, under RLIMIT_AS. */
    mallopt(M_ARENA_MAX, 1);
    /* Nothing the parent left open is ours to use. */
    close_range(3, ~0u, 0);
    confine(cpu_seconds, memory_mib);

    if (!(buf = read_request(&req, &proto)))
    {
        reply("ERR ", proto == PAC_PROTO_TOOBIG ? "TOOBIG" : "PROTOCOL");
        drain_stdin();
        return 0;
    }
    url = copy_string(req.url, req.url_len);
    host = copy_string(req.host, req.host_len);
    if (!url || !host) status = PAC_MEMORY;
    else status = pac_evaluate(req.script, req.script_len, url, host, (size_t)memory_mib << 20, &result);
    if (status == PAC_OK)
    {
        size_t len;
        char *msg = pac_reply_format("OK ", result, strlen(result), &len);
        if (!msg || !write_all(msg, len)) return 1;
        free(msg);
    }
    else reply("ERR ", pac_status_name(status));
    free(result);
    free(url);
    free(host);
    free(buf);
    return 0;
}
