/*
 * The PAC (proxy auto-config) evaluator: runs an untrusted JavaScript
 * FindProxyForURL(url, host) in a fresh duktape heap and returns its string.
 *
 * Plain C with no Windows types: the same file builds natively for the
 * out-of-process helper (programs/winhttp-pac/winhttp-pac) and with winegcc
 * into the DLL for its in-process fallback.  No global state: every call owns
 * its heap, so calls on different threads never meet.
 */
#ifndef WINHTTP_PAC_ENGINE_H
#define WINHTTP_PAC_ENGINE_H

#include <stddef.h>

enum pac_status { PAC_OK, PAC_SYNTAX, PAC_NO_FUNCTION, PAC_RUNTIME, PAC_MEMORY, PAC_BAD_RESULT };

/* Compiles script, then calls FindProxyForURLEx(url, host) when the script defines it, else
 * FindProxyForURL(url, host). On PAC_OK *result is a malloc'ed UTF-8 string (the function's
 * return value, which must be a string, else PAC_BAD_RESULT). memory_limit in bytes caps the
 * JavaScript heap through duktape's allocator (0 = no cap). Thread-safe: one heap per call. */
enum pac_status pac_evaluate(const char *script, size_t script_len, const char *url, const char *host,
                             size_t memory_limit, char **result);
const char *pac_status_name(enum pac_status);

/* ---- Additions to the interface above (nothing in it changes). ---- */

/* One address as the engine handles it: family 4 or 6, bytes in network
 * order (4 or 16 of them), scope the IPv6 zone index (0: none). */
struct pac_addr
{
    int family;
    unsigned char bytes[16];
    unsigned int scope;
};

/* The world a script sees, for tests and for callers that resolve names
 * their own way.  Any member left 0/NULL means the real thing: the clock,
 * getaddrinfo, getifaddrs. */
struct pac_env
{
    int use_fixed_time;     /* when set, "now" is fixed_time (seconds since 1970, UTC) */
    long long fixed_time;
    /* Every address of host, IPv6 ones first as getaddrinfo orders them;
     * returns how many were stored (at most max), 0 when it does not resolve. */
    int (*resolve)(void *ctx, const char *host, struct pac_addr *addrs, int max);
    /* The machine's own addresses, loopback included; returns how many. */
    int (*local_addresses)(void *ctx, struct pac_addr *addrs, int max);
    void *ctx;
    /* Only where duktape was built with an execution-timeout hook (the fuzz
     * target's own build, see tools/build-fuzz): how long a script may run,
     * in milliseconds (0: 200).  Debian's libduktape has no such hook. */
    unsigned int exec_timeout_ms;
};

/* pac_evaluate with a given environment (env may be NULL). */
enum pac_status pac_evaluate_env(const char *script, size_t script_len, const char *url, const char *host,
                                 size_t memory_limit, const struct pac_env *env, char **result);

/* Compiles script without running any of it: PAC_OK, PAC_SYNTAX or
 * PAC_MEMORY.  Compiling is bounded by the script's size, running is not,
 * which is what makes this safe to call on anything (and to fuzz). */
enum pac_status pac_compile_check(const char *script, size_t script_len, size_t memory_limit);

#endif /* WINHTTP_PAC_ENGINE_H */
