/*
 * TLS over a net_socket with GnuTLS, validated the way Windows validates
 * (see tls.h for the interface and the rules).
 *
 * Unix side: this file and net.c are the only ones that include host
 * headers for the network path.  It uses Win32 types and error codes but
 * calls no Win32 function, which also lets tests/unit/test_tls.c compile it
 * natively (WINHTTP_TLS_UNIT_TEST: the test supplies the few definitions
 * winhttp_private.h would give).
 *
 * Verification runs inside the handshake, as soon as the server's
 * Certificate message arrived: a bad server never gets our client
 * certificate nor a Finished.  Trust is a matter of the Windows certificate
 * stores, which only the Windows side can read, so GnuTLS's verify callback
 * pauses the handshake (GNUTLS_E_AGAIN: GnuTLS runs the callback again when
 * the handshake is resumed) and tls_handshake asks for a TLS_WANT_VERIFY
 * step; tls_verify_result brings the answer.  Revocation needs OCSP answers
 * or CRLs from the network, which only the HTTP engine can fetch (through
 * the session's proxy), so it runs after the handshake as a
 * TLS_WANT_REVOCATION step.
 */
#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>

#ifndef WINHTTP_TLS_UNIT_TEST
#include "winhttp_private.h"
WINE_DEFAULT_DEBUG_CHANNEL(winhttp);
#endif
#include "unix_private.h"
#include "tls.h"

#define FLAG(x) WINHTTP_CALLBACK_STATUS_FLAG_##x

#ifndef SEC_E_CERT_EXPIRED
#define SEC_E_CERT_EXPIRED 0x80090328
#endif
#ifndef SECURITY_FLAG_IGNORE_WEAK_SIGNATURE
#define SECURITY_FLAG_IGNORE_WEAK_SIGNATURE 0x00010000
#endif

/* Longest chain we look at; real ones have 2 to 4 certificates. */
#define MAX_CHAIN 16
/* Per-context cache sizes: enough for the servers one session talks to. */
#define MAX_VERIFIED 64
#define MAX_SESSIONS 64
#define MAX_CRLS     16
/* What one read of the socket may take ahead of GnuTLS (see pull_func). */
#define READ_AHEAD   (64 * 1024)

/* ------------------------------------------------------------------ */
/* Process-wide state: credentials, priorities                         */

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static gnutls_certificate_credentials_t global_cred;
static int global_ok;

static pthread_mutex_t prio_lock = PTHREAD_MUTEX_INITIALIZER;
static gnutls_priority_t prio_cache[16];    /* by TLS1.0/1.1/1.2/1.3 bits */

static int verify_callback(gnutls_session_t session);
static int retrieve_callback(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
                             const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                             gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *pkey);

static void global_init(void)
{
    int ret;

    if ((ret = gnutls_certificate_allocate_credentials(&global_cred)) < 0)
    {
        ERR("gnutls_certificate_allocate_credentials: %s\n", gnutls_strerror(ret));
        return;
    }
    gnutls_certificate_set_verify_function(global_cred, verify_callback);
    gnutls_certificate_set_retrieve_function2(global_cred, retrieve_callback);
    /* No trust list here: the credentials' is never consulted (our verify
     * callback decides), and what is trusted comes from the Windows
     * certificate stores through tls_verify_result. */
    global_ok = 1;
}

static unsigned int protocol_bits(DWORD protocols)
{
    unsigned int bits = 0;

    if (!protocols) protocols = WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2 | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3;
    /* SSL 2.0 and 3.0 are broken: never negotiated, whatever is asked. */
    if (protocols & WINHTTP_FLAG_SECURE_PROTOCOL_TLS1) bits |= 1;
    if (protocols & WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_1) bits |= 2;
    if (protocols & WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2) bits |= 4;
    if (protocols & WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3) bits |= 8;
    return bits;
}

/* Parsing a priority string costs about as much as a resumed handshake:
 * keep one per protocol set for the life of the process. */
static gnutls_priority_t get_priority(unsigned int bits)
{
    gnutls_priority_t prio;
    char str[128];
    const char *err;
    int ret;

    pthread_mutex_lock(&prio_lock);
    if (!(prio = prio_cache[bits]))
    {
        snprintf(str, sizeof(str), "NORMAL:-VERS-ALL%s%s%s%s", bits & 8 ? ":+VERS-TLS1.3" : "",
                 bits & 4 ? ":+VERS-TLS1.2" : "", bits & 2 ? ":+VERS-TLS1.1" : "", bits & 1 ? ":+VERS-TLS1.0" : "");
        if ((ret = gnutls_priority_init2(&prio, str, &err, 0)) < 0)
        {
            ERR("priority %s: %s at %s\n", str, gnutls_strerror(ret), err);
            prio = NULL;
        }
        else prio_cache[bits] = prio;
    }
    pthread_mutex_unlock(&prio_lock);
    return prio;
}

/* ------------------------------------------------------------------ */
/* Contexts and their caches                                           */

struct cache_entry
{
    struct cache_entry *next;
    char *key;
    gnutls_datum_t data;        /* gnutls_malloc'ed */
    time_t expires;             /* CRLs: nextUpdate; 0 never */
};

struct cache
{
    struct cache_entry *head;   /* most recently used first */
    unsigned int count, max;
};

struct tls_context
{
    int refs;
    pthread_mutex_t lock;
    struct cache verified;      /* "host:port" -> SHA-256 of the server certificate */
    struct cache sessions;      /* "host:port/protocols/client cert" -> session data */
    struct cache crls;          /* URL -> CRL or OCSP response (DER) */
};

static void cache_entry_free(struct cache_entry *e)
{
    free(e->key);
    gnutls_free(e->data.data);
    free(e);
}

static void cache_clear(struct cache *cache)
{
    struct cache_entry *e, *next;

    for (e = cache->head; e; e = next)
    {
        next = e->next;
        cache_entry_free(e);
    }
    cache->head = NULL;
    cache->count = 0;
}

/* Find key (moving it to the front); call with the context locked. */
static struct cache_entry *cache_find(struct cache *cache, const char *key)
{
    struct cache_entry **p, *e;

    for (p = &cache->head; (e = *p); p = &e->next)
    {
        if (strcmp(e->key, key)) continue;
        *p = e->next;
        e->next = cache->head;
        cache->head = e;
        return e;
    }
    return NULL;
}

/* Store a copy of data under key, replacing what was there and dropping the
 * least recently used entry when full; call with the context locked. */
static void cache_put(struct cache *cache, const char *key, const void *data, size_t len, time_t expires)
{
    struct cache_entry *e, **p;

    if ((e = cache_find(cache, key)))
    {
        cache->head = e->next;
        cache_entry_free(e);
        cache->count--;
    }
    if (!(e = calloc(1, sizeof(*e)))) return;
    if (!(e->key = strdup(key)) || !(e->data.data = gnutls_malloc(len ? len : 1)))
    {
        cache_entry_free(e);
        return;
    }
    memcpy(e->data.data, data, len);
    e->data.size = len;
    e->expires = expires;
    e->next = cache->head;
    cache->head = e;
    if (++cache->count > cache->max)
    {
        for (p = &cache->head; (*p)->next; p = &(*p)->next) ;
        cache_entry_free(*p);
        *p = NULL;
        cache->count--;
    }
}

DWORD tls_context_create(struct tls_context **ret)
{
    struct tls_context *ctx;

    /* Without GnuTLS a context is still made: its connections fail with
     * the SECURITY_CHANNEL_ERROR flag (see tls_conn_create). */
    pthread_once(&global_once, global_init);
    if (!(ctx = calloc(1, sizeof(*ctx)))) return ERROR_OUTOFMEMORY;
    ctx->refs = 1;
    pthread_mutex_init(&ctx->lock, NULL);
    ctx->verified.max = MAX_VERIFIED;
    ctx->sessions.max = MAX_SESSIONS;
    ctx->crls.max = MAX_CRLS;
    TRACE("context %p\n", ctx);
    *ret = ctx;
    return ERROR_SUCCESS;
}

struct tls_context *tls_context_addref(struct tls_context *ctx)
{
    __atomic_add_fetch(&ctx->refs, 1, __ATOMIC_SEQ_CST);
    return ctx;
}

void tls_context_release(struct tls_context *ctx)
{
    if (!ctx || __atomic_sub_fetch(&ctx->refs, 1, __ATOMIC_SEQ_CST)) return;
    TRACE("freeing context %p\n", ctx);
    cache_clear(&ctx->verified);
    cache_clear(&ctx->sessions);
    cache_clear(&ctx->crls);
    pthread_mutex_destroy(&ctx->lock);
    free(ctx);
}

/* ------------------------------------------------------------------ */
/* Connections                                                         */

enum tls_state
{
    TLS_HANDSHAKE,
    TLS_REVOCATION,     /* handshake done, checking revocation */
    TLS_OPEN,
    TLS_FAILED,
};

enum verify_state
{
    VERIFY_NONE,        /* the server's certificate has not arrived */
    VERIFY_WAITING,     /* asked for TLS_WANT_VERIFY; tls_verify_result not called yet */
    VERIFY_DONE,        /* decided: verify_failed says how */
};

struct chain_link
{
    gnutls_x509_crt_t cert;     /* on the path from the server's certificate to a trust anchor */
    gnutls_x509_crt_t issuer;   /* its issuer: the next link's cert, or the trust anchor (not owned) */
};

struct tls_conn
{
    struct tls_context *ctx;
    struct net_socket *sock;
    gnutls_session_t session;
    enum tls_state state;
    char *host;                 /* without IPv6 brackets */
    BOOL host_is_ip;
    struct tls_params params;
    unsigned int protocols;     /* protocol_bits() */
    char *verified_key;         /* "host:port" */
    char *session_key;          /* resumption cache key */
    unsigned char leaf_sha256[32];
    BOOL have_leaf_sha256;

    DWORD failure_flags;        /* reported by tls_failure_flags */
    DWORD error;                /* what tls_handshake returns once TLS_FAILED */
    DWORD net_error;            /* what the socket said, if it failed */
    enum verify_state verify_state;
    BOOL verify_failed;
    BOOL cert_needed;
    BOOL renegotiating;         /* tls_recv drives a handshake the server asked for */
    BOOL verified_by_cache;
    BOOL session_saved;
    BOOL bye_sent;

    /* TLS record boundaries as seen on the wire, to tell a TCP close
     * between records (fine: servers do it) from one inside a record, and
     * garbage from TLS. */
    unsigned char rec_hdr[5];
    unsigned int rec_hdr_len;
    size_t rec_left;
    BOOL eof;
    BOOL not_tls;

    size_t send_pending;        /* tls_send took this many bytes but GnuTLS has not sent them all */

    /* Bytes read from the socket that GnuTLS has not pulled yet. */
    unsigned char *ahead;       /* READ_AHEAD bytes while it holds some, else NULL */
    size_t ahead_start, ahead_end;

    struct tls_der_list *issuers;   /* the CertificateRequest's names */
    gnutls_pcert_st pcerts[MAX_CHAIN];
    unsigned int pcert_count;
    gnutls_privkey_t pkey;

    /* the server's chain as it sent it, then, after tls_verify_result, the
     * path the Windows side built (the root last), which revocation follows */
    gnutls_x509_crt_t chain[MAX_CHAIN];
    unsigned int chain_count;
    /* revocation */
    struct chain_link links[MAX_CHAIN];
    unsigned int link_count, link_next;
    char *rev_url;
    BOOL rev_waiting;
    BOOL rev_ocsp;              /* the current link is asked through OCSP first, then its CRL */
    BOOL rev_tried_ocsp;
    DWORD rev_flags;
};

static BOOL is_ip_literal(const char *host)
{
    unsigned char addr[16];
    return inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
}

static void set_errno(struct tls_conn *c, int err)
{
    gnutls_transport_set_errno(c->session, err);
}

/* Follow TLS records in what the socket gave us: a 5-byte header (content
 * type 20..24, version 3.x, length) then that many bytes. */
static void track_records(struct tls_conn *c, const unsigned char *p, size_t len)
{
    size_t n;

    while (len)
    {
        if (c->rec_left)
        {
            n = len < c->rec_left ? len : c->rec_left;
            c->rec_left -= n;
            p += n;
            len -= n;
            continue;
        }
        c->rec_hdr[c->rec_hdr_len++] = *p++;
        len--;
        if (c->rec_hdr_len == 1 && (c->rec_hdr[0] < 20 || c->rec_hdr[0] > 24)) c->not_tls = TRUE;
        if (c->rec_hdr_len == 2 && c->rec_hdr[1] != 3) c->not_tls = TRUE;
        if (c->rec_hdr_len < 5) continue;
        c->rec_left = (c->rec_hdr[3] << 8) | c->rec_hdr[4];
        c->rec_hdr_len = 0;
    }
}

static BOOL inside_record(const struct tls_conn *c)
{
    return c->rec_hdr_len || c->rec_left;
}

static ssize_t push_func(gnutls_transport_ptr_t ptr, const void *buf, size_t len)
{
    struct tls_conn *c = ptr;
    size_t sent;
    DWORD res;

    res = net_try_send(c->sock, buf, len, &sent);
    if (res == ERROR_IO_PENDING)
    {
        set_errno(c, EAGAIN);
        return -1;
    }
    if (res)
    {
        WARN("send failed: %u\n", res);
        c->net_error = res;
        if ((c->state == TLS_HANDSHAKE || c->renegotiating) && res != ERROR_WINHTTP_OPERATION_CANCELLED)
        {
            /* A server that refuses what we sent (our certificate) often
             * says why, then resets the connection while we are still
             * sending the rest of our messages: let GnuTLS go on and read
             * its alert; the next read fails anyway if there is none. */
            return len;
        }
        set_errno(c, EPIPE);
        return -1;
    }
    return sent;
}

/* GnuTLS pulls a record's 5-byte header, then its body, each with a read
 * of its own: two system calls per record of at most 16 KiB (and a third,
 * EAGAIN, whenever the socket runs dry).  One read of the socket takes what
 * is there, up to READ_AHEAD, and GnuTLS is served from it: a bulk download
 * costs a system call per 64 KiB instead of two per 16 KiB.  What is left
 * here counts as pending (tls_pending), and an EAGAIN from GnuTLS with
 * bytes left is not passed on (again_with_ahead): nothing would wake a
 * wait on the socket for them. */
static ssize_t pull_func(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
    struct tls_conn *c = ptr;
    size_t received;
    DWORD res;

    if (c->ahead_start == c->ahead_end)
    {
        if (!c->ahead && len < READ_AHEAD) c->ahead = malloc(READ_AHEAD);
        if (!c->ahead || len >= READ_AHEAD)
        {
            /* As much as the caller takes: straight into its buffer. */
            res = net_try_recv(c->sock, buf, len, &received);
            if (!res && received) track_records(c, buf, received);
        }
        else
        {
            res = net_try_recv(c->sock, c->ahead, READ_AHEAD, &received);
            c->ahead_start = 0;
            c->ahead_end = res ? 0 : received;
            if (!res && received) track_records(c, c->ahead, received);
        }
        if (res == ERROR_IO_PENDING)
        {
            set_errno(c, EAGAIN);
            return -1;
        }
        if (res)
        {
            c->net_error = res;
            set_errno(c, ECONNRESET);
            return -1;
        }
        if (!received)
        {
            c->eof = TRUE;
            return 0;
        }
        if (c->ahead_start == c->ahead_end) return received;    /* read into buf */
    }
    received = c->ahead_end - c->ahead_start;
    if (received > len) received = len;
    memcpy(buf, c->ahead + c->ahead_start, received);
    c->ahead_start += received;
    if (c->ahead_start == c->ahead_end)
    {
        /* Idle connections (a pool may keep many) hold no buffer. */
        free(c->ahead);
        c->ahead = NULL;
    }
    return received;
}

/* GnuTLS says EAGAIN after some records it handles itself (a TLS 1.3
 * ticket or key update) with more records read ahead: nobody would wake a
 * wait for those, so go on with them. */
static BOOL again_with_ahead(struct tls_conn *c)
{
    return c->ahead_start != c->ahead_end && !gnutls_record_get_direction(c->session);
}

/* GnuTLS asks this before some reads; the socket is non-blocking and the
 * engine does the waiting, so say "try the read". */
static int pull_timeout_func(gnutls_transport_ptr_t ptr, unsigned int ms)
{
    return 1;
}

static char *make_key(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *make_key(const char *fmt, ...)
{
    va_list args;
    char *key;
    int len;

    va_start(args, fmt);
    len = vsnprintf(NULL, 0, fmt, args);
    va_end(args);
    if (len < 0 || !(key = malloc(len + 1))) return NULL;
    va_start(args, fmt);
    vsnprintf(key, len + 1, fmt, args);
    va_end(args);
    return key;
}

static BOOL sha256(const void *data, size_t len, unsigned char out[32])
{
    return gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, out) >= 0;
}

static DWORD set_alpn(struct tls_conn *c)
{
    gnutls_datum_t protos[2];
    unsigned int n = 0;

    if (c->params.alpn & TLS_ALPN_H2)
    {
        protos[n].data = (unsigned char *)"h2";
        protos[n++].size = 2;
    }
    if (c->params.alpn & TLS_ALPN_HTTP11)
    {
        protos[n].data = (unsigned char *)"http/1.1";
        protos[n++].size = 8;
    }
    if (n && gnutls_alpn_set_protocols(c->session, protos, n, 0) < 0) return ERROR_OUTOFMEMORY;
    return ERROR_SUCCESS;
}

DWORD tls_conn_create(struct tls_context *ctx, struct net_socket *sock, const char *host,
                      const struct tls_params *params, struct tls_conn **ret)
{
    unsigned char client_sha256[32];
    struct tls_conn *c;
    gnutls_priority_t prio;
    struct cache_entry *e;
    size_t len;
    DWORD res = ERROR_OUTOFMEMORY;

    TRACE("host %s port %u protocols %#x flags %#x revocation %d client cert %p%s alpn %#x\n", host,
          params->port, params->secure_protocols, params->security_flags, params->check_revocation,
          params->client_cert, params->no_client_cert ? " (none)" : "", params->alpn);
    if (!(c = calloc(1, sizeof(*c)))) return ERROR_OUTOFMEMORY;
    c->ctx = tls_context_addref(ctx);
    c->sock = sock;
    c->params = *params;
    if (params->client_cert && params->client_cert->addref) params->client_cert->addref(params->client_cert);
    c->state = TLS_HANDSHAKE;

    len = strlen(host);
    if (len >= 2 && host[0] == '[' && host[len - 1] == ']')
    {
        if (!(c->host = malloc(len - 1))) goto fail;
        memcpy(c->host, host + 1, len - 2);
        c->host[len - 2] = 0;
    }
    else if (!(c->host = strdup(host))) goto fail;
    c->host_is_ip = is_ip_literal(c->host);

    c->protocols = protocol_bits(params->secure_protocols);
    if (params->client_cert && params->client_cert->key_type == TLS_KEY_RSA && !params->client_cert->can_pss
        && (c->protocols & 8) && (c->protocols & 7))
    {
        /* TLS 1.3 signs with RSA-PSS only, which CryptoAPI keys cannot do. */
        TRACE("client key cannot sign RSA-PSS: no TLS 1.3\n");
        c->protocols &= ~8;
    }
    if (params->client_cert && params->client_cert->count)
        sha256(params->client_cert->der[0], params->client_cert->der_len[0], client_sha256);
    else memset(client_sha256, 0, sizeof(client_sha256));
    if (!(c->verified_key = make_key("%s:%u", c->host, params->port))) goto fail;
    if (!(c->session_key = make_key("%s:%u/%x/%02x%02x%02x%02x", c->host, params->port, c->protocols,
                                    client_sha256[0], client_sha256[1], client_sha256[2], client_sha256[3])))
        goto fail;

    if (!global_ok)
    {
        /* "An internal error loading the SSL libraries". */
        c->state = TLS_FAILED;
        c->error = ERROR_WINHTTP_SECURE_FAILURE;
        c->failure_flags = FLAG(SECURITY_CHANNEL_ERROR);
        *ret = c;
        return ERROR_SUCCESS;
    }
    /* No TLS 1.2 session tickets (session IDs resume TLS 1.2, tickets TLS
     * 1.3): with one, GnuTLS fails the new handshake an OpenSSL server
     * (Apache) asks for to get a client certificate. */
    if (gnutls_init(&c->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK | GNUTLS_NO_TICKETS_TLS12) < 0)
    {
        c->session = NULL;
        goto fail;
    }
    gnutls_session_set_ptr(c->session, c);
    gnutls_transport_set_ptr(c->session, c);
    gnutls_transport_set_push_function(c->session, push_func);
    gnutls_transport_set_pull_function(c->session, pull_func);
    gnutls_transport_set_pull_timeout_function(c->session, pull_timeout_func);
    /* The engine enforces WinHTTP's timeouts. */
    gnutls_handshake_set_timeout(c->session, 0);
    if (gnutls_credentials_set(c->session, GNUTLS_CRD_CERTIFICATE, global_cred) < 0) goto fail;

    if (!c->protocols)
    {
        /* "An incompatible SSL protocol" (ERROR_WINHTTP_CONNECTION_ERROR). */
        WARN("no protocol left to negotiate in %#x\n", params->secure_protocols);
        c->state = TLS_FAILED;
        c->error = ERROR_WINHTTP_CONNECTION_ERROR;
    }
    else
    {
        if (!(prio = get_priority(c->protocols)) || gnutls_priority_set(c->session, prio) < 0)
        {
            c->state = TLS_FAILED;
            c->error = ERROR_WINHTTP_SECURE_FAILURE;
            c->failure_flags = FLAG(SECURITY_CHANNEL_ERROR);
        }
    }

    /* RFC 6066: no IP literals in SNI. */
    if (!c->host_is_ip && *c->host &&
        gnutls_server_name_set(c->session, GNUTLS_NAME_DNS, c->host, strlen(c->host)) < 0)
        goto fail;
    if ((res = set_alpn(c))) goto fail;

    pthread_mutex_lock(&ctx->lock);
    if ((e = cache_find(&ctx->sessions, c->session_key)))
    {
        if (gnutls_session_set_data(c->session, e->data.data, e->data.size) < 0)
            WARN("cannot resume the session for %s\n", c->session_key);
        else TRACE("offering to resume a session\n");
    }
    pthread_mutex_unlock(&ctx->lock);

    *ret = c;
    return ERROR_SUCCESS;

fail:
    tls_conn_free(c);
    return res;
}

/* ------------------------------------------------------------------ */
/* Certificate validation                                              */

static void free_chain(struct tls_conn *c)
{
    unsigned int i;

    for (i = 0; i < c->chain_count; i++) gnutls_x509_crt_deinit(c->chain[i]);
    c->chain_count = c->link_count = c->link_next = 0;
}

static BOOL import_chain(struct tls_conn *c, const gnutls_datum_t *list, unsigned int count)
{
    unsigned int i;

    free_chain(c);
    if (count > MAX_CHAIN)
    {
        WARN("server sent %u certificates, looking at %u\n", count, MAX_CHAIN);
        count = MAX_CHAIN;
    }
    for (i = 0; i < count; i++)
    {
        if (gnutls_x509_crt_init(&c->chain[c->chain_count]) < 0) break;
        if (gnutls_x509_crt_import(c->chain[c->chain_count], &list[i], GNUTLS_X509_FMT_DER) < 0)
        {
            WARN("certificate %u does not parse\n", i);
            gnutls_x509_crt_deinit(c->chain[c->chain_count]);
            if (!i) return FALSE;
            continue;
        }
        c->chain_count++;
    }
    return c->chain_count > 0;
}

static BOOL is_self_issued(gnutls_x509_crt_t cert)
{
    return gnutls_x509_crt_check_issuer(cert, cert) != 0;
}

/* The links revocation walks: each certificate of the path and the next one,
 * its issuer; the root (self-issued) ends it, and so does a certificate
 * whose issuer the Windows side did not find (issuer NULL). */
static void build_path(struct tls_conn *c)
{
    unsigned int i;

    c->link_count = 0;
    for (i = 0; i < c->chain_count; i++)
    {
        if (is_self_issued(c->chain[i])) break;
        c->links[c->link_count].cert = c->chain[i];
        c->links[c->link_count].issuer = i + 1 < c->chain_count ? c->chain[i + 1] : NULL;
        c->link_count++;
    }
}

/* The signatures along the path, its last certificate as the anchor:
 * crypt32 chose the path and said whether its root is trusted; GnuTLS
 * checks the cryptography again, and refuses weak signature algorithms
 * (SECURITY_FLAG_IGNORE_WEAK_SIGNATURE), which Wine's crypt32 does not. */
static DWORD check_signatures(struct tls_conn *c)
{
    unsigned int status = 0, vflags;
    DWORD flags = 0;
    int ret;

    if (c->chain_count < 2) return 0;   /* the server's certificate alone: nothing we know signed it */
    vflags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS;
    if (c->params.security_flags & SECURITY_FLAG_IGNORE_WEAK_SIGNATURE)
        vflags |= GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 | GNUTLS_VERIFY_ALLOW_BROKEN;
    ret = gnutls_x509_crt_list_verify(c->chain, c->chain_count - 1, &c->chain[c->chain_count - 1], 1, NULL, 0,
                                      vflags, &status);
    if (ret < 0)
    {
        WARN("verification failed: %s\n", gnutls_strerror(ret));
        return FLAG(INVALID_CERT);
    }
    if (!status) return 0;
    TRACE("path status %#x\n", status);
    if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE))
        flags |= FLAG(INVALID_CA);
    if (status & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_INSECURE_ALGORITHM | GNUTLS_CERT_UNEXPECTED_OWNER))
        flags |= FLAG(INVALID_CERT);
    if (!flags) flags |= FLAG(INVALID_CERT);
    return flags;
}

static DWORD ignored_flags(DWORD security_flags)
{
    DWORD ignored = 0;

    if (security_flags & SECURITY_FLAG_IGNORE_UNKNOWN_CA) ignored |= FLAG(INVALID_CA);
    if (security_flags & SECURITY_FLAG_IGNORE_CERT_DATE_INVALID) ignored |= FLAG(CERT_DATE_INVALID);
    if (security_flags & SECURITY_FLAG_IGNORE_CERT_CN_INVALID) ignored |= FLAG(CERT_CN_INVALID);
    if (security_flags & SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE) ignored |= FLAG(CERT_WRONG_USAGE);
    return ignored;
}

static BOOL verified_before(struct tls_conn *c)
{
    struct cache_entry *e;
    BOOL ret = FALSE;

    pthread_mutex_lock(&c->ctx->lock);
    if ((e = cache_find(&c->ctx->verified, c->verified_key)))
        ret = e->data.size == 32 && !memcmp(e->data.data, c->leaf_sha256, 32);
    pthread_mutex_unlock(&c->ctx->lock);
    return ret;
}

static void remember_verified(struct tls_conn *c)
{
    if (!c->have_leaf_sha256 || c->verified_by_cache) return;
    pthread_mutex_lock(&c->ctx->lock);
    cache_put(&c->ctx->verified, c->verified_key, c->leaf_sha256, 32, 0);
    pthread_mutex_unlock(&c->ctx->lock);
}

static int verify_callback(gnutls_session_t session)
{
    struct tls_conn *c = gnutls_session_get_ptr(session);
    const gnutls_datum_t *list;
    unsigned int count = 0;

    /* Called again when the handshake resumes after TLS_WANT_VERIFY. */
    if (c->verify_state == VERIFY_DONE) return c->verify_failed ? -1 : 0;
    if (c->verify_state == VERIFY_WAITING) return GNUTLS_E_AGAIN;

    list = gnutls_certificate_get_peers(session, &count);
    if (!list || !count)
    {
        WARN("the server sent no certificate\n");
        c->failure_flags = FLAG(INVALID_CERT);
        c->verify_failed = TRUE;
        c->verify_state = VERIFY_DONE;
        return -1;
    }
    c->have_leaf_sha256 = sha256(list[0].data, list[0].size, c->leaf_sha256);
    if (c->have_leaf_sha256 && verified_before(c))
    {
        TRACE("certificate of %s verified earlier in this session\n", c->verified_key);
        c->verified_by_cache = TRUE;
        c->verify_state = VERIFY_DONE;
        return 0;
    }
    if (!import_chain(c, list, count))
    {
        c->failure_flags = FLAG(INVALID_CERT);
        c->verify_failed = TRUE;
        c->verify_state = VERIFY_DONE;
        return -1;
    }
    /* Over to the Windows side: tls_handshake says TLS_WANT_VERIFY. */
    c->verify_state = VERIFY_WAITING;
    return GNUTLS_E_AGAIN;
}

/* Replace the server's chain by the path the Windows side built. */
static BOOL import_path(struct tls_conn *c, const struct tls_der_list *path)
{
    gnutls_datum_t items[MAX_CHAIN];
    unsigned int i, count = path->count < MAX_CHAIN ? path->count : MAX_CHAIN;

    for (i = 0; i < count; i++)
    {
        items[i].data = (unsigned char *)path->item[i].data;
        items[i].size = path->item[i].len;
    }
    return import_chain(c, items, count);
}

void tls_verify_result(struct tls_conn *c, DWORD flags, const struct tls_der_list *path)
{
    DWORD ignored = ignored_flags(c->params.security_flags);
    const gnutls_datum_t *sent;
    unsigned int count = 0;

    if (c->verify_state != VERIFY_WAITING) return;
    TRACE("the certificate stores say %#x, path of %u\n", flags, path ? path->count : 0);
    sent = gnutls_certificate_get_peers(c->session, &count);
    if (path && path->count)
    {
        /* A path that does not start with the server's certificate is not its. */
        if (!sent || !count || path->item[0].len != sent[0].size ||
            memcmp(path->item[0].data, sent[0].data, sent[0].size) || !import_path(c, path))
        {
            WARN("unusable path from the certificate stores\n");
            flags |= FLAG(INVALID_CERT);
            if (sent && count) import_chain(c, sent, count);
        }
        else flags |= check_signatures(c);
    }
    /* No path at all: nothing vouches for the server. */
    else if (!(flags & (FLAG(INVALID_CA) | FLAG(INVALID_CERT)))) flags |= FLAG(INVALID_CA);
    if (!c->chain_count) flags |= FLAG(INVALID_CERT);
    /* RFC 6125: SAN dNSName (left-most wildcard), iPAddress for literals,
     * the CN only without SAN.  Here rather than in crypt32's SSL policy,
     * which matches no iPAddress (Wine 8). */
    else if (!gnutls_x509_crt_check_hostname2(c->chain[0], c->host, 0)) flags |= FLAG(CERT_CN_INVALID);
    build_path(c);
    TRACE("certificate flags %#x, ignoring %#x\n", flags, ignored);
    flags &= ~ignored;
    c->failure_flags = flags;
    c->verify_failed = flags != 0;
    c->verify_state = VERIFY_DONE;
}

/* ------------------------------------------------------------------ */
/* Client certificates                                                 */

static BOOL sign_params(gnutls_sign_algorithm_t algo, enum tls_sign_padding *padding, enum tls_hash *hash)
{
    switch (algo)
    {
    case GNUTLS_SIGN_RSA_RAW:            *padding = TLS_SIGN_PKCS1_RAW; *hash = TLS_HASH_NONE; return TRUE;
    case GNUTLS_SIGN_RSA_SHA1:           *padding = TLS_SIGN_PKCS1; *hash = TLS_HASH_SHA1; return TRUE;
    case GNUTLS_SIGN_RSA_SHA256:         *padding = TLS_SIGN_PKCS1; *hash = TLS_HASH_SHA256; return TRUE;
    case GNUTLS_SIGN_RSA_SHA384:         *padding = TLS_SIGN_PKCS1; *hash = TLS_HASH_SHA384; return TRUE;
    case GNUTLS_SIGN_RSA_SHA512:         *padding = TLS_SIGN_PKCS1; *hash = TLS_HASH_SHA512; return TRUE;
    case GNUTLS_SIGN_RSA_PSS_RSAE_SHA256: *padding = TLS_SIGN_PSS; *hash = TLS_HASH_SHA256; return TRUE;
    case GNUTLS_SIGN_RSA_PSS_RSAE_SHA384: *padding = TLS_SIGN_PSS; *hash = TLS_HASH_SHA384; return TRUE;
    case GNUTLS_SIGN_RSA_PSS_RSAE_SHA512: *padding = TLS_SIGN_PSS; *hash = TLS_HASH_SHA512; return TRUE;
    case GNUTLS_SIGN_ECDSA_SHA1:         *padding = TLS_SIGN_ECDSA; *hash = TLS_HASH_SHA1; return TRUE;
    case GNUTLS_SIGN_ECDSA_SHA256:
    case GNUTLS_SIGN_ECDSA_SECP256R1_SHA256: *padding = TLS_SIGN_ECDSA; *hash = TLS_HASH_SHA256; return TRUE;
    case GNUTLS_SIGN_ECDSA_SHA384:
    case GNUTLS_SIGN_ECDSA_SECP384R1_SHA384: *padding = TLS_SIGN_ECDSA; *hash = TLS_HASH_SHA384; return TRUE;
    case GNUTLS_SIGN_ECDSA_SHA512:
    case GNUTLS_SIGN_ECDSA_SECP521R1_SHA512: *padding = TLS_SIGN_ECDSA; *hash = TLS_HASH_SHA512; return TRUE;
    default: return FALSE;
    }
}

static int privkey_info(gnutls_privkey_t key, unsigned int flags, void *userdata)
{
    const struct tls_client_cert *cert = userdata;
    enum tls_sign_padding padding;
    enum tls_hash hash;

    if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO) return cert->key_type == TLS_KEY_RSA ? GNUTLS_PK_RSA : GNUTLS_PK_ECDSA;
    if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO_BITS) return cert->key_bits;
    if (flags & GNUTLS_PRIVKEY_INFO_SIGN_ALGO) return 0;
    if (flags & GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO)
    {
        if (!sign_params(GNUTLS_FLAGS_TO_SIGN_ALGO(flags), &padding, &hash)) return 0;
        if (cert->key_type == TLS_KEY_EC) return padding == TLS_SIGN_ECDSA;
        if (padding == TLS_SIGN_PSS) return cert->can_pss;
        return padding == TLS_SIGN_PKCS1 || padding == TLS_SIGN_PKCS1_RAW;
    }
    return -1;
}

/* TLS 1.2 hands RSA PKCS #1 v1.5 signers the DigestInfo (GNUTLS_SIGN_RSA_RAW);
 * key containers want the hash algorithm and the bare digest instead. */
static void unwrap_digest_info(const gnutls_datum_t *in, enum tls_sign_padding *padding, enum tls_hash *hash,
                               gnutls_datum_t *digest)
{
    /* RFC 8017 9.2 note 1: the DER prefixes of DigestInfo. */
    static const struct
    {
        enum tls_hash hash;
        unsigned int len;
        unsigned char prefix[19];
    }
    prefixes[] =
    {
        { TLS_HASH_SHA1, 15, { 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14 } },
        { TLS_HASH_SHA256, 19, { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
                                 0x05, 0x00, 0x04, 0x20 } },
        { TLS_HASH_SHA384, 19, { 0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
                                 0x05, 0x00, 0x04, 0x30 } },
        { TLS_HASH_SHA512, 19, { 0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
                                 0x05, 0x00, 0x04, 0x40 } },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(prefixes); i++)
    {
        if (in->size != prefixes[i].len + prefixes[i].prefix[prefixes[i].len - 1]) continue;
        if (memcmp(in->data, prefixes[i].prefix, prefixes[i].len)) continue;
        *padding = TLS_SIGN_PKCS1;
        *hash = prefixes[i].hash;
        digest->data = in->data + prefixes[i].len;
        digest->size = in->size - prefixes[i].len;
        return;
    }
}

static int privkey_sign_hash(gnutls_privkey_t key, gnutls_sign_algorithm_t algo, void *userdata,
                             unsigned int flags, const gnutls_datum_t *digest, gnutls_datum_t *signature)
{
    const struct tls_client_cert *cert = userdata;
    enum tls_sign_padding padding;
    enum tls_hash hash;
    unsigned char sig[1024];
    size_t len = sizeof(sig);
    gnutls_datum_t r, s, data = *digest;
    DWORD res;

    if (!sign_params(algo, &padding, &hash))
    {
        WARN("cannot sign with %s\n", gnutls_sign_get_name(algo));
        return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
    }
    if (padding == TLS_SIGN_PKCS1 && (flags & GNUTLS_PRIVKEY_SIGN_FLAG_RSA_PSS)) padding = TLS_SIGN_PSS;
    if (padding == TLS_SIGN_PKCS1_RAW) unwrap_digest_info(digest, &padding, &hash, &data);
    TRACE("signing %u bytes with %s\n", digest->size, gnutls_sign_get_name(algo));
    if ((res = cert->sign(cert, padding, hash, data.data, data.size, sig, &len)))
    {
        WARN("the client key could not sign: %u\n", res);
        return GNUTLS_E_PK_SIGN_FAILED;
    }
    if (padding == TLS_SIGN_ECDSA)
    {
        /* TLS wants the DER SEQUENCE { r, s } (RFC 8422 5.4). */
        if (!len || len % 2) return GNUTLS_E_PK_SIGN_FAILED;
        r.data = sig;
        r.size = len / 2;
        s.data = sig + len / 2;
        s.size = len / 2;
        return gnutls_encode_rs_value(signature, &r, &s);
    }
    if (!(signature->data = gnutls_malloc(len))) return GNUTLS_E_MEMORY_ERROR;
    memcpy(signature->data, sig, len);
    signature->size = len;
    return 0;
}

static void free_client_credentials(struct tls_conn *c)
{
    unsigned int i;

    for (i = 0; i < c->pcert_count; i++) gnutls_pcert_deinit(&c->pcerts[i]);
    c->pcert_count = 0;
    if (c->pkey) gnutls_privkey_deinit(c->pkey);
    c->pkey = NULL;
}

static BOOL load_client_credentials(struct tls_conn *c)
{
    const struct tls_client_cert *cert = c->params.client_cert;
    gnutls_datum_t der;
    unsigned int i;
    int ret;

    free_client_credentials(c);
    for (i = 0; i < cert->count && i < MAX_CHAIN; i++)
    {
        der.data = (unsigned char *)cert->der[i];
        der.size = cert->der_len[i];
        if ((ret = gnutls_pcert_import_x509_raw(&c->pcerts[i], &der, GNUTLS_X509_FMT_DER, 0)) < 0)
        {
            WARN("client certificate %u: %s\n", i, gnutls_strerror(ret));
            break;
        }
        c->pcert_count++;
    }
    if (!c->pcert_count) return FALSE;
    if (gnutls_privkey_init(&c->pkey) < 0)
    {
        c->pkey = NULL;
        return FALSE;
    }
    ret = gnutls_privkey_import_ext4(c->pkey, (void *)cert, NULL, privkey_sign_hash, NULL, NULL, privkey_info, 0);
    if (ret < 0)
    {
        WARN("gnutls_privkey_import_ext4: %s\n", gnutls_strerror(ret));
        return FALSE;
    }
    return TRUE;
}

static struct tls_der_list *make_der_list(const gnutls_datum_t *items, unsigned int count)
{
    struct tls_der_list *list;
    size_t size = offsetof(struct tls_der_list, item[count ? count : 1]);
    unsigned char *p;
    unsigned int i;

    for (i = 0; i < count; i++) size += items[i].size;
    if (!(list = malloc(size))) return NULL;
    list->count = count;
    p = (unsigned char *)&list->item[count ? count : 1];
    for (i = 0; i < count; i++)
    {
        memcpy(p, items[i].data, items[i].size);
        list->item[i].data = p;
        list->item[i].len = items[i].size;
        p += items[i].size;
    }
    return list;
}

static int retrieve_callback(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
                             const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                             gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *pkey)
{
    struct tls_conn *c = gnutls_session_get_ptr(session);

    TRACE("the server asks for a client certificate, %d issuer names\n", nreqs);
    free(c->issuers);
    c->issuers = make_der_list(req_ca_rdn, nreqs > 0 ? nreqs : 0);
    *pcert = NULL;
    *pcert_length = 0;
    *pkey = NULL;
    if (c->params.client_cert)
    {
        if (!load_client_credentials(c)) return -1;
        *pcert = c->pcerts;
        *pcert_length = c->pcert_count;
        *pkey = c->pkey;
        return 0;
    }
    if (c->params.no_client_cert) return 0;
    /* WinHTTP fails the request and lets the application choose one
     * (WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST, KB909425). */
    c->cert_needed = TRUE;
    return -1;
}

/* ------------------------------------------------------------------ */
/* Handshake                                                           */

static void save_session(struct tls_conn *c)
{
    gnutls_datum_t data;

    if (c->session_saved || c->state != TLS_OPEN) return;
    /* TLS 1.3 tickets come after the handshake, with the first data. */
    if (gnutls_protocol_get_version(c->session) == GNUTLS_TLS1_3)
    {
        if (!(gnutls_session_get_flags(c->session) & GNUTLS_SFLAGS_SESSION_TICKET)) return;
    }
    else if (gnutls_session_is_resumed(c->session))
    {
        /* TLS 1.2 resumption keeps the session we have. */
        c->session_saved = TRUE;
        return;
    }
    if (gnutls_session_get_data2(c->session, &data) >= 0)
    {
        pthread_mutex_lock(&c->ctx->lock);
        cache_put(&c->ctx->sessions, c->session_key, data.data, data.size, 0);
        pthread_mutex_unlock(&c->ctx->lock);
        gnutls_free(data.data);
    }
    c->session_saved = TRUE;
}

static DWORD fail(struct tls_conn *c, DWORD error)
{
    c->state = TLS_FAILED;
    c->error = error;
    return error;
}

static BOOL negotiation_alert(gnutls_alert_description_t alert)
{
    switch (alert)
    {
    case GNUTLS_A_HANDSHAKE_FAILURE:
    case GNUTLS_A_PROTOCOL_VERSION:
    case GNUTLS_A_INSUFFICIENT_SECURITY:
    case GNUTLS_A_ILLEGAL_PARAMETER:
    case GNUTLS_A_INAPPROPRIATE_FALLBACK:
    case GNUTLS_A_NO_APPLICATION_PROTOCOL:
    case GNUTLS_A_UNSUPPORTED_EXTENSION:
        return TRUE;
    default:
        return FALSE;
    }
}

/* What a failed gnutls_handshake means for WinHTTP, after the Error
 * Messages reference: a reset or closed connection and "an incompatible SSL
 * protocol" are ERROR_WINHTTP_CONNECTION_ERROR; other failures of the
 * secure channel itself (what schannel reports as SEC_E_*: not TLS at all,
 * broken or undecryptable messages, fatal alerts) are
 * ERROR_WINHTTP_SECURE_CHANNEL_ERROR; certificates the rules reject are
 * ERROR_WINHTTP_SECURE_FAILURE with tls_failure_flags. */
static DWORD handshake_error(struct tls_conn *c, int ret)
{
    gnutls_alert_description_t alert;

    if (c->cert_needed) return fail(c, ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED);
    if (c->verify_failed)
    {
        TRACE("certificate rejected: flags %#x\n", c->failure_flags);
        return fail(c, ERROR_WINHTTP_SECURE_FAILURE);
    }
    /* The server's reason first, even if the connection broke after it. */
    if (c->net_error && ret != GNUTLS_E_FATAL_ALERT_RECEIVED) return fail(c, c->net_error);
    if (c->not_tls)
    {
        WARN("the server does not speak TLS\n");
        return fail(c, ERROR_WINHTTP_SECURE_CHANNEL_ERROR);
    }
    switch (ret)
    {
    case GNUTLS_E_FATAL_ALERT_RECEIVED:
        alert = gnutls_alert_get(c->session);
        WARN("the server sent alert %s\n", gnutls_alert_get_name(alert));
        /* schannel's own code comes through for this one (Wine's winhttp.c
         * test_client_cert_authentication: an expired client certificate). */
        if (alert == GNUTLS_A_CERTIFICATE_EXPIRED) return fail(c, SEC_E_CERT_EXPIRED);
        return fail(c, negotiation_alert(alert) ? ERROR_WINHTTP_CONNECTION_ERROR : ERROR_WINHTTP_SECURE_CHANNEL_ERROR);
    case GNUTLS_E_UNSUPPORTED_VERSION_PACKET:
    case GNUTLS_E_NO_CIPHER_SUITES:
    case GNUTLS_E_UNKNOWN_CIPHER_SUITE:
    case GNUTLS_E_NO_PRIORITIES_WERE_SET:
    case GNUTLS_E_INSUFFICIENT_SECURITY:
    case GNUTLS_E_UNWANTED_ALGORITHM:
    case GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM:
    case GNUTLS_E_NO_COMMON_KEY_SHARE:
    case GNUTLS_E_ECC_UNSUPPORTED_CURVE:
    case GNUTLS_E_DH_PRIME_UNACCEPTABLE:
        WARN("no agreement with the server: %s\n", gnutls_strerror(ret));
        return fail(c, ERROR_WINHTTP_CONNECTION_ERROR);
    case GNUTLS_E_PREMATURE_TERMINATION:
    case GNUTLS_E_PUSH_ERROR:
    case GNUTLS_E_PULL_ERROR:
        WARN("the connection ended in the handshake: %s\n", gnutls_strerror(ret));
        return fail(c, ERROR_WINHTTP_CONNECTION_ERROR);
    default:
        if (c->eof && inside_record(c))
        {
            WARN("the connection ended inside a record: %s\n", gnutls_strerror(ret));
            return fail(c, ERROR_WINHTTP_CONNECTION_ERROR);
        }
        WARN("handshake failed: %s\n", gnutls_strerror(ret));
        return fail(c, ERROR_WINHTTP_SECURE_CHANNEL_ERROR);
    }
}

static DWORD revocation_step(struct tls_conn *c, int *want);

static DWORD handshake_done(struct tls_conn *c, int *want)
{
    const gnutls_datum_t *list;
    unsigned int count = 0;

    if (gnutls_session_is_resumed(c->session))
    {
        TRACE("session resumed\n");
        c->state = TLS_OPEN;
        return ERROR_SUCCESS;
    }
    if (c->params.check_revocation && !c->verified_by_cache)
    {
        /* The verify callback built the path, unless the chain was never
         * looked at (a cache hit); be sure we have it. */
        if (!c->chain_count)
        {
            list = gnutls_certificate_get_peers(c->session, &count);
            if (!list || !count || !import_chain(c, list, count))
            {
                c->failure_flags = FLAG(INVALID_CERT);
                return fail(c, ERROR_WINHTTP_SECURE_FAILURE);
            }
            build_path(c);
        }
        c->state = TLS_REVOCATION;
        c->link_next = 0;
        c->rev_flags = 0;
        c->rev_ocsp = TRUE;
        c->rev_tried_ocsp = FALSE;
        return revocation_step(c, want);
    }
    remember_verified(c);
    c->state = TLS_OPEN;
    save_session(c);
    return ERROR_SUCCESS;
}

DWORD tls_handshake(struct tls_conn *c, int *want)
{
    int ret;

    *want = 0;
    switch (c->state)
    {
    case TLS_OPEN:       return ERROR_SUCCESS;
    case TLS_FAILED:     return c->error;
    case TLS_REVOCATION: return revocation_step(c, want);
    case TLS_HANDSHAKE:  break;
    }
    if (c->verify_state == VERIFY_WAITING)
    {
        *want = TLS_WANT_VERIFY;
        return ERROR_IO_PENDING;
    }
    do ret = gnutls_handshake(c->session);
    while ((ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) && c->verify_state != VERIFY_WAITING &&
           again_with_ahead(c));
    if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
    {
        if (c->verify_state == VERIFY_WAITING) *want = TLS_WANT_VERIFY;
        else *want = gnutls_record_get_direction(c->session) ? NET_WANT_WRITE : NET_WANT_READ;
        return ERROR_IO_PENDING;
    }
    /* A certificate nobody holds a reference on is for this handshake only. */
    if (c->params.client_cert && !c->params.client_cert->addref) c->params.client_cert = NULL;
    if (ret < 0) return handshake_error(c, ret);
    TRACE("handshake done: %s\n", gnutls_protocol_get_name(gnutls_protocol_get_version(c->session)));
    return handshake_done(c, want);
}

DWORD tls_failure_flags(struct tls_conn *c)
{
    return c->failure_flags;
}

/* ------------------------------------------------------------------ */
/* Revocation: OCSP where the certificate names a responder, else CRLs  */

/* An http:// URL of at most 1 KiB from a GnuTLS name, malloc'ed, or NULL. */
static char *http_url(const unsigned char *data, size_t size)
{
    char *url;

    if (size < 7 || size > 1024 || strncasecmp((const char *)data, "http://", 7)) return NULL;
    if (memchr(data, 0, size)) return NULL;
    if (!(url = malloc(size + 1))) return NULL;
    memcpy(url, data, size);
    url[size] = 0;
    return url;
}

/* The first http:// CRL distribution point of cert, malloc'ed, or NULL. */
static char *crl_url(gnutls_x509_crt_t cert)
{
    char buf[1025];
    unsigned int i, reasons, critical;
    size_t size;
    int ret;

    for (i = 0;; i++)
    {
        size = sizeof(buf);
        ret = gnutls_x509_crt_get_crl_dist_points(cert, i, buf, &size, &reasons, &critical);
        if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) return NULL;
        if (ret != GNUTLS_SAN_URI) continue;
        return http_url((unsigned char *)buf, size);
    }
}

/* The GET form of an OCSP request for cert to the responder its authority
 * information access names (RFC 6960 appendix A.1: the URL, "/", the
 * URL-encoded base64 of the DER request), malloc'ed, or NULL.  No nonce,
 * so that the answer can be cached like a CRL. */
static char *ocsp_url(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer)
{
    gnutls_datum_t uri = { NULL, 0 }, der = { NULL, 0 }, b64 = { NULL, 0 };
    gnutls_ocsp_req_t req = NULL;
    char *base = NULL, *url = NULL, *p;
    unsigned int i;

    if (gnutls_x509_crt_get_authority_info_access(cert, 0, GNUTLS_IA_OCSP_URI, &uri, NULL) < 0) return NULL;
    base = http_url(uri.data, uri.size);
    gnutls_free(uri.data);
    if (!base) return NULL;
    if (gnutls_ocsp_req_init(&req) < 0) goto done;
    if (gnutls_ocsp_req_add_cert(req, GNUTLS_DIG_SHA1, issuer, cert) < 0) goto done;
    if (gnutls_ocsp_req_export(req, &der) < 0) goto done;
    if (gnutls_base64_encode2(&der, &b64) < 0) goto done;
    if (!(url = malloc(strlen(base) + 1 + 3 * b64.size + 1))) goto done;
    p = url + sprintf(url, "%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/");
    for (i = 0; i < b64.size; i++)
    {
        if (b64.data[i] == '+') p += sprintf(p, "%%2B");
        else if (b64.data[i] == '/') p += sprintf(p, "%%2F");
        else if (b64.data[i] == '=') p += sprintf(p, "%%3D");
        else if (b64.data[i] != '\n' && b64.data[i] != '\r') *p++ = b64.data[i];
    }
    *p = 0;
done:
    if (req) gnutls_ocsp_req_deinit(req);
    gnutls_free(der.data);
    gnutls_free(b64.data);
    free(base);
    return url;
}

/* Check cert against a CRL (DER or PEM) its issuer signed: CERT_REVOKED,
 * CERT_REV_FAILED for a CRL that is unusable (bad, not from the issuer, out
 * of date), or 0.  *next_update tells how long the CRL may be cached. */
static DWORD check_crl(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, const gnutls_datum_t *data,
                       time_t *next_update)
{
    gnutls_x509_crl_t crl;
    unsigned int status = 0;
    time_t now = time(NULL), this_update;
    DWORD flags = 0;
    int ret;

    *next_update = 0;
    if (gnutls_x509_crl_init(&crl) < 0) return FLAG(CERT_REV_FAILED);
    ret = gnutls_x509_crl_import(crl, data, GNUTLS_X509_FMT_DER);
    if (ret < 0) ret = gnutls_x509_crl_import(crl, data, GNUTLS_X509_FMT_PEM);
    if (ret < 0)
    {
        WARN("the CRL does not parse: %s\n", gnutls_strerror(ret));
        flags = FLAG(CERT_REV_FAILED);
        goto done;
    }
    if (gnutls_x509_crl_verify(crl, &issuer, 1, 0, &status) < 0 || status)
    {
        WARN("the CRL is not signed by the certificate's issuer (status %#x)\n", status);
        flags = FLAG(CERT_REV_FAILED);
        goto done;
    }
    this_update = gnutls_x509_crl_get_this_update(crl);
    *next_update = gnutls_x509_crl_get_next_update(crl);
    if (this_update == (time_t)-1 || this_update > now + 300 ||
        (*next_update != (time_t)-1 && *next_update < now))
    {
        WARN("the CRL is out of date\n");
        flags = FLAG(CERT_REV_FAILED);
        goto done;
    }
    if (gnutls_x509_crt_check_revocation(cert, &crl, 1) == 1) flags = FLAG(CERT_REVOKED);
done:
    gnutls_x509_crl_deinit(crl);
    if (*next_update == (time_t)-1) *next_update = 0;
    return flags;
}

/* Check cert against an OCSP response (RFC 6960) signed by its issuer or a
 * responder the issuer delegated to: like check_crl.  Without nextUpdate
 * the answer is not cached (*next_update 0 and the caller's "now"). */
static DWORD check_ocsp(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, const gnutls_datum_t *data,
                        time_t *next_update)
{
    gnutls_ocsp_resp_t resp;
    unsigned int verify = 0, status = 0;
    time_t now = time(NULL), this_update = 0, revoked_at, produced;
    DWORD flags = FLAG(CERT_REV_FAILED);
    int ret;

    *next_update = 0;
    if (gnutls_ocsp_resp_init(&resp) < 0) return flags;
    if ((ret = gnutls_ocsp_resp_import(resp, data)) < 0)
    {
        WARN("the OCSP response does not parse: %s\n", gnutls_strerror(ret));
        goto done;
    }
    if ((ret = gnutls_ocsp_resp_get_status(resp)) != GNUTLS_OCSP_RESP_SUCCESSFUL)
    {
        WARN("the OCSP responder says %d\n", ret);
        goto done;
    }
    if (gnutls_ocsp_resp_verify_direct(resp, issuer, &verify, 0) < 0 || verify)
    {
        WARN("the OCSP response is not signed for the certificate's issuer (%#x)\n", verify);
        goto done;
    }
    if (gnutls_ocsp_resp_check_crt(resp, 0, cert) < 0)
    {
        WARN("the OCSP response is about another certificate\n");
        goto done;
    }
    if (gnutls_ocsp_resp_get_single(resp, 0, NULL, NULL, NULL, NULL, &status, &this_update, next_update,
                                    &revoked_at, NULL) < 0)
        goto done;
    produced = gnutls_ocsp_resp_get_produced(resp);
    if (this_update > now + 300 || produced > now + 300 || (*next_update != (time_t)-1 && *next_update < now))
    {
        WARN("the OCSP response is out of date\n");
        goto done;
    }
    if (status == GNUTLS_OCSP_CERT_GOOD) flags = 0;
    else if (status == GNUTLS_OCSP_CERT_REVOKED) flags = FLAG(CERT_REVOKED);
    else TRACE("the responder does not know the certificate\n");
done:
    gnutls_ocsp_resp_deinit(resp);
    if (*next_update == (time_t)-1) *next_update = 0;
    return flags;
}

static DWORD revocation_finish(struct tls_conn *c)
{
    DWORD flags = c->rev_flags;

    if (c->params.ignore_revocation_offline) flags &= ~FLAG(CERT_REV_FAILED);
    TRACE("revocation flags %#x\n", flags);
    if (flags)
    {
        c->failure_flags = flags;
        return fail(c, ERROR_WINHTTP_SECURE_FAILURE);
    }
    remember_verified(c);
    c->state = TLS_OPEN;
    save_session(c);
    return ERROR_SUCCESS;
}

/* A fetched answer for the current link: what it says, and whether it
 * settles the link (an OCSP answer that does not goes on to the CRL). */
static void revocation_answer(struct tls_conn *c, const void *body, size_t len, BOOL cache)
{
    struct chain_link *link = &c->links[c->link_next];
    gnutls_datum_t data = { (unsigned char *)body, len };
    time_t next_update = 0;
    DWORD flags;

    if (!body) flags = FLAG(CERT_REV_FAILED);
    else if (c->rev_ocsp) flags = check_ocsp(link->cert, link->issuer, &data, &next_update);
    else flags = check_crl(link->cert, link->issuer, &data, &next_update);
    if (body && cache && !(flags & FLAG(CERT_REV_FAILED)) && (!c->rev_ocsp || next_update))
    {
        pthread_mutex_lock(&c->ctx->lock);
        cache_put(&c->ctx->crls, c->rev_url, body, len, next_update);
        pthread_mutex_unlock(&c->ctx->lock);
    }
    if (c->rev_ocsp && (flags & FLAG(CERT_REV_FAILED)))
    {
        /* Windows falls back to the CRL when the responder cannot say. */
        TRACE("no OCSP answer for certificate %u, trying its CRL\n", c->link_next);
        c->rev_ocsp = FALSE;
        c->rev_tried_ocsp = TRUE;
        return;
    }
    c->rev_flags |= flags;
    c->link_next++;
    c->rev_ocsp = TRUE;
    c->rev_tried_ocsp = FALSE;
}

/* Check each certificate on the path but the trust anchor, one answer at a
 * time (the cache of the context first); ask the engine for the others. */
static DWORD revocation_step(struct tls_conn *c, int *want)
{
    struct chain_link *link;
    struct cache_entry *e;
    gnutls_datum_t data;

    if (c->rev_waiting)
    {
        *want = TLS_WANT_REVOCATION;
        return ERROR_IO_PENDING;
    }
    while (c->link_next < c->link_count)
    {
        link = &c->links[c->link_next];
        if (!link->issuer) break;   /* no chain: nothing revocation could add */
        free(c->rev_url);
        c->rev_url = c->rev_ocsp ? ocsp_url(link->cert, link->issuer) : crl_url(link->cert);
        if (!c->rev_url)
        {
            if (c->rev_ocsp)
            {
                c->rev_ocsp = FALSE;
                continue;
            }
            if (!c->rev_tried_ocsp) TRACE("certificate %u names no OCSP responder nor CRL\n", c->link_next);
            c->rev_flags |= FLAG(CERT_REV_FAILED);
            c->link_next++;
            c->rev_ocsp = TRUE;
            c->rev_tried_ocsp = FALSE;
            continue;
        }
        data.data = NULL;
        pthread_mutex_lock(&c->ctx->lock);
        if ((e = cache_find(&c->ctx->crls, c->rev_url)) && (!e->expires || e->expires > time(NULL)) &&
            (data.data = malloc(e->data.size ? e->data.size : 1)))
        {
            memcpy(data.data, e->data.data, e->data.size);
            data.size = e->data.size;
        }
        pthread_mutex_unlock(&c->ctx->lock);
        if (data.data)
        {
            revocation_answer(c, data.data, data.size, FALSE);
            free(data.data);
            continue;
        }
        TRACE("need %s\n", c->rev_url);
        c->rev_waiting = TRUE;
        *want = TLS_WANT_REVOCATION;
        return ERROR_IO_PENDING;
    }
    return revocation_finish(c);
}

const char *tls_revocation_url(struct tls_conn *c)
{
    return c->rev_waiting ? c->rev_url : NULL;
}

void tls_revocation_response(struct tls_conn *c, const void *body, size_t len)
{
    if (c->state != TLS_REVOCATION || !c->rev_waiting) return;
    c->rev_waiting = FALSE;
    if (!body) TRACE("could not fetch %s\n", c->rev_url);
    revocation_answer(c, body, len, TRUE);
}

/* ------------------------------------------------------------------ */
/* Data                                                                */

DWORD tls_send(struct tls_conn *c, const void *buf, size_t len, size_t *sent, int *want)
{
    ssize_t ret;

    *sent = 0;
    *want = 0;
    if (c->state != TLS_OPEN) return ERROR_WINHTTP_CONNECTION_ERROR;
    if (!len) return ERROR_SUCCESS;
    if (c->send_pending) ret = gnutls_record_send(c->session, NULL, 0);
    else ret = gnutls_record_send(c->session, buf, len);
    if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
    {
        /* GnuTLS keeps the encrypted record; it counts as taken once sent. */
        if (!c->send_pending) c->send_pending = len < gnutls_record_get_max_size(c->session) ?
                                                len : gnutls_record_get_max_size(c->session);
        *want = NET_WANT_WRITE;
        return ERROR_IO_PENDING;
    }
    if (ret < 0)
    {
        if (c->net_error) return c->net_error;
        WARN("send failed: %s\n", gnutls_strerror(ret));
        return ERROR_WINHTTP_CONNECTION_ERROR;
    }
    if (c->send_pending)
    {
        ret = c->send_pending;
        c->send_pending = 0;
    }
    *sent = ret;
    return ERROR_SUCCESS;
}

DWORD tls_recv(struct tls_conn *c, void *buf, size_t len, size_t *received, int *want)
{
    ssize_t ret;

    *received = 0;
    *want = 0;
    if (c->state != TLS_OPEN) return c->state == TLS_FAILED && c->error ? c->error : ERROR_WINHTTP_CONNECTION_ERROR;
    for (;;)
    {
        if (c->renegotiating)
        {
            ret = gnutls_handshake(c->session);
            if ((ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) && again_with_ahead(c)) continue;
            if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
            {
                *want = gnutls_record_get_direction(c->session) ? NET_WANT_WRITE : NET_WANT_READ;
                return ERROR_IO_PENDING;
            }
            /* Application data came between the handshake messages: read
             * it, then go on with the handshake. */
            if (ret != GNUTLS_E_GOT_APPLICATION_DATA)
            {
                c->renegotiating = FALSE;
                if (ret < 0)
                {
                    WARN("the new handshake failed: %s\n", gnutls_strerror(ret));
                    return handshake_error(c, ret);
                }
                TRACE("new handshake done\n");
            }
        }
        ret = gnutls_record_recv(c->session, buf, len);
        if (ret >= 0) break;
        if ((ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) && again_with_ahead(c)) continue;
        if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        {
            /* A TLS 1.3 ticket or key update may have been all there was. */
            save_session(c);
            *want = gnutls_record_get_direction(c->session) ? NET_WANT_WRITE : NET_WANT_READ;
            return ERROR_IO_PENDING;
        }
        if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED)
        {
            TRACE("warning alert %s\n", gnutls_alert_get_name(gnutls_alert_get(c->session)));
            continue;
        }
        if (ret == GNUTLS_E_REHANDSHAKE)
        {
            /* Windows goes along: a server that wants a client certificate
             * for one resource asks this way.  GnuTLS insists on RFC 5746
             * secure renegotiation and on the server's certificate staying
             * the same, so the first verification still holds. */
            TRACE("the server asks for a new handshake\n");
            c->renegotiating = TRUE;
            continue;
        }
        if (ret == GNUTLS_E_PREMATURE_TERMINATION && !inside_record(c) && !c->net_error)
        {
            TRACE("closed without close_notify\n");
            return ERROR_SUCCESS;
        }
        if (c->net_error) return c->net_error;
        if (ret == GNUTLS_E_PREMATURE_TERMINATION || (c->eof && inside_record(c)))
        {
            WARN("the connection ended inside a record (%s)\n", gnutls_strerror(ret));
            return ERROR_WINHTTP_CONNECTION_ERROR;
        }
        WARN("receive failed: %s\n", gnutls_strerror(ret));
        return ERROR_WINHTTP_SECURE_CHANNEL_ERROR;
    }
    save_session(c);
    *received = ret;
    return ERROR_SUCCESS;
}

size_t tls_pending(struct tls_conn *c)
{
    if (c->state != TLS_OPEN) return 0;
    /* Bytes read ahead are as good as bytes in the socket: nobody would
     * wake a wait for them. */
    return gnutls_record_check_pending(c->session) + (c->ahead_end - c->ahead_start);
}

void tls_conn_free(struct tls_conn *c)
{
    if (!c) return;
    TRACE("%p\n", c);
    if (c->session)
    {
        if (c->state == TLS_OPEN)
        {
            save_session(c);
            /* One try: close_notify is a courtesy, not worth blocking for. */
            if (!c->net_error) gnutls_bye(c->session, GNUTLS_SHUT_WR);
        }
        gnutls_deinit(c->session);
    }
    free_client_credentials(c);
    if (c->params.client_cert && c->params.client_cert->release) c->params.client_cert->release(c->params.client_cert);
    free_chain(c);
    free(c->issuers);
    free(c->ahead);
    free(c->rev_url);
    free(c->host);
    free(c->verified_key);
    free(c->session_key);
    if (c->ctx) tls_context_release(c->ctx);
    free(c);
}

/* ------------------------------------------------------------------ */
/* Information                                                         */

static DWORD protocol_flag(gnutls_protocol_t version)
{
    switch (version)
    {
    case GNUTLS_TLS1_0: return WINHTTP_FLAG_SECURE_PROTOCOL_TLS1;
    case GNUTLS_TLS1_1: return WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_1;
    case GNUTLS_TLS1_2: return WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2;
    case GNUTLS_TLS1_3: return WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3;
    default:            return 0;
    }
}

static unsigned int group_bits(gnutls_group_t group)
{
    switch (group)
    {
    case GNUTLS_GROUP_SECP256R1: return 256;
    case GNUTLS_GROUP_SECP384R1: return 384;
    case GNUTLS_GROUP_SECP521R1: return 521;
    case GNUTLS_GROUP_X25519:    return 255;
    case GNUTLS_GROUP_X448:      return 448;
    case GNUTLS_GROUP_FFDHE2048: return 2048;
    case GNUTLS_GROUP_FFDHE3072: return 3072;
    case GNUTLS_GROUP_FFDHE4096: return 4096;
    case GNUTLS_GROUP_FFDHE6144: return 6144;
    case GNUTLS_GROUP_FFDHE8192: return 8192;
    default:                     return 0;
    }
}

/* The IANA number of the negotiated suite, from GnuTLS's table. */
static unsigned short suite_id(gnutls_session_t session)
{
    gnutls_protocol_t version = gnutls_protocol_get_version(session), min;
    gnutls_cipher_algorithm_t cipher = gnutls_cipher_get(session), c;
    gnutls_mac_algorithm_t mac = gnutls_mac_get(session), m;
    gnutls_kx_algorithm_t kx = gnutls_kx_get(session), k;
    unsigned char id[2];
    size_t i;

    for (i = 0; gnutls_cipher_suite_info(i, id, &k, &c, &m, &min); i++)
    {
        if (c != cipher) continue;
        if (version == GNUTLS_TLS1_3)
        {
            /* TLS 1.3 suites name no key exchange; the cipher tells them apart. */
            if (min != GNUTLS_TLS1_3) continue;
        }
        else if (k != kx || m != mac || min == GNUTLS_TLS1_3) continue;
        return (id[0] << 8) | id[1];
    }
    return 0;
}

void tls_get_info(struct tls_conn *c, struct tls_info *info)
{
    gnutls_protocol_t version = gnutls_protocol_get_version(c->session);
    gnutls_mac_algorithm_t mac = gnutls_mac_get(c->session);
    gnutls_group_t group = gnutls_group_get(c->session);
    gnutls_datum_t alpn;
    const char *s;

    memset(info, 0, sizeof(*info));
    info->protocol = protocol_flag(version);
    info->protocol_name = (s = gnutls_protocol_get_name(version)) ? s : "";
    info->cipher_name = (s = gnutls_cipher_get_name(gnutls_cipher_get(c->session))) ? s : "";
    info->cipher_bits = gnutls_cipher_get_key_size(gnutls_cipher_get(c->session)) * 8;
    info->mac_name = (s = gnutls_mac_get_name(mac)) ? s : "";
    if (mac == GNUTLS_MAC_AEAD) info->mac_bits = gnutls_hash_get_len(gnutls_prf_hash_get(c->session)) * 8;
    else info->mac_bits = gnutls_mac_get_key_size(mac) * 8;
    info->kx_name = version == GNUTLS_TLS1_3 ? "" :
                    (s = gnutls_kx_get_name(gnutls_kx_get(c->session))) ? s : "";
    info->group_name = (s = gnutls_group_get_name(group)) ? s : "";
    info->kx_bits = group_bits(group);
    if (!info->kx_bits && version != GNUTLS_TLS1_3) info->kx_bits = gnutls_dh_get_prime_bits(c->session);
    info->suite_name = (s = gnutls_ciphersuite_get(c->session)) ? s : "";
    info->suite_id = suite_id(c->session);
    info->resumed = gnutls_session_is_resumed(c->session) != 0;
    info->alpn = "";
    if (gnutls_alpn_get_selected_protocol(c->session, &alpn) >= 0)
    {
        if (alpn.size == 2 && !memcmp(alpn.data, "h2", 2)) info->alpn = "h2";
        else if (alpn.size == 8 && !memcmp(alpn.data, "http/1.1", 8)) info->alpn = "http/1.1";
    }
}

DWORD tls_peer_chain(struct tls_conn *c, struct tls_der_list **chain)
{
    const gnutls_datum_t *list;
    unsigned int count = 0;

    /* Also after a certificate was rejected: applications look at it from
     * their WINHTTP_CALLBACK_STATUS_SECURE_FAILURE callback. */
    *chain = NULL;
    if (!c->session) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    if (!(list = gnutls_certificate_get_peers(c->session, &count)) || !count)
        return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    if (!(*chain = make_der_list(list, count))) return ERROR_OUTOFMEMORY;
    return ERROR_SUCCESS;
}

DWORD tls_issuer_names(struct tls_conn *c, struct tls_der_list **names)
{
    gnutls_datum_t *items = NULL;
    unsigned int i, count = c->issuers ? c->issuers->count : 0;

    if (count && !(items = malloc(count * sizeof(*items)))) return ERROR_OUTOFMEMORY;
    for (i = 0; i < count; i++)
    {
        items[i].data = (unsigned char *)c->issuers->item[i].data;
        items[i].size = c->issuers->item[i].len;
    }
    *names = make_der_list(items, count);
    free(items);
    return *names ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
}

DWORD tls_server_end_point(const void *der, size_t len, unsigned char hash[64], size_t *hash_len)
{
    gnutls_x509_crt_t cert;
    gnutls_datum_t data = { (unsigned char *)der, len };
    gnutls_digest_algorithm_t dig;
    int sign;

    *hash_len = 0;
    if (gnutls_x509_crt_init(&cert) < 0) return ERROR_OUTOFMEMORY;
    if (gnutls_x509_crt_import(cert, &data, GNUTLS_X509_FMT_DER) < 0)
    {
        gnutls_x509_crt_deinit(cert);
        return ERROR_INVALID_PARAMETER;
    }
    sign = gnutls_x509_crt_get_signature_algorithm(cert);
    gnutls_x509_crt_deinit(cert);
    dig = sign > 0 ? gnutls_sign_get_hash_algorithm(sign) : GNUTLS_DIG_UNKNOWN;
    /* RFC 5929 4.1: MD5 and SHA-1 become SHA-256; signatures without one
     * hash (Ed25519) have no binding defined. */
    if (dig == GNUTLS_DIG_MD5 || dig == GNUTLS_DIG_SHA1) dig = GNUTLS_DIG_SHA256;
    if (dig == GNUTLS_DIG_UNKNOWN || gnutls_hash_get_len(dig) > 64 || gnutls_hash_get_len(dig) == 0)
        return ERROR_NOT_SUPPORTED;
    if (gnutls_hash_fast(dig, der, len, hash) < 0) return ERROR_NOT_SUPPORTED;
    *hash_len = gnutls_hash_get_len(dig);
    return ERROR_SUCCESS;
}
