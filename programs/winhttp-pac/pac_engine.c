/*
 * The PAC evaluator: a fresh duktape heap per call, the Netscape PAC
 * functions and Microsoft's IPv6 extensions as native C functions, then
 * FindProxyForURLEx or FindProxyForURL.
 *
 * Why duktape: ES5.1 (what PAC scripts are written in), small, embeddable,
 * and sandboxed by construction (no file, network or process API); its
 * allocator is ours, which is how the heap is capped.  Why every PAC function
 * in C rather than JavaScript glue: the ones that touch the system (DNS,
 * interfaces, the clock) have to be C anyway, the address and date ones are
 * easier to get exactly right with integers than with JavaScript's numbers,
 * and a script cannot look at or patch C code (a JavaScript helper would sit
 * in the script's own global object).
 *
 * What this file cannot do is bound the running time of a script: Debian's
 * duktape is built without an execution-timeout hook.  That is why untrusted
 * scripts run in the helper process (main.c), under RLIMIT_CPU.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include <duktape.h>

#include "pac_engine.h"

#define PAC_MAX_ADDRS 64
/* Longest text of one address: an IPv6 address, '%' and a 10-digit zone. */
#define PAC_ADDR_TEXT 64

/* ------------------------------------------------------------------ the heap */

/* Every block carries a header: its size (for the cap) and its place in a
 * list of all live blocks, so that a fatal error (after which the heap cannot
 * be destroyed normally) still frees everything. */
union block
{
    struct
    {
        union block *prev, *next;
        size_t size;
    } h;
    max_align_t align;
};

struct heap
{
    size_t limit;           /* 0: none */
    size_t used;
    int limit_hit;          /* an allocation was refused because of the cap */
    union block list;       /* sentinel of the live blocks */
    sigjmp_buf fatal;           /* sigsetjmp: evaluate() says why */
    const struct pac_env *env;
#ifdef PAC_ENGINE_EXEC_TIMEOUT
    struct timespec deadline;
#endif
};

static int heap_may_grow(struct heap *heap, size_t old_size, size_t new_size)
{
    size_t grow;

    if (new_size > (size_t)-1 - sizeof(union block)) return 0;
    if (!heap->limit || new_size <= old_size) return 1;
    grow = new_size - old_size;
    if (grow > heap->limit || heap->used > heap->limit - grow)
    {
        heap->limit_hit = 1;
        return 0;
    }
    return 1;
}

static void block_link(struct heap *heap, union block *b, size_t size)
{
    b->h.size = size;
    b->h.prev = &heap->list;
    b->h.next = heap->list.h.next;
    heap->list.h.next->h.prev = b;
    heap->list.h.next = b;
    heap->used += size;
}

static void block_unlink(struct heap *heap, union block *b)
{
    b->h.prev->h.next = b->h.next;
    b->h.next->h.prev = b->h.prev;
    heap->used -= b->h.size;
}

static void *heap_alloc(void *udata, duk_size_t size)
{
    struct heap *heap = udata;
    union block *b;

    if (!heap_may_grow(heap, 0, size)) return NULL;
    if (!(b = malloc(sizeof(*b) + size))) return NULL;
    block_link(heap, b, size);
    return b + 1;
}

static void heap_free(void *udata, void *ptr)
{
    struct heap *heap = udata;
    union block *b;

    if (!ptr) return;
    b = (union block *)ptr - 1;
    block_unlink(heap, b);
    free(b);
}

static void *heap_realloc(void *udata, void *ptr, duk_size_t size)
{
    struct heap *heap = udata;
    union block *b, *nb;

    if (!ptr) return heap_alloc(udata, size);
    if (!size)
    {
        heap_free(udata, ptr);
        return NULL;
    }
    b = (union block *)ptr - 1;
    if (!heap_may_grow(heap, b->h.size, size)) return NULL;
    block_unlink(heap, b);
    if (!(nb = realloc(b, sizeof(*b) + size)))
    {
        block_link(heap, b, b->h.size);
        return NULL;
    }
    block_link(heap, nb, size);
    return nb + 1;
}

static void heap_free_all(struct heap *heap)
{
    while (heap->list.h.next != &heap->list)
    {
        union block *b = heap->list.h.next;
        block_unlink(heap, b);
        free(b);
    }
}

/* duktape's fatal errors (an error outside any protected call, or out of
 * memory while handling one) must not return, and the default aborts the
 * process: ours jumps back to pac_evaluate_env, which frees the blocks. */
static void heap_fatal(void *udata, const char *msg)
{
    struct heap *heap = udata;
    (void)msg;
    siglongjmp(heap->fatal, 1);
}

static struct heap *heap_of(duk_context *ctx)
{
    duk_memory_functions funcs;
    duk_get_memory_functions(ctx, &funcs);
    return funcs.udata;
}

#ifdef PAC_ENGINE_EXEC_TIMEOUT
/* Only in builds against a duktape configured with
 * DUK_USE_EXEC_TIMEOUT_CHECK(udata) pac_engine_exec_timeout(udata) (the fuzz
 * target compiles its own): stop a script after a fixed wall-clock budget. */
int pac_engine_exec_timeout(void *udata);
int pac_engine_exec_timeout(void *udata)
{
    struct heap *heap = udata;
    struct timespec now;

    if (!heap) return 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > heap->deadline.tv_sec
        || (now.tv_sec == heap->deadline.tv_sec && now.tv_nsec > heap->deadline.tv_nsec);
}
#endif

/* ------------------------------------------------------------- addresses */

static int addr_parse(const char *s, size_t len, struct pac_addr *addr)
{
    char buf[PAC_ADDR_TEXT];
    char *pct;

    if (!len || len >= sizeof(buf) || memchr(s, 0, len)) return 0;
    memcpy(buf, s, len);
    buf[len] = 0;
    memset(addr, 0, sizeof(*addr));
    if (inet_pton(AF_INET, buf, addr->bytes) == 1)
    {
        addr->family = 4;
        return 1;
    }
    /* An IPv6 zone, "fe80::1%15" as dnsResolveEx writes it: numeric only. */
    if ((pct = strchr(buf, '%')))
    {
        char *end;
        unsigned long scope;
        *pct = 0;
        if (!isdigit((unsigned char)pct[1])) return 0;
        scope = strtoul(pct + 1, &end, 10);
        if (*end || scope > 0xffffffffUL) return 0;
        addr->scope = (unsigned int)scope;
    }
    if (inet_pton(AF_INET6, buf, addr->bytes) == 1)
    {
        addr->family = 6;
        return 1;
    }
    return 0;
}

static void addr_format(const struct pac_addr *addr, char *out)
{
    if (!inet_ntop(addr->family == 4 ? AF_INET : AF_INET6, addr->bytes, out, INET6_ADDRSTRLEN))
    {
        strcpy(out, "");
        return;
    }
    if (addr->family == 6 && addr->scope)
        sprintf(out + strlen(out), "%%%u", addr->scope);
}

static int addr_is_loopback(const struct pac_addr *addr)
{
    static const unsigned char v6_loopback[16] = {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1};
    if (addr->family == 4) return addr->bytes[0] == 127;
    return !memcmp(addr->bytes, v6_loopback, 16);
}

/* The first bits of a and b agree. */
static int addr_prefix_match(const struct pac_addr *a, const struct pac_addr *b, unsigned int bits)
{
    unsigned int whole = bits / 8, rest = bits % 8;

    if (a->family != b->family) return 0;
    if (memcmp(a->bytes, b->bytes, whole)) return 0;
    if (!rest) return 1;
    return !((a->bytes[whole] ^ b->bytes[whole]) & (0xff00 >> rest));
}

/* The scope an IPv6 address reaches (RFC 4007 values), for sortIpAddressList:
 * the narrower first, as Windows orders a link-local before a global one. */
static int addr_scope_rank(const struct pac_addr *addr)
{
    const unsigned char *b = addr->bytes;
    if (b[0] == 0xff) return b[1] & 0x0f;                   /* multicast: its own scope */
    if (addr_is_loopback(addr)) return 2;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return 2;    /* fe80::/10 link-local */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return 5;    /* fec0::/10 site-local */
    return 14;
}

/* A host name we are willing to hand to the resolver. */
static int host_name_ok(const char *host, size_t len)
{
    return len && len <= 255 && !memchr(host, 0, len);
}

static int system_resolve(const char *host, struct pac_addr *addrs, int max)
{
    struct addrinfo hints, *res, *ai;
    int count = 0;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;   /* one entry per address, not one per socket type */
    if (getaddrinfo(host, NULL, &hints, &res)) return 0;
    for (ai = res; ai && count < max; ai = ai->ai_next)
    {
        struct pac_addr *a = &addrs[count];
        memset(a, 0, sizeof(*a));
        if (ai->ai_family == AF_INET && ai->ai_addrlen >= sizeof(struct sockaddr_in))
        {
            a->family = 4;
            memcpy(a->bytes, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
        }
        else if (ai->ai_family == AF_INET6 && ai->ai_addrlen >= sizeof(struct sockaddr_in6))
        {
            const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ai->ai_addr;
            a->family = 6;
            memcpy(a->bytes, &sin6->sin6_addr, 16);
            a->scope = sin6->sin6_scope_id;
        }
        else continue;
        count++;
    }
    freeaddrinfo(res);
    return count;
}

static int system_local_addresses(struct pac_addr *addrs, int max)
{
    struct ifaddrs *list, *ifa;
    int count = 0;

    if (getifaddrs(&list)) return 0;
    for (ifa = list; ifa && count < max; ifa = ifa->ifa_next)
    {
        struct pac_addr *a = &addrs[count];
        if (!ifa->ifa_addr || !(ifa->ifa_flags & IFF_UP)) continue;
        memset(a, 0, sizeof(*a));
        if (ifa->ifa_addr->sa_family == AF_INET)
        {
            a->family = 4;
            memcpy(a->bytes, &((struct sockaddr_in *)ifa->ifa_addr)->sin_addr, 4);
        }
        else if (ifa->ifa_addr->sa_family == AF_INET6)
        {
            const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ifa->ifa_addr;
            a->family = 6;
            memcpy(a->bytes, &sin6->sin6_addr, 16);
            a->scope = sin6->sin6_scope_id;
        }
        else continue;
        count++;
    }
    freeifaddrs(list);
    return count;
}

/* Every address of host, IPv6 first (the order Microsoft documents for the
 * Ex functions), without duplicates.  An address literal is its own answer. */
static int resolve(struct heap *heap, const char *host, size_t len, struct pac_addr *out, int max)
{
    struct pac_addr raw[PAC_MAX_ADDRS];
    int n, i, j, count = 0, pass;

    if (!host_name_ok(host, len)) return 0;
    if (addr_parse(host, len, &out[0])) return 1;
    if (heap->env && heap->env->resolve)
        n = heap->env->resolve(heap->env->ctx, host, raw, PAC_MAX_ADDRS);
    else
        n = system_resolve(host, raw, PAC_MAX_ADDRS);
    if (n < 0) n = 0;
    if (n > PAC_MAX_ADDRS) n = PAC_MAX_ADDRS;
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < n && count < max; i++)
        {
            if ((raw[i].family == 6) != (pass == 0)) continue;
            if (raw[i].family != 4 && raw[i].family != 6) continue;
            for (j = 0; j < count; j++)
                if (out[j].family == raw[i].family && !memcmp(out[j].bytes, raw[i].bytes, 16)) break;
            if (j == count) out[count++] = raw[i];
        }
    return count;
}

static int local_addresses(struct heap *heap, struct pac_addr *out, int max)
{
    int n;
    if (heap->env && heap->env->local_addresses)
        n = heap->env->local_addresses(heap->env->ctx, out, max);
    else
        n = system_local_addresses(out, max);
    if (n < 0) n = 0;
    return n > max ? max : n;
}

/* ------------------------------------------------------- argument helpers */

/* Argument i as a string (JavaScript's ToString; a missing one is
 * "undefined", as a browser's would be). */
static const char *arg_string(duk_context *ctx, duk_idx_t i, size_t *len)
{
    duk_size_t l;
    const char *s;

    if (i >= duk_get_top(ctx)) { *len = 9; return "undefined"; }
    s = duk_to_lstring(ctx, i, &l);
    *len = l;
    return s;
}

static int str_ieq(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b), i;
    if (alen != blen) return 0;
    for (i = 0; i < alen; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return 0;
    return 1;
}

/* Join addresses with ';' and push the string. */
static void push_addr_list(duk_context *ctx, const struct pac_addr *addrs, int n)
{
    char text[PAC_MAX_ADDRS * (PAC_ADDR_TEXT + 1) + 1];
    size_t pos = 0;
    int i;

    text[0] = 0;
    for (i = 0; i < n; i++)
    {
        char one[PAC_ADDR_TEXT];
        addr_format(&addrs[i], one);
        if (!*one) continue;
        if (pos) text[pos++] = ';';
        strcpy(text + pos, one);
        pos += strlen(one);
    }
    duk_push_lstring(ctx, text, pos);
}

/* ------------------------------------------------- host name conditions */

static duk_ret_t js_isPlainHostName(duk_context *ctx)
{
    size_t len;
    const char *host = arg_string(ctx, 0, &len);
    duk_push_boolean(ctx, !memchr(host, '.', len));
    return 1;
}

/* The host ends with the domain (case-insensitively: DNS names are). */
static duk_ret_t js_dnsDomainIs(duk_context *ctx)
{
    size_t hlen, dlen;
    const char *host = arg_string(ctx, 0, &hlen), *domain = arg_string(ctx, 1, &dlen);
    int match = dlen <= hlen;
    size_t i;

    for (i = 0; match && i < dlen; i++)
        match = tolower((unsigned char)host[hlen - dlen + i]) == tolower((unsigned char)domain[i]);
    duk_push_boolean(ctx, match);
    return 1;
}

/* The host is hostdom exactly, or an unqualified name equal to hostdom's
 * first label. */
static duk_ret_t js_localHostOrDomainIs(duk_context *ctx)
{
    size_t hlen, dlen;
    const char *host = arg_string(ctx, 0, &hlen), *hostdom = arg_string(ctx, 1, &dlen);
    const char *dot = memchr(hostdom, '.', dlen);
    int match = 0;

    if (hlen && !memchr(host, 0, hlen) && !memchr(hostdom, 0, dlen))
    {
        if (hlen == dlen) match = !strncasecmp(host, hostdom, hlen);
        else if (!memchr(host, '.', hlen) && dot && (size_t)(dot - hostdom) == hlen)
            match = !strncasecmp(host, hostdom, hlen);
    }
    duk_push_boolean(ctx, match);
    return 1;
}

static duk_ret_t js_dnsDomainLevels(duk_context *ctx)
{
    size_t len, i;
    const char *host = arg_string(ctx, 0, &len);
    int dots = 0;

    for (i = 0; i < len; i++) dots += host[i] == '.';
    duk_push_int(ctx, dots);
    return 1;
}

/* Length of the character that starts at s (UTF-8 or duktape's CESU-8), so
 * that '?' stands for a character rather than a byte. */
static size_t char_len(const unsigned char *s, size_t avail)
{
    size_t n = 1;
    if (*s >= 0xf0 && *s < 0xf8) n = 4;
    else if (*s >= 0xe0) n = *s < 0xf0 ? 3 : 1;
    else if (*s >= 0xc0) n = 2;
    return n > avail ? avail : n;
}

/* Shell expression match, '*' and '?' only (what Windows supports: no
 * brackets, no escapes), over the whole string.  Backtracking only to the
 * last '*' keeps it O(len * pattern) whatever the pattern. */
static int sh_exp_match(const char *str, size_t slen, const char *pat, size_t plen)
{
    size_t s = 0, p = 0, star_p = (size_t)-1, star_s = 0;

    while (s < slen)
    {
        if (p < plen && pat[p] == '*')
        {
            star_p = ++p;
            star_s = s;
        }
        else if (p < plen && pat[p] == '?')
        {
            s += char_len((const unsigned char *)str + s, slen - s);
            p++;
        }
        else if (p < plen && pat[p] == str[s])
        {
            s++;
            p++;
        }
        else if (star_p != (size_t)-1)
        {
            p = star_p;
            star_s += char_len((const unsigned char *)str + star_s, slen - star_s);
            s = star_s;
        }
        else return 0;
    }
    while (p < plen && pat[p] == '*') p++;
    return p == plen;
}

static duk_ret_t js_shExpMatch(duk_context *ctx)
{
    size_t slen, plen;
    const char *str = arg_string(ctx, 0, &slen), *pat = arg_string(ctx, 1, &plen);
    duk_push_boolean(ctx, sh_exp_match(str, slen, pat, plen));
    return 1;
}

/* ------------------------------------------------------------------- DNS */

static duk_ret_t js_isResolvable(duk_context *ctx)
{
    struct pac_addr addrs[PAC_MAX_ADDRS];
    size_t len;
    const char *host = arg_string(ctx, 0, &len);
    int n = resolve(heap_of(ctx), host, len, addrs, PAC_MAX_ADDRS), i, found = 0;

    for (i = 0; i < n; i++) found |= addrs[i].family == 4;
    duk_push_boolean(ctx, found);
    return 1;
}

static duk_ret_t js_isResolvableEx(duk_context *ctx)
{
    struct pac_addr addrs[PAC_MAX_ADDRS];
    size_t len;
    const char *host = arg_string(ctx, 0, &len);
    duk_push_boolean(ctx, resolve(heap_of(ctx), host, len, addrs, PAC_MAX_ADDRS) > 0);
    return 1;
}

/* The first IPv4 address, or null when there is none. */
static int first_ipv4(duk_context *ctx, const char *host, size_t len, struct pac_addr *out)
{
    struct pac_addr addrs[PAC_MAX_ADDRS];
    int n = resolve(heap_of(ctx), host, len, addrs, PAC_MAX_ADDRS), i;

    for (i = 0; i < n; i++)
        if (addrs[i].family == 4)
        {
            *out = addrs[i];
            return 1;
        }
    return 0;
}

static duk_ret_t js_dnsResolve(duk_context *ctx)
{
    struct pac_addr addr;
    size_t len;
    const char *host = arg_string(ctx, 0, &len);

    if (first_ipv4(ctx, host, len, &addr)) push_addr_list(ctx, &addr, 1);
    else duk_push_null(ctx);
    return 1;
}

static duk_ret_t js_dnsResolveEx(duk_context *ctx)
{
    struct pac_addr addrs[PAC_MAX_ADDRS];
    size_t len;
    const char *host = arg_string(ctx, 0, &len);
    push_addr_list(ctx, addrs, resolve(heap_of(ctx), host, len, addrs, PAC_MAX_ADDRS));
    return 1;
}

static duk_ret_t js_myIpAddress(duk_context *ctx)
{
    struct pac_addr addrs[PAC_MAX_ADDRS];
    int n = local_addresses(heap_of(ctx), addrs, PAC_MAX_ADDRS), i;

    for (i = 0; i < n; i++)
        if (addrs[i].family == 4 && !addr_is_loopback(&addrs[i]))
        {
            push_addr_list(ctx, &addrs[i], 1);
            return 1;
        }
    duk_push_string(ctx, "127.0.0.1");
    return 1;
}

/* Every address of the machine, IPv6 first; the loopback ones only when
 * there is nothing else. */
static duk_ret_t js_myIpAddressEx(duk_context *ctx)
{
    struct pac_addr addrs[PAC_MAX_ADDRS], out[PAC_MAX_ADDRS];
    int n = local_addresses(heap_of(ctx), addrs, PAC_MAX_ADDRS), i, count = 0, pass, loop;

    for (loop = 0; loop < 2 && !count; loop++)
        for (pass = 0; pass < 2; pass++)
            for (i = 0; i < n; i++)
                if ((addrs[i].family == 6) == (pass == 0) && addr_is_loopback(&addrs[i]) == loop)
                    out[count++] = addrs[i];
    if (!count)
    {
        duk_push_string(ctx, "127.0.0.1");
        return 1;
    }
    push_addr_list(ctx, out, count);
    return 1;
}

/* isInNet(host, pattern, mask): the host's IPv4 address (itself when it is
 * one, else its first IPv4 address) masked equals the pattern masked. */
static duk_ret_t js_isInNet(duk_context *ctx)
{
    struct pac_addr addr, pattern, mask;
    size_t hlen, plen, mlen;
    const char *host = arg_string(ctx, 0, &hlen);
    const char *pat = arg_string(ctx, 1, &plen);
    const char *msk = arg_string(ctx, 2, &mlen);
    int match = 0, i;

    if (addr_parse(pat, plen, &pattern) && pattern.family == 4 && addr_parse(msk, mlen, &mask)
        && mask.family == 4 && first_ipv4(ctx, host, hlen, &addr))
    {
        match = 1;
        for (i = 0; i < 4; i++)
            if ((addr.bytes[i] & mask.bytes[i]) != (pattern.bytes[i] & mask.bytes[i])) match = 0;
    }
    duk_push_boolean(ctx, match);
    return 1;
}

/* "addr/bits", both parts required. */
static int prefix_parse(const char *s, size_t len, struct pac_addr *addr, unsigned int *bits)
{
    const char *slash = memchr(s, '/', len);
    size_t i, blen;
    unsigned int b = 0;

    if (!slash || !addr_parse(s, slash - s, addr) || addr->scope) return 0;
    blen = len - (slash - s) - 1;
    if (!blen || blen > 3) return 0;
    for (i = 0; i < blen; i++)
    {
        if (!isdigit((unsigned char)slash[1 + i])) return 0;
        b = b * 10 + (slash[1 + i] - '0');
    }
    if (b > (addr->family == 4 ? 32u : 128u)) return 0;
    *bits = b;
    return 1;
}

/* isInNetEx(addresses, prefix): any of the addresses (a ';' list as the Ex
 * functions return, or a host name, which is resolved) is in the prefix.
 * A prefix of the other IP version never matches, as documented. */
static duk_ret_t js_isInNetEx(duk_context *ctx)
{
    struct pac_addr prefix, addrs[PAC_MAX_ADDRS];
    unsigned int bits;
    size_t len, plen, start = 0;
    const char *list = arg_string(ctx, 0, &len), *pre = arg_string(ctx, 1, &plen);
    int match = 0;

    if (prefix_parse(pre, plen, &prefix, &bits))
    {
        while (start <= len && !match)
        {
            const char *item = list + start, *semi = memchr(item, ';', len - start);
            size_t ilen = semi ? (size_t)(semi - item) : len - start;
            int n, i;

            while (ilen && isspace((unsigned char)*item)) { item++; ilen--; }
            while (ilen && isspace((unsigned char)item[ilen - 1])) ilen--;
            if (ilen)
            {
                char name[256];
                if (ilen < sizeof(name) && !memchr(item, 0, ilen))
                {
                    memcpy(name, item, ilen);
                    name[ilen] = 0;
                    n = resolve(heap_of(ctx), name, ilen, addrs, PAC_MAX_ADDRS);
                    for (i = 0; i < n && !match; i++)
                        match = addr_prefix_match(&addrs[i], &prefix, bits);
                }
            }
            if (!semi) break;
            start = semi - list + 1;
        }
    }
    duk_push_boolean(ctx, match);
    return 1;
}

struct sort_item
{
    struct pac_addr addr;
    const char *text;
    size_t len;
    int index;
};

static int sort_item_cmp(const void *pa, const void *pb)
{
    const struct sort_item *a = pa, *b = pb;
    int c;

    if (a->addr.family != b->addr.family) return a->addr.family == 6 ? -1 : 1;
    if (a->addr.family == 6)
    {
        int ra = addr_scope_rank(&a->addr), rb = addr_scope_rank(&b->addr);
        if (ra != rb) return ra < rb ? -1 : 1;
    }
    if ((c = memcmp(a->addr.bytes, b->addr.bytes, a->addr.family == 4 ? 4 : 16))) return c;
    return a->index - b->index;
}

/* sortIpAddressList("a;b;c"): IPv6 addresses (narrowest scope first, then by
 * value) before IPv4 ones (by value), each written as it was given; "" when
 * any entry is not an address. */
static duk_ret_t js_sortIpAddressList(duk_context *ctx)
{
    struct sort_item items[PAC_MAX_ADDRS];
    size_t len, start = 0, total = 0;
    const char *list = arg_string(ctx, 0, &len);
    int n = 0, i;
    char *out;

    while (start <= len)
    {
        const char *item = list + start, *semi = memchr(item, ';', len - start);
        size_t ilen = semi ? (size_t)(semi - item) : len - start;

        while (ilen && isspace((unsigned char)*item)) { item++; ilen--; }
        while (ilen && isspace((unsigned char)item[ilen - 1])) ilen--;
        if (ilen)
        {
            if (n == PAC_MAX_ADDRS || !addr_parse(item, ilen, &items[n].addr)) goto fail;
            items[n].text = item;
            items[n].len = ilen;
            items[n].index = n;
            total += ilen + 1;
            n++;
        }
        if (!semi) break;
        start = semi - list + 1;
    }
    if (!n) goto fail;
    qsort(items, n, sizeof(items[0]), sort_item_cmp);
    out = duk_push_fixed_buffer(ctx, total);
    total = 0;
    for (i = 0; i < n; i++)
    {
        if (i) out[total++] = ';';
        memcpy(out + total, items[i].text, items[i].len);
        total += items[i].len;
    }
    duk_push_lstring(ctx, out, total);
    return 1;
fail:
    duk_push_string(ctx, "");
    return 1;
}

static duk_ret_t js_getClientVersion(duk_context *ctx)
{
    duk_push_string(ctx, "1.0");
    return 1;
}

static duk_ret_t js_alert(duk_context *ctx)
{
    (void)ctx;
    return 0;
}

/* ------------------------------------------------------------ time */

/* Drops a trailing "GMT" argument; returns the arguments left and whether
 * the times are UTC. */
static int time_args(duk_context *ctx, int *gmt)
{
    int n = duk_get_top(ctx);
    *gmt = 0;
    if (n > 0 && duk_is_string(ctx, n - 1))
    {
        duk_size_t len;
        const char *s = duk_get_lstring(ctx, n - 1, &len);
        if (str_ieq(s, len, "GMT")) { *gmt = 1; n--; }
    }
    return n;
}

static void now_tm(duk_context *ctx, int gmt, struct tm *tm)
{
    struct heap *heap = heap_of(ctx);
    time_t t = heap->env && heap->env->use_fixed_time ? (time_t)heap->env->fixed_time : time(NULL);

    memset(tm, 0, sizeof(*tm));
    if (gmt) gmtime_r(&t, tm);
    else localtime_r(&t, tm);
}

/* Argument i as a whole number in [lo, hi], or -1. */
static long arg_int(duk_context *ctx, int i, long lo, long hi)
{
    double d = duk_to_number(ctx, i);
    if (!(d >= lo && d <= hi) || d != (double)(long)d) return -1;
    return (long)d;
}

static int weekday_of(duk_context *ctx, int i)
{
    static const char names[7][4] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    duk_size_t len;
    const char *s;
    int d;

    if (!duk_is_string(ctx, i)) return -1;
    s = duk_get_lstring(ctx, i, &len);
    for (d = 0; d < 7; d++)
        if (str_ieq(s, len, names[d])) return d;
    return -1;
}

/* start..end inclusive; when start > end the range wraps around. */
static int in_cyclic(long v, long start, long end)
{
    return start <= end ? v >= start && v <= end : v >= start || v <= end;
}

static duk_ret_t js_weekdayRange(duk_context *ctx)
{
    struct tm tm;
    int gmt, n = time_args(ctx, &gmt), d1, d2, match = 0;

    if (n == 1 || n == 2)
    {
        d1 = weekday_of(ctx, 0);
        d2 = n == 2 ? weekday_of(ctx, 1) : d1;
        if (d1 >= 0 && d2 >= 0)
        {
            now_tm(ctx, gmt, &tm);
            match = in_cyclic(tm.tm_wday, d1, d2);
        }
    }
    duk_push_boolean(ctx, match);
    return 1;
}

enum date_kind { DATE_BAD, DATE_DAY, DATE_MONTH, DATE_YEAR };

/* A dateRange argument: a month name, a day of the month (1-31) or a year. */
static enum date_kind date_arg(duk_context *ctx, int i, long *value)
{
    static const char months[12][4] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    long v;
    int m;

    if (duk_is_string(ctx, i))
    {
        duk_size_t len;
        const char *s = duk_get_lstring(ctx, i, &len);
        for (m = 0; m < 12; m++)
            if (str_ieq(s, len, months[m])) { *value = m; return DATE_MONTH; }
    }
    if ((v = arg_int(ctx, i, 1, 99999)) < 0) return DATE_BAD;
    *value = v;
    return v <= 31 ? DATE_DAY : DATE_YEAR;
}

/* One date of count arguments from first: day, month and year each at most
 * once and in that order (day; month; year; day month; month year; day
 * month year).  Stores the fields present (bit per kind) and a key that
 * orders dates with those fields. */
static int date_spec(duk_context *ctx, int first, int count, unsigned int *fields, long *key)
{
    long value, day = 0, month = 0, year = 0;
    enum date_kind last = DATE_BAD, kind;
    int i;

    *fields = 0;
    for (i = 0; i < count; i++)
    {
        if ((kind = date_arg(ctx, first + i, &value)) == DATE_BAD || kind <= last) return 0;
        if (kind == DATE_DAY) day = value;
        else if (kind == DATE_MONTH) month = value + 1;
        else year = value;
        *fields |= 1u << kind;
        last = kind;
    }
    if (*fields == ((1u << DATE_DAY) | (1u << DATE_YEAR))) return 0;
    *key = year * 10000 + month * 100 + day;
    return count > 0;
}

static duk_ret_t js_dateRange(duk_context *ctx)
{
    struct tm tm;
    unsigned int f1, f2;
    long k1, k2, today;
    int gmt, n = time_args(ctx, &gmt), match = 0;

    if (n >= 1 && n <= 6)
    {
        int range = !(n % 2) && date_spec(ctx, 0, n / 2, &f1, &k1) && date_spec(ctx, n / 2, n / 2, &f2, &k2) && f1 == f2;
        if (range || (n <= 3 && date_spec(ctx, 0, n, &f1, &k1)))
        {
            now_tm(ctx, gmt, &tm);
            today = (f1 & (1u << DATE_YEAR) ? tm.tm_year + 1900L : 0) * 10000
                  + (f1 & (1u << DATE_MONTH) ? tm.tm_mon + 1L : 0) * 100
                  + (f1 & (1u << DATE_DAY) ? tm.tm_mday : 0);
            if (!range) match = today == k1;
            /* With a year the range is a stretch of time; without, it recurs
             * every year (or month) and may wrap: dateRange("DEC", "JAN"). */
            else if (f1 & (1u << DATE_YEAR)) match = today >= k1 && today <= k2;
            else match = in_cyclic(today, k1, k2);
        }
    }
    duk_push_boolean(ctx, match);
    return 1;
}

/* timeRange(h), (h1, h2), (h1, m1, h2, m2), (h1, m1, s1, h2, m2, s2), each
 * optionally with "GMT".  Hours alone cover whole hours: (9, 17) is from
 * 9:00:00 to 16:59:59 and (12) is (12, 13), as Netscape's examples read; with
 * minutes or seconds both ends are included.  A start after the end wraps
 * past midnight. */
static duk_ret_t js_timeRange(duk_context *ctx)
{
    struct tm tm;
    long v[6];
    int gmt, n = time_args(ctx, &gmt), i, match = 0;

    if (n == 1 || n == 2 || n == 4 || n == 6)
    {
        for (i = 0; i < n; i++)
        {
            int unit = n == 6 ? i % 3 : n == 4 ? i % 2 : 0;   /* 0 hours, 1 minutes, 2 seconds */
            v[i] = arg_int(ctx, i, 0, unit ? 59 : (n == 2 ? 24 : 23));
            if (v[i] < 0) goto done;
        }
        now_tm(ctx, gmt, &tm);
        if (n == 1) match = tm.tm_hour == v[0];
        else if (n == 2)
        {
            if (v[0] == v[1]) match = tm.tm_hour == v[0];
            else if (v[0] < v[1]) match = tm.tm_hour >= v[0] && tm.tm_hour < v[1];
            else match = tm.tm_hour >= v[0] || tm.tm_hour < v[1];
        }
        else if (n == 4)
            match = in_cyclic(tm.tm_hour * 60L + tm.tm_min, v[0] * 60 + v[1], v[2] * 60 + v[3]);
        else
            match = in_cyclic(tm.tm_hour * 3600L + tm.tm_min * 60 + tm.tm_sec,
                              v[0] * 3600 + v[1] * 60 + v[2], v[3] * 3600 + v[4] * 60 + v[5]);
    }
done:
    duk_push_boolean(ctx, match);
    return 1;
}

/* ------------------------------------------------------------ evaluation */

static const struct
{
    const char *name;
    duk_c_function func;
}
pac_functions[] =
{
    {"isPlainHostName", js_isPlainHostName},
    {"dnsDomainIs", js_dnsDomainIs},
    {"localHostOrDomainIs", js_localHostOrDomainIs},
    {"isResolvable", js_isResolvable},
    {"isInNet", js_isInNet},
    {"dnsResolve", js_dnsResolve},
    {"myIpAddress", js_myIpAddress},
    {"dnsDomainLevels", js_dnsDomainLevels},
    {"shExpMatch", js_shExpMatch},
    {"weekdayRange", js_weekdayRange},
    {"dateRange", js_dateRange},
    {"timeRange", js_timeRange},
    {"alert", js_alert},
    {"isResolvableEx", js_isResolvableEx},
    {"isInNetEx", js_isInNetEx},
    {"dnsResolveEx", js_dnsResolveEx},
    {"myIpAddressEx", js_myIpAddressEx},
    {"sortIpAddressList", js_sortIpAddressList},
    {"getClientVersion", js_getClientVersion},
};

/* duktape keeps strings in CESU-8: a character outside the BMP is a
 * surrogate pair of 3-byte sequences.  Our callers get UTF-8. */
static char *cesu8_to_utf8(const unsigned char *s, size_t len)
{
    char *out = malloc(len + 1), *o = out;
    size_t i = 0;

    if (!out) return NULL;
    while (i < len)
    {
        if (s[i] == 0xed && i + 2 < len && (s[i + 1] & 0xf0) >= 0xa0 && (s[i + 2] & 0xc0) == 0x80)
        {
            unsigned int hi = ((s[i + 1] & 0x0f) << 6) | (s[i + 2] & 0x3f);   /* 10 bits below 0xd800 */
            if ((s[i + 1] & 0xf0) == 0xa0 && i + 5 < len && s[i + 3] == 0xed && (s[i + 4] & 0xf0) == 0xb0
                && (s[i + 5] & 0xc0) == 0x80)
            {
                unsigned int lo = ((s[i + 4] & 0x0f) << 6) | (s[i + 5] & 0x3f);
                unsigned int cp = 0x10000 + (hi << 10) + lo;
                *o++ = (char)(0xf0 | (cp >> 18));
                *o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
                *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
                *o++ = (char)(0x80 | (cp & 0x3f));
                i += 6;
                continue;
            }
            /* A lone surrogate has no UTF-8 form: U+FFFD. */
            *o++ = (char)0xef; *o++ = (char)0xbf; *o++ = (char)0xbd;
            i += 3;
            continue;
        }
        *o++ = (char)s[i++];
    }
    *o = 0;
    return out;
}

/* One UTF-8 character at s: its length, 0 when the bytes there are not one
 * (overlong forms, surrogates and values past U+10FFFF included). */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned int *cp)
{
    size_t n, i;
    unsigned int c;

    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) { n = 2; c = s[0] & 0x1f; }
    else if (s[0] >= 0xe0 && s[0] <= 0xef) { n = 3; c = s[0] & 0x0f; }
    else if (s[0] >= 0xf0 && s[0] <= 0xf4) { n = 4; c = s[0] & 0x07; }
    else return 0;
    if (len < n) return 0;
    for (i = 1; i < n; i++)
    {
        if ((s[i] & 0xc0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

static size_t put_cesu8(unsigned char *o, unsigned int c)
{
    if (c < 0x80) { o[0] = (unsigned char)c; return 1; }
    if (c < 0x800) { o[0] = 0xc0 | (c >> 6); o[1] = 0x80 | (c & 0x3f); return 2; }
    if (c < 0x10000)
    {
        o[0] = 0xe0 | (c >> 12);
        o[1] = 0x80 | ((c >> 6) & 0x3f);
        o[2] = 0x80 | (c & 0x3f);
        return 3;
    }
    c -= 0x10000;
    return put_cesu8(o, 0xd800 | (c >> 10)) + put_cesu8(o + 3, 0xdc00 | (c & 0x3ff));
}

/* Pushes a C string given in UTF-8 as a JavaScript string.  duktape takes
 * bytes as they are, and some of its string functions throw on what does
 * not decode: so invalid sequences become U+FFFD, and characters outside
 * the BMP surrogate pairs, before the script sees them.  The scratch buffer
 * is on the JavaScript heap so that running out of memory leaks nothing. */
static void push_utf8(duk_context *ctx, const char *str)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t len = strlen((const char *)s), i = 0, o = 0;
    unsigned char *buf = duk_push_fixed_buffer(ctx, len * 3 + 1);

    while (i < len)
    {
        unsigned int c;
        size_t n = utf8_decode(s + i, len - i, &c);
        if (!n) { c = 0xfffd; n = 1; }
        o += put_cesu8(buf + o, c);
        i += n;
    }
    duk_push_lstring(ctx, (const char *)buf, o);
    duk_remove(ctx, -2);
}

static int is_callable_global(duk_context *ctx, const char *name)
{
    duk_get_global_string(ctx, name);
    if (duk_is_callable(ctx, -1)) return 1;
    duk_pop(ctx);
    return 0;
}

struct run_args
{
    const char *script, *url, *host;
    size_t script_len;
    enum pac_status status;
    char *result;
};

/* Everything that touches the heap runs inside duk_safe_call: an error
 * with no catcher at all would go to the fatal handler, and on its way
 * there duktape formats the error, which with the heap at its cap fails,
 * throws again and recurses until the C stack runs out. */
static duk_ret_t run(duk_context *ctx, void *udata)
{
    struct run_args *args = udata;
    duk_size_t len;
    const char *s;
    size_t i;

    args->status = PAC_MEMORY;   /* what an error thrown in here means */
    for (i = 0; i < sizeof(pac_functions) / sizeof(pac_functions[0]); i++)
    {
        duk_push_c_function(ctx, pac_functions[i].func, DUK_VARARGS);
        duk_put_global_string(ctx, pac_functions[i].name);
    }
    args->status = PAC_SYNTAX;
    if (duk_pcompile_lstring(ctx, 0, args->script_len ? args->script : "", args->script_len)) return 0;
    args->status = PAC_RUNTIME;
    if (duk_pcall(ctx, 0)) return 0;
    duk_pop(ctx);
    args->status = PAC_NO_FUNCTION;
    if (!is_callable_global(ctx, "FindProxyForURLEx") && !is_callable_global(ctx, "FindProxyForURL")) return 0;
    args->status = PAC_RUNTIME;
    push_utf8(ctx, args->url);
    push_utf8(ctx, args->host);
    if (duk_pcall(ctx, 2)) return 0;
    args->status = PAC_BAD_RESULT;
    if (!duk_is_string(ctx, -1)) return 0;
    s = duk_get_lstring(ctx, -1, &len);
    if (memchr(s, 0, len)) return 0;
    args->status = PAC_MEMORY;
    if (!(args->result = cesu8_to_utf8((const unsigned char *)s, len))) return 0;
    args->status = PAC_OK;
    return 0;
}

static duk_ret_t compile_only(duk_context *ctx, void *udata)
{
    struct run_args *args = udata;
    args->status = duk_pcompile_lstring(ctx, 0, args->script_len ? args->script : "", args->script_len)
                   ? PAC_SYNTAX : PAC_OK;
    return 0;
}

/* The cap applies from the first byte the script can cause: duktape cannot
 * survive running out of memory while it builds its built-in objects (its
 * error path recurses until the C stack overflows), so the empty heap is
 * built uncapped, and a cap it already exceeds is refused. */
static duk_context *create_heap(struct heap *heap)
{
    size_t limit = heap->limit;
    duk_context *ctx;

    heap->limit = 0;
    ctx = duk_create_heap(heap_alloc, heap_realloc, heap_free, heap, heap_fatal);
    heap->limit = limit;
    if (ctx && limit && heap->used >= limit)
    {
        duk_destroy_heap(ctx);
        return NULL;
    }
    return ctx;
}

static void heap_init(struct heap *heap, size_t memory_limit, const struct pac_env *env)
{
    memset(heap, 0, sizeof(*heap));
    heap->limit = memory_limit;
    heap->list.h.prev = heap->list.h.next = &heap->list;
    heap->env = env;
#ifdef PAC_ENGINE_EXEC_TIMEOUT
    {
        unsigned int ms = env && env->exec_timeout_ms ? env->exec_timeout_ms : 200;
        clock_gettime(CLOCK_MONOTONIC, &heap->deadline);
        heap->deadline.tv_sec += ms / 1000;
        heap->deadline.tv_nsec += (ms % 1000) * 1000000L;
        if (heap->deadline.tv_nsec >= 1000000000L)
        {
            heap->deadline.tv_sec++;
            heap->deadline.tv_nsec -= 1000000000L;
        }
    }
#endif
}

struct evaluation
{
    int compile_only;
    const char *script, *url, *host;
    size_t script_len, memory_limit;
    const struct pac_env *env;
    char *result;
    enum pac_status status;
};

/* Runs e (the script, or only its compilation) in a heap of its own.
 * The heap's bookkeeping lives in malloc'ed memory, not in a local
 * variable: it changes between setjmp and a fatal error's longjmp, which C
 * only guarantees for objects that are not automatic (or are volatile).
 * sigsetjmp, not setjmp: built into the DLL by winegcc, a plain setjmp
 * binds to ntdll's Windows-ABI _setjmp on Wine 10 (which crashed the
 * in-process run); glibc's __sigsetjmp has no Windows namesake. */
static enum pac_status evaluate(struct evaluation *e)
{
    /* What a failure is when nothing more precise is known. */
    enum pac_status failure = e->compile_only ? PAC_SYNTAX : PAC_RUNTIME;
    struct run_args args;
    struct heap *heap;
    duk_context *ctx;
    enum pac_status status;

    e->result = NULL;
    if (!(heap = malloc(sizeof(*heap)))) return PAC_MEMORY;
    heap_init(heap, e->memory_limit, e->compile_only ? NULL : e->env);
    if (sigsetjmp(heap->fatal, 0))
    {
        /* The heap is unusable after a fatal error: free its blocks as they are. */
        status = heap->limit_hit ? PAC_MEMORY : failure;
        free(e->result);
        e->result = NULL;
        heap_free_all(heap);
        free(heap);
        return status;
    }
    if (!(ctx = create_heap(heap)))
    {
        heap_free_all(heap);
        free(heap);
        return PAC_MEMORY;
    }
    args.script = e->script;
    args.script_len = e->script_len;
    args.url = e->url;
    args.host = e->host;
    args.status = failure;
    args.result = NULL;
    if (duk_safe_call(ctx, e->compile_only ? compile_only : run, &args, 0, 1) && args.status == PAC_OK)
    {
        free(args.result);
        args.result = NULL;
        args.status = failure;
    }
    status = args.status;
    e->result = args.result;
    /* Whatever failed while the cap refused memory failed for want of it. */
    if (status != PAC_OK && heap->limit_hit) status = PAC_MEMORY;
    duk_destroy_heap(ctx);
    heap_free_all(heap);
    free(heap);
    return status;
}

/* duktape recurses in C, within its own limits (the compiler, the regular
 * expression compiler and executor, native calls), and at those limits a
 * hostile script needs more stack than the 1 MiB a Windows thread has: a
 * deeply nested regular expression overflows it.  So the evaluation runs on
 * a thread of its own with a stack that is always enough (address space
 * only: the pages are touched as they are used). */
#define PAC_STACK_SIZE (16u << 20)

static void *evaluation_thread(void *arg)
{
    struct evaluation *e = arg;
    e->status = evaluate(e);
    return NULL;
}

static void run_on_big_stack(struct evaluation *e)
{
    pthread_attr_t attr;
    pthread_t thread;
    int started;

    e->status = PAC_MEMORY;   /* never run where the stack may not do */
    if (pthread_attr_init(&attr)) return;
    started = !pthread_attr_setstacksize(&attr, PAC_STACK_SIZE)
              && !pthread_create(&thread, &attr, evaluation_thread, e);
    pthread_attr_destroy(&attr);
    if (started) pthread_join(thread, NULL);
}

enum pac_status pac_evaluate_env(const char *script, size_t script_len, const char *url, const char *host,
                                 size_t memory_limit, const struct pac_env *env, char **result)
{
    struct evaluation e;

    if (!result) return PAC_RUNTIME;
    *result = NULL;
    if (!script && script_len) return PAC_SYNTAX;
    memset(&e, 0, sizeof(e));
    e.script = script;
    e.script_len = script_len;
    e.url = url;
    e.host = host;
    e.memory_limit = memory_limit;
    e.env = env;
    run_on_big_stack(&e);
    *result = e.result;
    return e.status;
}

enum pac_status pac_evaluate(const char *script, size_t script_len, const char *url, const char *host,
                             size_t memory_limit, char **result)
{
    return pac_evaluate_env(script, script_len, url, host, memory_limit, NULL, result);
}

enum pac_status pac_compile_check(const char *script, size_t script_len, size_t memory_limit)
{
    struct evaluation e;

    if (!script && script_len) return PAC_SYNTAX;
    memset(&e, 0, sizeof(e));
    e.compile_only = 1;
    e.script = script;
    e.script_len = script_len;
    e.memory_limit = memory_limit;
    run_on_big_stack(&e);
    return e.status;
}

const char *pac_status_name(enum pac_status status)
{
    switch (status)
    {
    case PAC_OK: return "OK";
    case PAC_SYNTAX: return "SYNTAX";
    case PAC_NO_FUNCTION: return "NO_FUNCTION";
    case PAC_RUNTIME: return "RUNTIME";
    case PAC_MEMORY: return "MEMORY";
    case PAC_BAD_RESULT: return "BAD_RESULT";
    }
    return "UNKNOWN";
}
