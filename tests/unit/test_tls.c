/*
 * Unit tests of the TLS layer (dlls/winhttp/tls_gnutls.c) against real TLS
 * servers on loopback: gnutls-serv (gnutls-bin) with the private PKI that
 * tests/peers/tls/mkcerts generates into a temporary directory, and small
 * in-process GnuTLS or plain servers for the hostile cases (garbage,
 * truncation, resets, renegotiation, oversized records).
 *
 * How this builds natively: tls_gnutls.c is the Unix side of the DLL; it
 * uses Win32 types and error codes but calls no Win32 function.  So this
 * file is the whole test program: it defines what winhttp_private.h would
 * give tls_gnutls.c (a few types, error codes, Wine's debug macros), takes
 * the SDK values from include/winhttp.h, replaces net.c by a small fd-based
 * net_try_send/net_try_recv/net_wait, and then #includes tls_gnutls.c.  No
 * "unit-sources" line: the Makefile's unit rule compiles this one file and
 * links GnuTLS.  Set WINHTTP_UNIT_TRACE=1 to see the layer's traces.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

/* ------------------------------------------------------------------ */
/* What winhttp_private.h gives the DLL's sources                      */

#define WINHTTP_TLS_UNIT_TEST
#define WINAPI
#define CALLBACK
typedef void VOID, *PVOID, *LPVOID;
typedef const void *LPCVOID;
typedef unsigned char BYTE;
typedef unsigned short WORD, USHORT;
typedef unsigned int DWORD, *PDWORD, *LPDWORD, UINT, ULONG;
typedef int BOOL;
typedef unsigned long long ULONGLONG;
typedef unsigned long DWORD_PTR;
typedef unsigned short WCHAR;
typedef WCHAR *LPWSTR, *PWSTR;
typedef const WCHAR *LPCWSTR, *PCWSTR;
typedef char *LPSTR;
typedef const char *PCSTR, *LPCSTR;
typedef void *HANDLE;
typedef struct { DWORD dwLowDateTime, dwHighDateTime; } FILETIME;
typedef struct { unsigned int Data1; unsigned short Data2, Data3; unsigned char Data4[8]; } GUID;
typedef struct { WORD parts[8]; } SYSTEMTIME;
#define TRUE 1
#define FALSE 0
#define ERROR_SUCCESS           0
#define ERROR_OUTOFMEMORY       14
#define ERROR_NOT_SUPPORTED     50
#define ERROR_INVALID_PARAMETER 87
#define ERROR_IO_PENDING        997
#include "../../include/winhttp.h"

static int trace_on;
#define DBG_PRINT(kind, ...) do { fprintf(stderr, "%s:tls:%s ", kind, __func__); fprintf(stderr, __VA_ARGS__); } while (0)
#define TRACE(...) do { if (trace_on) DBG_PRINT("trace", __VA_ARGS__); } while (0)
#define WARN(...)  do { if (trace_on) DBG_PRINT("warn", __VA_ARGS__); } while (0)
#define ERR(...)   DBG_PRINT("err", __VA_ARGS__)
#define FIXME(...) DBG_PRINT("fixme", __VA_ARGS__)
#define FIXME_ONCE(...) do { static int once_; if (!once_++) FIXME(__VA_ARGS__); } while (0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* net.c's non-blocking primitives over a plain socket                 */

#include "unix_private.h"

struct net_socket
{
    int fd;
};

DWORD net_try_send(struct net_socket *sock, const void *buf, size_t len, size_t *sent)
{
    ssize_t n;

    *sent = 0;
    do n = send(sock->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT); while (n < 0 && errno == EINTR);
    if (n >= 0)
    {
        *sent = n;
        return ERROR_SUCCESS;
    }
    return errno == EAGAIN || errno == EWOULDBLOCK ? ERROR_IO_PENDING : ERROR_WINHTTP_CONNECTION_ERROR;
}

DWORD net_try_recv(struct net_socket *sock, void *buf, size_t len, size_t *received)
{
    ssize_t n;

    *received = 0;
    do n = recv(sock->fd, buf, len, MSG_DONTWAIT); while (n < 0 && errno == EINTR);
    if (n >= 0)
    {
        *received = n;
        return ERROR_SUCCESS;
    }
    return errno == EAGAIN || errno == EWOULDBLOCK ? ERROR_IO_PENDING : ERROR_WINHTTP_CONNECTION_ERROR;
}

DWORD net_wait(struct net_socket *sock, int want, int timeout_ms)
{
    struct pollfd pfd = { sock->fd, (want & NET_WANT_READ ? POLLIN : 0) | (want & NET_WANT_WRITE ? POLLOUT : 0), 0 };
    int ret;

    do ret = poll(&pfd, 1, timeout_ms); while (ret < 0 && errno == EINTR);
    if (ret > 0) return ERROR_SUCCESS;
    return ret ? ERROR_WINHTTP_CONNECTION_ERROR : ERROR_WINHTTP_TIMEOUT;
}

/* The module under test. */
#include "tls_gnutls.c"

#include "unit.h"

/* ------------------------------------------------------------------ */
/* The test PKI and gnutls-serv                                        */

static char pki[PATH_MAX];
static const char test_crl_url[] = "http://127.0.0.1:1/ca.crl";
static const char test_ocsp_url[] = "http://127.0.0.1:2";

static void pki_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", pki, name);
}

static BOOL read_file(const char *name, gnutls_datum_t *data)
{
    char path[PATH_MAX];

    pki_path(path, sizeof(path), name);
    return gnutls_load_file(path, data) >= 0;
}

/* tests/peers/tls/mkcerts, found next to this source or from the binary. */
static BOOL make_pki(void)
{
    char script[PATH_MAX], exe[PATH_MAX], cmd[3 * PATH_MAX], file[PATH_MAX];
    ssize_t len;

    snprintf(file, sizeof(file), "%s", __FILE__);
    snprintf(script, sizeof(script), "%s/../peers/tls/mkcerts", dirname(file));
    if (access(script, X_OK) && (len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0)
    {
        exe[len] = 0;
        snprintf(script, sizeof(script), "%s/../../tests/peers/tls/mkcerts", dirname(exe));
    }
    snprintf(pki, sizeof(pki), "/tmp/winhttp-test-tls-XXXXXX");
    if (!mkdtemp(pki)) return FALSE;
    snprintf(cmd, sizeof(cmd), "'%s' '%s' '%s' '%s'", script, pki, test_crl_url, test_ocsp_url);
    return system(cmd) == 0;
}

static void remove_pki(void)
{
    char cmd[PATH_MAX + 16];

    if (!pki[0]) return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pki);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", pki);
}

enum client_auth { AUTH_NONE, AUTH_REQUEST, AUTH_REQUIRE };

struct server
{
    const char *name, *cert, *priority;
    enum client_auth auth;
    const char *sni;            /* fatal alert unless the client sends this name */
    pid_t pid;
    int port;
};

static struct server servers[] =
{
    { "valid",        "valid" },
    { "expired",      "expired" },
    { "future",       "future" },
    { "wronghost",    "wronghost" },
    { "selfsigned",   "selfsigned" },
    { "wildcard",     "wildcard" },
    { "revoked",      "revoked" },
    { "wrongusage",   "wrongusage" },
    { "cnonly",       "cnonly" },
    { "chain",        "chain" },
    { "badsig",       "badsig" },
    { "nocdp",        "nocdp" },
    { "ocspgood",     "ocspgood" },
    { "ocsprevoked",  "ocsprevoked" },
    { "ocspcrl",      "ocspcrl" },
    { "tls10",        "valid", "NORMAL:-VERS-ALL:+VERS-TLS1.0" },
    { "tls12",        "valid", "NORMAL:-VERS-ALL:+VERS-TLS1.2" },
    { "clientreq",    "valid", NULL, AUTH_REQUEST },
    { "clientreq12",  "valid", "NORMAL:-VERS-ALL:+VERS-TLS1.2", AUTH_REQUEST },
    { "clientneed",   "valid", NULL, AUTH_REQUIRE },
    { "clientneed12", "valid", "NORMAL:-VERS-ALL:+VERS-TLS1.2", AUTH_REQUIRE },
    { "clientneed10", "valid", "NORMAL:-VERS-ALL:+VERS-TLS1.0", AUTH_REQUIRE },
    { "sni",          "valid", NULL, AUTH_NONE, "localhost" },
};

static int free_port(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

    if (fd < 0) return 0;
    if (!bind(fd, (struct sockaddr *)&sin, sizeof(sin)) && !getsockname(fd, (struct sockaddr *)&sin, &len))
        port = ntohs(sin.sin_port);
    close(fd);
    return port;
}

static int tcp_connect(int port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
    {
        close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static BOOL start_server_on(struct server *s, int port)
{
    char cert[PATH_MAX], key[PATH_MAX], cas[PATH_MAX], portstr[16], sni[300];
    const char *argv[24];
    int i, n = 0, fd;

    pki_path(cert, sizeof(cert), s->cert);
    strcat(cert, ".pem");
    pki_path(key, sizeof(key), s->cert);
    strcat(key, ".key");
    pki_path(cas, sizeof(cas), "clientcas.pem");
    snprintf(portstr, sizeof(portstr), "%d", port);
    argv[n++] = "gnutls-serv";
    argv[n++] = "--http";
    argv[n++] = "-q";
    argv[n++] = "-p";
    argv[n++] = portstr;
    argv[n++] = "--x509certfile";
    argv[n++] = cert;
    argv[n++] = "--x509keyfile";
    argv[n++] = key;
    if (s->priority)
    {
        argv[n++] = "--priority";
        argv[n++] = s->priority;
    }
    if (s->sni)
    {
        snprintf(sni, sizeof(sni), "--sni-hostname=%s", s->sni);
        argv[n++] = sni;
        argv[n++] = "--sni-hostname-fatal";
    }
    if (s->auth == AUTH_NONE) argv[n++] = "-a";
    else
    {
        /* Its CertificateRequest names the CAs of this file. */
        argv[n++] = "--x509cafile";
        argv[n++] = cas;
        argv[n++] = "--verify-client-cert";
        if (s->auth == AUTH_REQUIRE) argv[n++] = "-r";
    }
    argv[n] = NULL;

    if ((s->pid = fork()) < 0) return FALSE;
    if (!s->pid)
    {
        int null = open("/dev/null", O_RDWR);
        /* No orphan server if the test dies. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(null, 0);
        dup2(null, 1);
        if (!trace_on) dup2(null, 2);
        execvp("gnutls-serv", (char **)argv);
        _exit(127);
    }
    s->port = port;
    for (i = 0; i < 500; i++)
    {
        if ((fd = tcp_connect(port)) >= 0)
        {
            close(fd);
            return TRUE;
        }
        if (waitpid(s->pid, NULL, WNOHANG) == s->pid) break;
        usleep(10000);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
    return FALSE;
}

static void stop_server(struct server *s)
{
    if (!s->pid) return;
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
}

static struct server *find_server(const char *name)
{
    size_t i;
    for (i = 0; i < ARRAY_SIZE(servers); i++) if (!strcmp(servers[i].name, name)) return &servers[i];
    return NULL;
}

/* The port of the named gnutls-serv, started on first use. */
static int server_port(const char *name)
{
    struct server *s = find_server(name);
    int tries;

    if (!s) return 0;
    for (tries = 0; !s->pid && tries < 3; tries++) start_server_on(s, free_port());
    ok(s->pid != 0, "gnutls-serv %s did not start\n", name);
    return s->pid ? s->port : 0;
}

static void stop_servers(void)
{
    size_t i;
    for (i = 0; i < ARRAY_SIZE(servers); i++) stop_server(&servers[i]);
}

/* ------------------------------------------------------------------ */
/* Driving the layer                                                   */

struct client
{
    struct net_socket sock;
    struct tls_conn *conn;
    const char *asked_url;      /* the revocation URL it asked for, if any */
    int revocation_requests;
    int verify_requests;        /* TLS_WANT_VERIFY steps */
    int verify_lie;             /* 1: answer with another certificate's path, 2: with no path and no flag */
};

/* What the Windows side (cert.c: crypt32 and the certificate stores) answers
 * a TLS_WANT_VERIFY step with, played here with GnuTLS and the test CA as
 * the one root of the "store": the path (the server's certificates as they
 * chain, then the root), INVALID_CA when it does not get to the root,
 * CERT_DATE_INVALID for a certificate of the path out of its dates,
 * CERT_WRONG_USAGE for a server certificate whose extended key usage does
 * not allow TLS servers. */
static gnutls_x509_crt_t store_root;

static BOOL load_store_root(void)
{
    gnutls_datum_t pem;
    BOOL ret;

    if (!read_file("ca.pem", &pem)) return FALSE;
    ret = gnutls_x509_crt_init(&store_root) >= 0 &&
          gnutls_x509_crt_import(store_root, &pem, GNUTLS_X509_FMT_PEM) >= 0;
    gnutls_free(pem.data);
    return ret;
}

static BOOL stub_date_valid(gnutls_x509_crt_t cert)
{
    time_t now = time(NULL);
    return now >= gnutls_x509_crt_get_activation_time(cert) && now <= gnutls_x509_crt_get_expiration_time(cert);
}

static BOOL stub_usage_valid(gnutls_x509_crt_t cert)
{
    char oid[128];
    size_t size;
    unsigned int i;
    int ret;

    for (i = 0;; i++)
    {
        size = sizeof(oid);
        ret = gnutls_x509_crt_get_key_purpose_oid(cert, i, oid, &size, NULL);
        if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) return i == 0;
        if (ret >= 0 && !strcmp(oid, GNUTLS_KP_TLS_WWW_SERVER)) return TRUE;
    }
}

static void stub_verify(struct client *cl)
{
    struct tls_der_list *sent, *path = NULL;
    gnutls_x509_crt_t certs[MAX_CHAIN], cur;
    gnutls_datum_t items[MAX_CHAIN + 1], der;
    unsigned int i, n = 0, count = 0, used = 1;
    BOOL trusted = FALSE;
    DWORD flags = 0;

    cl->verify_requests++;
    if (cl->verify_lie)
    {
        gnutls_datum_t other = { NULL, 0 };

        /* A broken Windows side must not make a server trusted. */
        if (cl->verify_lie == 1 && !gnutls_x509_crt_export2(store_root, GNUTLS_X509_FMT_DER, &other) &&
            (path = make_der_list(&other, 1)))
        {
            tls_verify_result(cl->conn, 0, path);
            free(path);
        }
        else tls_verify_result(cl->conn, 0, NULL);
        gnutls_free(other.data);
        return;
    }
    if (tls_peer_chain(cl->conn, &sent))
    {
        tls_verify_result(cl->conn, WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT, NULL);
        return;
    }
    for (i = 0; i < sent->count && n < MAX_CHAIN; i++)
    {
        der.data = (unsigned char *)sent->item[i].data;
        der.size = sent->item[i].len;
        if (gnutls_x509_crt_init(&certs[n]) < 0) break;
        if (gnutls_x509_crt_import(certs[n], &der, GNUTLS_X509_FMT_DER) < 0) gnutls_x509_crt_deinit(certs[n]);
        else n++;
    }
    for (cur = n ? certs[0] : NULL; cur && count < MAX_CHAIN;)
    {
        gnutls_x509_crt_export2(cur, GNUTLS_X509_FMT_DER, &items[count++]);
        if (!stub_date_valid(cur)) flags |= WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID;
        if (gnutls_x509_crt_equals(cur, store_root))
        {
            trusted = TRUE;
            break;
        }
        if (gnutls_x509_crt_check_issuer(cur, cur)) break;
        for (i = 1; i < n; i++) if (!(used & (1u << i)) && gnutls_x509_crt_check_issuer(cur, certs[i])) break;
        if (i < n)
        {
            used |= 1u << i;
            cur = certs[i];
        }
        else if (gnutls_x509_crt_check_issuer(cur, store_root)) cur = store_root;
        else break;
    }
    if (!trusted) flags |= WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA;
    if (n && !stub_usage_valid(certs[0])) flags |= WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE;
    if (count) path = make_der_list(items, count);
    tls_verify_result(cl->conn, flags, path);
    free(path);
    for (i = 0; i < count; i++) gnutls_free(items[i].data);
    for (i = 0; i < n; i++) gnutls_x509_crt_deinit(certs[i]);
    free(sent);
}


/* What a TLS_WANT_REVOCATION step gets: the named PKI file, NULL (the fetch
 * failed) or these bytes. */
static const char *crl_answer;
/* OCSP requests are answered by openssl ocsp from the PKI's index, unless
 * the responder is "offline". */
static BOOL ocsp_offline;
static int ocsp_requests;

/* The DER response to the GET request of url (RFC 6960 A.1), or FALSE. */
static BOOL ocsp_respond(const char *url, gnutls_datum_t *resp)
{
    char b64[4096], path[PATH_MAX], cmd[4 * PATH_MAX];
    const char *p = url + strlen(test_ocsp_url) + 1;
    gnutls_datum_t in, der;
    size_t n = 0;
    FILE *f;
    BOOL ret;

    while (*p && n < sizeof(b64) - 1)
    {
        if (*p == '%' && p[1] && p[2])
        {
            char hex[3] = { p[1], p[2], 0 };
            b64[n++] = (char)strtol(hex, NULL, 16);
            p += 3;
        }
        else b64[n++] = *p++;
    }
    b64[n] = 0;
    in.data = (unsigned char *)b64;
    in.size = n;
    if (gnutls_base64_decode2(&in, &der) < 0) return FALSE;
    pki_path(path, sizeof(path), "ocsp-req.der");
    if ((f = fopen(path, "wb")))
    {
        fwrite(der.data, 1, der.size, f);
        fclose(f);
    }
    gnutls_free(der.data);
    snprintf(cmd, sizeof(cmd), "cd '%s' && openssl ocsp -index ocsp-index.txt -rsigner ca.pem -rkey ca.key -CA ca.pem "
             "-reqin ocsp-req.der -respout ocsp-resp.der -ndays 1 >/dev/null 2>&1", pki);
    if (system(cmd)) return FALSE;
    ret = read_file("ocsp-resp.der", resp);
    return ret;
}

static DWORD drive_handshake(struct client *cl, int timeout_ms)
{
    gnutls_datum_t data;
    DWORD res;
    int want;

    for (;;)
    {
        res = tls_handshake(cl->conn, &want);
        if (res != ERROR_IO_PENDING) return res;
        if (want == TLS_WANT_VERIFY)
        {
            stub_verify(cl);
            continue;
        }
        if (want == TLS_WANT_REVOCATION)
        {
            cl->asked_url = tls_revocation_url(cl->conn);
            cl->revocation_requests++;
            if (cl->asked_url && !strncmp(cl->asked_url, test_ocsp_url, strlen(test_ocsp_url)) &&
                cl->asked_url[strlen(test_ocsp_url)] == '/')
            {
                ocsp_requests++;
                if (!ocsp_offline && ocsp_respond(cl->asked_url, &data))
                {
                    tls_revocation_response(cl->conn, data.data, data.size);
                    gnutls_free(data.data);
                }
                else tls_revocation_response(cl->conn, NULL, 0);
                continue;
            }
            ok(cl->asked_url && !strcmp(cl->asked_url, test_crl_url), "asked for %s\n", cl->asked_url);
            if (!crl_answer) tls_revocation_response(cl->conn, NULL, 0);
            else if (read_file(crl_answer, &data))
            {
                tls_revocation_response(cl->conn, data.data, data.size);
                gnutls_free(data.data);
            }
            else tls_revocation_response(cl->conn, crl_answer, strlen(crl_answer));
            continue;
        }
        /* No ok() here: test_threads drives handshakes from several threads. */
        if (want != NET_WANT_READ && want != NET_WANT_WRITE) return ERROR_INVALID_PARAMETER;
        if ((res = net_wait(&cl->sock, want, timeout_ms))) return res;
    }
}

static DWORD client_open(struct client *cl, struct tls_context *ctx, int port, const char *host,
                         const struct tls_params *params)
{
    DWORD res;

    memset(cl, 0, sizeof(*cl));
    if ((cl->sock.fd = tcp_connect(port)) < 0) return ERROR_WINHTTP_CANNOT_CONNECT;
    if ((res = tls_conn_create(ctx, &cl->sock, host, params, &cl->conn))) return res;
    return drive_handshake(cl, 5000);
}

static void client_close(struct client *cl)
{
    tls_conn_free(cl->conn);
    cl->conn = NULL;
    if (cl->sock.fd >= 0) close(cl->sock.fd);
    cl->sock.fd = -1;
}

static DWORD client_send_all(struct client *cl, const char *data, size_t len)
{
    size_t sent;
    DWORD res;
    int want;

    while (len)
    {
        res = tls_send(cl->conn, data, len, &sent, &want);
        if (res == ERROR_IO_PENDING)
        {
            if ((res = net_wait(&cl->sock, want, 5000))) return res;
            continue;
        }
        if (res) return res;
        data += sent;
        len -= sent;
    }
    return ERROR_SUCCESS;
}

/* Read until the server closes; *len gets what came. */
static DWORD client_read_all(struct client *cl, char *buf, size_t size, size_t *len)
{
    size_t received;
    DWORD res;
    int want;

    *len = 0;
    for (;;)
    {
        res = tls_recv(cl->conn, buf + *len, size - 1 - *len, &received, &want);
        if (res == ERROR_IO_PENDING)
        {
            if (tls_pending(cl->conn)) return ERROR_INVALID_PARAMETER;  /* would have had data */
            if ((res = net_wait(&cl->sock, want, 5000))) return res;
            continue;
        }
        if (res) return res;
        if (!received) break;
        *len += received;
        if (*len == size - 1) break;
    }
    buf[*len] = 0;
    return ERROR_SUCCESS;
}

/* GET / from gnutls-serv --http: TRUE for a 200 answer. */
static BOOL client_get(struct client *cl)
{
    static const char req[] = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
    char buf[65536];
    size_t len;

    if (client_send_all(cl, req, sizeof(req) - 1)) return FALSE;
    if (client_read_all(cl, buf, sizeof(buf), &len)) return FALSE;
    return len > 15 && !memcmp(buf, "HTTP/1.0 200 OK", 15);
}

static struct tls_params make_params(DWORD security_flags)
{
    struct tls_params p;

    memset(&p, 0, sizeof(p));
    p.security_flags = security_flags;
    p.alpn = TLS_ALPN_HTTP11;
    p.port = 443;
    return p;
}

/* One handshake in a fresh context: the error and the failure flags. */
static void handshake_once(const char *server, const char *host, const struct tls_params *params,
                           DWORD *res, DWORD *flags)
{
    struct tls_context *ctx;
    struct client cl;
    int port = server_port(server);

    *res = ~0u;
    *flags = ~0u;
    if (!port || tls_context_create(&ctx)) return;
    *res = client_open(&cl, ctx, port, host, params);
    *flags = cl.conn ? tls_failure_flags(cl.conn) : ~0u;
    if (!*res) ok(client_get(&cl), "%s: GET after the handshake failed\n", server);
    client_close(&cl);
    tls_context_release(ctx);
}

#define check_handshake(server, host, sec_flags, expect_res, expect_flags) \
    check_handshake_(__LINE__, server, host, sec_flags, expect_res, expect_flags)
static void check_handshake_(int line, const char *server, const char *host, DWORD sec_flags,
                             DWORD expect_res, DWORD expect_flags)
{
    struct tls_params p = make_params(sec_flags);
    DWORD res, flags;

    handshake_once(server, host, &p, &res, &flags);
    unit_report(res == expect_res && flags == expect_flags, __FILE__, line,
                "%s as %s with %#x: expected %u flags %#x, got %u flags %#x", server, host, sec_flags,
                expect_res, expect_flags, res, flags);
}

/* ------------------------------------------------------------------ */
/* Certificate validation                                              */

static void test_valid(void)
{
    struct tls_context *ctx;
    struct tls_params p = make_params(0);
    struct tls_der_list *chain;
    struct tls_info info;
    struct client cl;
    unsigned char hash[64], expect[32];
    size_t hash_len;
    DWORD res;

    check_handshake("valid", "localhost", 0, ERROR_SUCCESS, 0);
    check_handshake("valid", "LocalHost", 0, ERROR_SUCCESS, 0);
    check_handshake("valid", "127.0.0.1", 0, ERROR_SUCCESS, 0);
    check_handshake("valid", "[::1]", 0, ERROR_SUCCESS, 0);
    check_handshake("chain", "localhost", 0, ERROR_SUCCESS, 0);

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    res = client_open(&cl, ctx, server_port("valid"), "localhost", &p);
    ok_int(res, ERROR_SUCCESS);
    if (!res)
    {
        tls_get_info(cl.conn, &info);
        ok_int(info.protocol, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3);
        ok(!strcmp(info.protocol_name, "TLS1.3"), "protocol %s\n", info.protocol_name);
        ok(info.cipher_bits >= 128, "cipher bits %u\n", info.cipher_bits);
        ok(*info.cipher_name, "no cipher name\n");
        ok(info.suite_id >= 0x1301 && info.suite_id <= 0x1305, "suite %#x (%s)\n", info.suite_id, info.suite_name);
        ok(!info.resumed, "resumed\n");
        ok_int(tls_peer_chain(cl.conn, &chain), ERROR_SUCCESS);
        ok_int(chain->count, 1);
        /* ECDSA-SHA256 signed: the binding is the certificate's SHA-256. */
        ok_int(tls_server_end_point(chain->item[0].data, chain->item[0].len, hash, &hash_len), ERROR_SUCCESS);
        ok_int(hash_len, 32);
        gnutls_hash_fast(GNUTLS_DIG_SHA256, chain->item[0].data, chain->item[0].len, expect);
        ok(!memcmp(hash, expect, 32), "tls-server-end-point is not the SHA-256 of the certificate\n");
        free(chain);
        ok(client_get(&cl), "GET failed\n");
    }
    client_close(&cl);
    tls_context_release(ctx);
}

/* What the Windows side answers cannot vouch for a server it did not look
 * at: a path of another certificate is INVALID_CERT, no path INVALID_CA. */
static void test_verify_answers(void)
{
    struct tls_params p = make_params(0);
    struct tls_context *ctx;
    struct client cl;
    int lie;

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    for (lie = 1; lie <= 2; lie++)
    {
        memset(&cl, 0, sizeof(cl));
        cl.sock.fd = tcp_connect(server_port("valid"));
        cl.verify_lie = lie;
        ok_int(tls_conn_create(ctx, &cl.sock, "localhost", &p, &cl.conn), ERROR_SUCCESS);
        ok_int(drive_handshake(&cl, 5000), ERROR_WINHTTP_SECURE_FAILURE);
        ok_int(cl.verify_requests, 1);
        ok_int(tls_failure_flags(cl.conn), lie == 1 ? WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT
                                                    : WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA);
        client_close(&cl);
    }
    tls_context_release(ctx);
}

static void test_chain_info(void)
{
    struct tls_context *ctx;
    struct tls_params p = make_params(0);
    struct tls_der_list *chain, *names;
    struct client cl;

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    ok_int(client_open(&cl, ctx, server_port("chain"), "localhost", &p), ERROR_SUCCESS);
    ok_int(tls_peer_chain(cl.conn, &chain), ERROR_SUCCESS);
    ok_int(chain->count, 2);
    free(chain);
    ok_int(tls_issuer_names(cl.conn, &names), ERROR_SUCCESS);
    ok_int(names->count, 0);
    free(names);
    client_close(&cl);
    tls_context_release(ctx);
}

static void test_bad_certificates(void)
{
    check_handshake("expired", "localhost", 0, ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID);
    check_handshake("future", "localhost", 0, ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID);
    check_handshake("wronghost", "localhost", 0, ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID);
    check_handshake("valid", "localhost.localdomain", 0, ERROR_WINHTTP_SECURE_FAILURE,
                    WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID);
    check_handshake("valid", "127.0.0.2", 0, ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID);
    check_handshake("selfsigned", "localhost", 0, ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA);
    check_handshake("wrongusage", "localhost", 0, ERROR_WINHTTP_SECURE_FAILURE,
                    WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE);
    /* Every problem is reported at once. */
    check_handshake("expired", "wrong.example", 0, ERROR_WINHTTP_SECURE_FAILURE,
                    WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID | WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID);
    check_handshake("selfsigned", "wrong.example", 0, ERROR_WINHTTP_SECURE_FAILURE,
                    WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA | WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID);
    /* The store trusts the issuer; the signature is still checked, and no
     * flag makes it right. */
    check_handshake("badsig", "localhost", 0, ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT);
    check_handshake("badsig", "localhost", SECURITY_FLAG_IGNORE_ALL_CERT_ERRORS, ERROR_WINHTTP_SECURE_FAILURE,
                    WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT);
    /* Revocation is not checked unless asked. */
    check_handshake("revoked", "localhost", 0, ERROR_SUCCESS, 0);
}

static void test_host_names(void)
{
    /* RFC 6125 6.4.3: the wildcard stands for exactly one left-most label. */
    check_handshake("wildcard", "a.wild.test", 0, ERROR_SUCCESS, 0);
    check_handshake("wildcard", "A.WILD.TEST", 0, ERROR_SUCCESS, 0);
    check_handshake("wildcard", "wild.test", 0, ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID);
    check_handshake("wildcard", "a.b.wild.test", 0, ERROR_WINHTTP_SECURE_FAILURE,
                    WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID);
    check_handshake("wildcard", "localhost", 0, ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID);
    /* The subject CN counts only when there is no subjectAltName. */
    check_handshake("cnonly", "localhost", 0, ERROR_SUCCESS, 0);
    check_handshake("cnonly", "127.0.0.1", 0, ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID);
}

/* RFC 6066: the host name goes out as SNI, IP literals do not. */
static void test_sni(void)
{
    check_handshake("sni", "localhost", 0, ERROR_SUCCESS, 0);
    check_handshake("sni", "127.0.0.1", 0, ERROR_SUCCESS, 0);
    /* The server refuses other names with a fatal alert. */
    check_handshake("sni", "wrong.example", SECURITY_FLAG_IGNORE_CERT_CN_INVALID, ERROR_WINHTTP_SECURE_CHANNEL_ERROR, 0);
}

static void test_ignore_flags(void)
{
    check_handshake("expired", "localhost", SECURITY_FLAG_IGNORE_CERT_DATE_INVALID, ERROR_SUCCESS, 0);
    check_handshake("future", "localhost", SECURITY_FLAG_IGNORE_CERT_DATE_INVALID, ERROR_SUCCESS, 0);
    check_handshake("wronghost", "localhost", SECURITY_FLAG_IGNORE_CERT_CN_INVALID, ERROR_SUCCESS, 0);
    check_handshake("selfsigned", "localhost", SECURITY_FLAG_IGNORE_UNKNOWN_CA, ERROR_SUCCESS, 0);
    check_handshake("wrongusage", "localhost", SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE, ERROR_SUCCESS, 0);
    check_handshake("expired", "wrong.example", SECURITY_FLAG_IGNORE_CERT_DATE_INVALID | SECURITY_FLAG_IGNORE_CERT_CN_INVALID,
                    ERROR_SUCCESS, 0);
    check_handshake("selfsigned", "localhost", SECURITY_FLAG_IGNORE_ALL_CERT_ERRORS, ERROR_SUCCESS, 0);
    /* Exactly what is named is ignored, nothing else. */
    check_handshake("expired", "localhost", SECURITY_FLAG_IGNORE_CERT_CN_INVALID | SECURITY_FLAG_IGNORE_UNKNOWN_CA |
                    SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE, ERROR_WINHTTP_SECURE_FAILURE,
                    WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID);
    check_handshake("expired", "wrong.example", SECURITY_FLAG_IGNORE_CERT_CN_INVALID, ERROR_WINHTTP_SECURE_FAILURE,
                    WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID);
    check_handshake("selfsigned", "localhost", SECURITY_FLAG_IGNORE_CERT_DATE_INVALID | SECURITY_FLAG_IGNORE_CERT_CN_INVALID,
                    ERROR_WINHTTP_SECURE_FAILURE, WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA);
    check_handshake("wrongusage", "localhost", SECURITY_FLAG_IGNORE_UNKNOWN_CA, ERROR_WINHTTP_SECURE_FAILURE,
                    WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE);
}

/* ------------------------------------------------------------------ */
/* Verified once per session                                           */

static void test_verified_once(void)
{
    struct tls_params strict = make_params(0), lax = make_params(SECURITY_FLAG_IGNORE_CERT_DATE_INVALID);
    struct tls_context *ctx, *ctx2;
    struct client cl;

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    /* Accepted once with the flag: the same certificate passes for the
     * rest of the session, flag or not (WinHTTP Security Considerations). */
    ok_int(client_open(&cl, ctx, server_port("expired"), "localhost", &lax), ERROR_SUCCESS);
    client_close(&cl);
    ok_int(client_open(&cl, ctx, server_port("expired"), "localhost", &strict), ERROR_SUCCESS);
    ok(client_get(&cl), "GET failed\n");
    client_close(&cl);
    /* Per server: the same certificate elsewhere is verified in full. */
    ok_int(client_open(&cl, ctx, server_port("expired"), "127.0.0.1", &strict), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(tls_failure_flags(cl.conn), WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID);
    client_close(&cl);
    /* A new session starts afresh. */
    ok_int(tls_context_create(&ctx2), ERROR_SUCCESS);
    ok_int(client_open(&cl, ctx2, server_port("expired"), "localhost", &strict), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(tls_failure_flags(cl.conn), WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID);
    client_close(&cl);
    tls_context_release(ctx2);
    tls_context_release(ctx);
}

/* The server at a verified host:port changes its certificate: caught. */
static void test_changed_certificate(void)
{
    struct server s = { "changing", "valid" };
    struct tls_params p = make_params(0);
    struct tls_context *ctx;
    struct client cl;
    int port = free_port();

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    ok(start_server_on(&s, port), "gnutls-serv did not start\n");
    ok_int(client_open(&cl, ctx, port, "localhost", &p), ERROR_SUCCESS);
    ok(client_get(&cl), "GET failed\n");
    client_close(&cl);
    stop_server(&s);

    s.cert = "expired";
    ok(start_server_on(&s, port), "gnutls-serv did not restart\n");
    ok_int(client_open(&cl, ctx, port, "localhost", &p), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(tls_failure_flags(cl.conn), WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID);
    client_close(&cl);
    stop_server(&s);

    s.cert = "selfsigned";
    ok(start_server_on(&s, port), "gnutls-serv did not restart\n");
    ok_int(client_open(&cl, ctx, port, "localhost", &p), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(tls_failure_flags(cl.conn), WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA);
    client_close(&cl);
    stop_server(&s);
    tls_context_release(ctx);
}

/* One context, many threads: the caches and the shared trust store. */
struct thread_arg
{
    struct tls_context *ctx;
    int port, ok;
};

static void *handshake_thread(void *param)
{
    struct thread_arg *arg = param;
    struct tls_params p = make_params(0);
    struct client cl;
    int i;

    for (i = 0; i < 20; i++)
    {
        /* Half of them resume, half verify (a new host name each time). */
        const char *host = i % 2 ? "localhost" : "127.0.0.1";
        if (!client_open(&cl, arg->ctx, arg->port, host, &p) && client_get(&cl)) arg->ok++;
        client_close(&cl);
    }
    return NULL;
}

static void test_threads(void)
{
    struct thread_arg args[4];
    pthread_t threads[4];
    struct tls_context *ctx;
    int i, port = server_port("valid");

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    for (i = 0; i < 4; i++)
    {
        args[i].ctx = ctx;
        args[i].port = port;
        args[i].ok = 0;
        pthread_create(&threads[i], NULL, handshake_thread, &args[i]);
    }
    for (i = 0; i < 4; i++)
    {
        pthread_join(threads[i], NULL);
        ok(args[i].ok == 20, "thread %d: %d of 20 requests done\n", i, args[i].ok);
    }
    tls_context_release(ctx);
}

/* ------------------------------------------------------------------ */
/* Protocols and resumption                                            */

static void test_protocols(void)
{
    struct tls_params p = make_params(0);
    struct tls_context *ctx;
    struct tls_info info;
    struct client cl;
    DWORD res, flags;

    /* TLS 1.0 only when asked for; otherwise "an incompatible SSL
     * protocol" (ERROR_WINHTTP_CONNECTION_ERROR in the Error Messages). */
    handshake_once("tls10", "localhost", &p, &res, &flags);
    ok_int(res, ERROR_WINHTTP_CONNECTION_ERROR);
    ok_int(flags, 0);
    p.secure_protocols = WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2 | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3;
    handshake_once("tls10", "localhost", &p, &res, &flags);
    ok_int(res, ERROR_WINHTTP_CONNECTION_ERROR);
    ok_int(flags, 0);
    /* SSL 3.0 is never negotiated: asking for it alone leaves nothing. */
    p.secure_protocols = WINHTTP_FLAG_SECURE_PROTOCOL_SSL3 | WINHTTP_FLAG_SECURE_PROTOCOL_SSL2;
    handshake_once("valid", "localhost", &p, &res, &flags);
    ok_int(res, ERROR_WINHTTP_CONNECTION_ERROR);
    ok_int(flags, 0);

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    p.secure_protocols = WINHTTP_FLAG_SECURE_PROTOCOL_ALL | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2;
    ok_int(client_open(&cl, ctx, server_port("tls10"), "localhost", &p), ERROR_SUCCESS);
    if (cl.conn && !tls_failure_flags(cl.conn))
    {
        tls_get_info(cl.conn, &info);
        ok_int(info.protocol, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1);
        ok(client_get(&cl), "GET over TLS 1.0 failed\n");
    }
    client_close(&cl);

    p.secure_protocols = 0;
    ok_int(client_open(&cl, ctx, server_port("tls12"), "localhost", &p), ERROR_SUCCESS);
    tls_get_info(cl.conn, &info);
    ok_int(info.protocol, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2);
    ok(info.cipher_bits >= 128, "cipher bits %u\n", info.cipher_bits);
    ok(*info.kx_name, "no key exchange name\n");
    ok(info.suite_id != 0, "no suite id for %s\n", info.suite_name);
    ok(!strcmp(info.alpn, "http/1.1") || !*info.alpn, "alpn %s\n", info.alpn);
    client_close(&cl);

    /* TLS 1.3 refused by the application: 1.2 it is. */
    p.secure_protocols = WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2;
    ok_int(client_open(&cl, ctx, server_port("valid"), "localhost", &p), ERROR_SUCCESS);
    tls_get_info(cl.conn, &info);
    ok_int(info.protocol, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2);
    client_close(&cl);
    tls_context_release(ctx);
}

static void check_resumption(const char *server)
{
    struct tls_params p = make_params(0);
    struct tls_der_list *chain = NULL;
    struct tls_context *ctx, *ctx2;
    struct tls_info info;
    struct client cl;

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    ok_int(client_open(&cl, ctx, server_port(server), "localhost", &p), ERROR_SUCCESS);
    ok(client_get(&cl), "GET failed\n");   /* TLS 1.3 tickets come with the data */
    client_close(&cl);

    ok_int(client_open(&cl, ctx, server_port(server), "localhost", &p), ERROR_SUCCESS);
    tls_get_info(cl.conn, &info);
    ok(info.resumed, "%s: second connection not resumed\n", server);
    /* The server's certificate is known on a resumed session too
     * (WINHTTP_OPTION_SERVER_CERT_CONTEXT). */
    ok_int(tls_peer_chain(cl.conn, &chain), ERROR_SUCCESS);
    ok(chain && chain->count == 1, "%s: no peer chain on the resumed session\n", server);
    free(chain);
    ok(client_get(&cl), "GET on the resumed session failed\n");
    client_close(&cl);

    /* Sessions are not shared between contexts (WinHTTP sessions). */
    ok_int(tls_context_create(&ctx2), ERROR_SUCCESS);
    ok_int(client_open(&cl, ctx2, server_port(server), "localhost", &p), ERROR_SUCCESS);
    tls_get_info(cl.conn, &info);
    ok(!info.resumed, "%s: resumed a session of another context\n", server);
    client_close(&cl);
    tls_context_release(ctx2);
    tls_context_release(ctx);
}

static void test_resumption(void)
{
    check_resumption("valid");
    check_resumption("tls12");
}

/* ------------------------------------------------------------------ */
/* Client certificates                                                 */

struct test_client_cert
{
    struct tls_client_cert base;
    gnutls_privkey_t key;
    gnutls_datum_t der;
    const unsigned char *ders[1];
    size_t lens[1];
    int signs[4];               /* by enum tls_sign_padding */
    int refs;                   /* references connections hold (when counted) */
};

static void test_addref(const struct tls_client_cert *cert)
{
    __atomic_add_fetch(&((struct test_client_cert *)cert)->refs, 1, __ATOMIC_SEQ_CST);
}

static void test_release(const struct tls_client_cert *cert)
{
    __atomic_sub_fetch(&((struct test_client_cert *)cert)->refs, 1, __ATOMIC_SEQ_CST);
}

static DWORD test_sign(const struct tls_client_cert *cert, enum tls_sign_padding padding, enum tls_hash hash,
                       const void *digest, size_t len, void *sig, size_t *sig_len)
{
    struct test_client_cert *tc = (struct test_client_cert *)cert;
    static const gnutls_sign_algorithm_t pkcs1[] = { 0, GNUTLS_SIGN_RSA_SHA1, GNUTLS_SIGN_RSA_SHA256,
                                                     GNUTLS_SIGN_RSA_SHA384, GNUTLS_SIGN_RSA_SHA512 };
    static const gnutls_sign_algorithm_t pss[] = { 0, 0, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256,
                                                   GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512 };
    static const gnutls_sign_algorithm_t ecdsa[] = { 0, GNUTLS_SIGN_ECDSA_SHA1, GNUTLS_SIGN_ECDSA_SHA256,
                                                     GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_SIGN_ECDSA_SHA512 };
    gnutls_datum_t in = { (unsigned char *)digest, len }, out, r, s;
    int ret;

    tc->signs[padding]++;
    switch (padding)
    {
    case TLS_SIGN_PKCS1:     ret = gnutls_privkey_sign_hash2(tc->key, pkcs1[hash], 0, &in, &out); break;
    case TLS_SIGN_PSS:       ret = gnutls_privkey_sign_hash2(tc->key, pss[hash], 0, &in, &out); break;
    case TLS_SIGN_PKCS1_RAW: ret = gnutls_privkey_sign_hash(tc->key, 0, GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA, &in, &out); break;
    case TLS_SIGN_ECDSA:     ret = gnutls_privkey_sign_hash2(tc->key, ecdsa[hash], 0, &in, &out); break;
    default:                 return ERROR_NOT_SUPPORTED;
    }
    if (ret < 0) return ERROR_NOT_SUPPORTED;
    if (padding == TLS_SIGN_ECDSA)
    {
        /* What NCryptSignHash gives: r || s, each the size of the P-256 order. */
        ret = gnutls_decode_rs_value(&out, &r, &s);
        gnutls_free(out.data);
        if (ret < 0 || r.size > 33 || s.size > 33 || *sig_len < 64) return ERROR_INVALID_PARAMETER;
        memset(sig, 0, 64);
        /* DER integers may carry a leading zero byte or be shorter. */
        if (r.size == 33) memcpy(sig, r.data + 1, 32); else memcpy((char *)sig + 32 - r.size, r.data, r.size);
        if (s.size == 33) memcpy((char *)sig + 32, s.data + 1, 32); else memcpy((char *)sig + 64 - s.size, s.data, s.size);
        *sig_len = 64;
        gnutls_free(r.data);
        gnutls_free(s.data);
        return ERROR_SUCCESS;
    }
    if (out.size > *sig_len)
    {
        gnutls_free(out.data);
        return ERROR_INVALID_PARAMETER;
    }
    memcpy(sig, out.data, out.size);
    *sig_len = out.size;
    gnutls_free(out.data);
    return ERROR_SUCCESS;
}

static BOOL load_test_client_cert(struct test_client_cert *tc, const char *name, BOOL can_pss)
{
    char file[64];
    gnutls_datum_t pem, key;
    gnutls_x509_crt_t crt;
    BOOL ret = FALSE;

    memset(tc, 0, sizeof(*tc));
    snprintf(file, sizeof(file), "%s.pem", name);
    if (!read_file(file, &pem)) return FALSE;
    snprintf(file, sizeof(file), "%s.key", name);
    if (!read_file(file, &key))
    {
        gnutls_free(pem.data);
        return FALSE;
    }
    gnutls_x509_crt_init(&crt);
    gnutls_privkey_init(&tc->key);
    if (gnutls_x509_crt_import(crt, &pem, GNUTLS_X509_FMT_PEM) >= 0 &&
        gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &tc->der) >= 0 &&
        gnutls_privkey_import_x509_raw(tc->key, &key, GNUTLS_X509_FMT_PEM, NULL, 0) >= 0)
    {
        tc->ders[0] = tc->der.data;
        tc->lens[0] = tc->der.size;
        tc->base.count = 1;
        tc->base.der = tc->ders;
        tc->base.der_len = tc->lens;
        tc->base.key_type = strcmp(name, "clientec") ? TLS_KEY_RSA : TLS_KEY_EC;
        tc->base.key_bits = tc->base.key_type == TLS_KEY_RSA ? 2048 : 256;
        tc->base.can_pss = can_pss;
        tc->base.sign = test_sign;
        ret = TRUE;
    }
    gnutls_x509_crt_deinit(crt);
    gnutls_free(pem.data);
    gnutls_free(key.data);
    return ret;
}

static void free_test_client_cert(struct test_client_cert *tc)
{
    gnutls_privkey_deinit(tc->key);
    gnutls_free(tc->der.data);
}

/* The raw subject DN of a PKI certificate. */
static BOOL subject_dn(const char *name, gnutls_datum_t *dn)
{
    gnutls_datum_t pem, raw;
    gnutls_x509_crt_t crt;
    BOOL ret = FALSE;

    if (!read_file(name, &pem)) return FALSE;
    gnutls_x509_crt_init(&crt);
    if (gnutls_x509_crt_import(crt, &pem, GNUTLS_X509_FMT_PEM) >= 0 && gnutls_x509_crt_get_raw_dn(crt, &raw) >= 0)
    {
        dn->data = gnutls_malloc(raw.size);
        memcpy(dn->data, raw.data, raw.size);
        dn->size = raw.size;
        gnutls_free(raw.data);
        ret = TRUE;
    }
    gnutls_x509_crt_deinit(crt);
    gnutls_free(pem.data);
    return ret;
}

static void check_cert_needed(const char *server)
{
    struct tls_params p = make_params(0);
    struct tls_der_list *names;
    gnutls_datum_t ca1, ca2;
    struct tls_context *ctx;
    struct client cl;
    unsigned int i, found = 0;

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    ok_int(client_open(&cl, ctx, server_port(server), "localhost", &p), ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED);
    ok_int(tls_failure_flags(cl.conn), 0);
    ok_int(tls_issuer_names(cl.conn, &names), ERROR_SUCCESS);
    ok_int(names->count, 2);
    ok(subject_dn("clientca1.pem", &ca1) && subject_dn("clientca2.pem", &ca2), "cannot read the client CAs\n");
    for (i = 0; i < names->count; i++)
    {
        if (names->item[i].len == ca1.size && !memcmp(names->item[i].data, ca1.data, ca1.size)) found |= 1;
        if (names->item[i].len == ca2.size && !memcmp(names->item[i].data, ca2.data, ca2.size)) found |= 2;
    }
    ok_int(found, 3);
    gnutls_free(ca1.data);
    gnutls_free(ca2.data);
    free(names);
    client_close(&cl);

    /* WINHTTP_NO_CLIENT_CERT_CONTEXT: go on without one. */
    p.no_client_cert = TRUE;
    ok_int(client_open(&cl, ctx, server_port(server), "localhost", &p), ERROR_SUCCESS);
    ok(client_get(&cl), "%s: GET without a client certificate failed\n", server);
    client_close(&cl);
    tls_context_release(ctx);
}

static void check_client_cert(const char *server, const char *cert_name, BOOL can_pss, DWORD protocols,
                              DWORD expect_protocol, enum tls_sign_padding expect_padding)
{
    struct tls_params p = make_params(0);
    struct test_client_cert tc;
    struct tls_context *ctx;
    struct tls_info info;
    struct client cl;
    DWORD res;

    if (!load_test_client_cert(&tc, cert_name, can_pss))
    {
        ok(0, "cannot load the client certificate\n");
        return;
    }
    p.client_cert = &tc.base;
    p.secure_protocols = protocols;
    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    res = client_open(&cl, ctx, server_port(server), "localhost", &p);
    ok(res == ERROR_SUCCESS, "%s pss %d: handshake with a client certificate: %u\n", server, can_pss, res);
    if (!res)
    {
        tls_get_info(cl.conn, &info);
        ok_int(info.protocol, expect_protocol);
        ok(tc.signs[expect_padding] == 1, "%s: %d signatures of kind %d (%d %d %d %d)\n", server,
           tc.signs[expect_padding], expect_padding, tc.signs[0], tc.signs[1], tc.signs[2], tc.signs[3]);
        ok(client_get(&cl), "%s: GET with a client certificate failed\n", server);
    }
    client_close(&cl);
    tls_context_release(ctx);
    free_test_client_cert(&tc);
}

static void test_client_certificates(void)
{
    struct tls_params p = make_params(0);
    DWORD res, flags;

    check_cert_needed("clientreq");
    check_cert_needed("clientreq12");
    /* A server that does not ask gets no certificate and no question. */
    handshake_once("valid", "localhost", &p, &res, &flags);
    ok_int(res, ERROR_SUCCESS);

    check_client_cert("clientneed", "client", TRUE, 0, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3, TLS_SIGN_PSS);
    check_client_cert("clientneed12", "client", TRUE, 0, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2, TLS_SIGN_PKCS1);
    /* A CryptoAPI key (no PSS): TLS 1.2 with PKCS #1 v1.5 even when 1.3 is possible. */
    check_client_cert("clientneed", "client", FALSE, 0, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2, TLS_SIGN_PKCS1);
    check_client_cert("clientneed12", "client", FALSE, 0, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2, TLS_SIGN_PKCS1);
    check_client_cert("clientreq", "client", FALSE, 0, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2, TLS_SIGN_PKCS1);
    /* ECDSA keys (CNG): the signer's r || s goes out DER-encoded. */
    check_client_cert("clientneed", "clientec", TRUE, 0, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3, TLS_SIGN_ECDSA);
    check_client_cert("clientneed12", "clientec", TRUE, 0, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2, TLS_SIGN_ECDSA);
    /* TLS 1.0 signs MD5+SHA-1 as it is. */
    check_client_cert("clientneed10", "client", FALSE, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1,
                      WINHTTP_FLAG_SECURE_PROTOCOL_TLS1, TLS_SIGN_PKCS1_RAW);
}

/* ------------------------------------------------------------------ */
/* Revocation                                                          */

static DWORD revocation_once(struct tls_context *ctx, const char *server, const char *answer, BOOL ignore_offline,
                             DWORD *flags, int *requests)
{
    struct tls_params p = make_params(0);
    struct client cl;
    DWORD res;

    p.check_revocation = TRUE;
    p.ignore_revocation_offline = ignore_offline;
    crl_answer = answer;
    res = client_open(&cl, ctx, server_port(server), "localhost", &p);
    *flags = cl.conn ? tls_failure_flags(cl.conn) : ~0u;
    *requests = cl.revocation_requests;
    if (!res) ok(client_get(&cl), "GET after the revocation check failed\n");
    client_close(&cl);
    return res;
}

static void test_revocation(void)
{
    struct tls_context *ctx;
    DWORD flags;
    int requests;

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    ok_int(revocation_once(ctx, "valid", "ca.crl", FALSE, &flags, &requests), ERROR_SUCCESS);
    ok_int(requests, 1);
    /* The CRL is kept for the session. */
    ok_int(revocation_once(ctx, "revoked", "ca.crl", FALSE, &flags, &requests), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(flags, WINHTTP_CALLBACK_STATUS_FLAG_CERT_REVOKED);
    ok_int(requests, 0);
    tls_context_release(ctx);

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    ok_int(revocation_once(ctx, "revoked", "ca.crl.pem", FALSE, &flags, &requests), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(flags, WINHTTP_CALLBACK_STATUS_FLAG_CERT_REVOKED);
    ok_int(requests, 1);
    tls_context_release(ctx);

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    /* Offline: CERT_REV_FAILED, unless the application says to go on. */
    ok_int(revocation_once(ctx, "valid", NULL, FALSE, &flags, &requests), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(flags, WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED);
    ok_int(revocation_once(ctx, "valid", NULL, TRUE, &flags, &requests), ERROR_SUCCESS);
    tls_context_release(ctx);

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    /* Garbage, or a CRL signed by someone else, is no answer. */
    ok_int(revocation_once(ctx, "valid", "this is not a CRL", FALSE, &flags, &requests), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(flags, WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED);
    ok_int(revocation_once(ctx, "valid", "clientca1.pem", FALSE, &flags, &requests), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(flags, WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED);
    /* No distribution point: the status cannot be known. */
    ok_int(revocation_once(ctx, "nocdp", "ca.crl", FALSE, &flags, &requests), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(flags, WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED);
    ok_int(requests, 0);
    tls_context_release(ctx);
}

/* OCSP first where the certificate names a responder (GET, RFC 6960 A.1),
 * its CRL when the responder cannot answer. */
static void test_ocsp(void)
{
    struct tls_context *ctx;
    DWORD flags;
    int requests;

    if (system("command -v openssl >/dev/null"))
    {
        printf("no openssl: OCSP not tested\n");
        return;
    }
    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    ocsp_offline = FALSE;
    ocsp_requests = 0;
    ok_int(revocation_once(ctx, "ocspgood", "ca.crl", FALSE, &flags, &requests), ERROR_SUCCESS);
    ok_int(requests, 1);
    ok_int(ocsp_requests, 1);
    ok_int(revocation_once(ctx, "ocsprevoked", "ca.crl", FALSE, &flags, &requests), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(flags, WINHTTP_CALLBACK_STATUS_FLAG_CERT_REVOKED);
    ok_int(revocation_once(ctx, "ocspcrl", "ca.crl", FALSE, &flags, &requests), ERROR_SUCCESS);
    ok_int(requests, 1);
    tls_context_release(ctx);

    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    ocsp_offline = TRUE;
    ocsp_requests = 0;
    ok_int(revocation_once(ctx, "ocspgood", "ca.crl", FALSE, &flags, &requests), ERROR_WINHTTP_SECURE_FAILURE);
    ok_int(flags, WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED);
    /* The responder is down: the CRL answers. */
    ok_int(revocation_once(ctx, "ocspcrl", "ca.crl", FALSE, &flags, &requests), ERROR_SUCCESS);
    ok_int(requests, 2);
    ok_int(ocsp_requests, 2);
    ocsp_offline = FALSE;
    tls_context_release(ctx);
}

/* ------------------------------------------------------------------ */
/* Hostile servers                                                     */

enum hostile
{
    H_CLOSE,                /* accept and close */
    H_RESET,                /* accept and reset */
    H_GARBAGE,              /* answer in HTTP */
    H_SILENT,               /* accept and say nothing */
    H_TRUNCATED_HANDSHAKE,  /* part of a handshake record, then close */
    H_DATA_TCP_CLOSE,       /* TLS, "hello", TCP close without close_notify */
    H_DATA_CLOSE_NOTIFY,    /* TLS, "hello", close_notify */
    H_TRUNCATED_RECORD,     /* TLS, then half an application data record, then close */
    H_OVERSIZED_RECORD,     /* TLS, then a record longer than TLS allows */
    H_RENEGOTIATE,          /* TLS 1.2, then HelloRequest, a new handshake, "hello" */
    H_RENEGOTIATE_CERT,     /* the same, asking for a client certificate in the new handshake */
};

struct hostile_server
{
    enum hostile kind;
    int listen_fd, port;
    pthread_t thread;
    int stop_pipe[2];
};

static void send_raw(int fd, const void *buf, size_t len)
{
    if (send(fd, buf, len, MSG_NOSIGNAL) < 0) { /* the client may be gone */ }
}

static void *hostile_thread(void *arg)
{
    struct hostile_server *hs = arg;
    static const unsigned char half_hello[] = { 0x16, 0x03, 0x03, 0x00, 0x50, 0x02, 0x00, 0x00, 0x4c, 0x03, 0x03 };
    static const unsigned char half_data[] = { 0x17, 0x03, 0x03, 0x01, 0x00, 1, 2, 3, 4, 5, 6, 7, 8 };
    static const unsigned char huge[] = { 0x17, 0x03, 0x03, 0xff, 0xff };
    gnutls_certificate_credentials_t cred = NULL;
    gnutls_session_t session = NULL;
    char cert[PATH_MAX], key[PATH_MAX], buf[4096];
    struct linger lin = { 1, 0 };
    struct pollfd pfd;
    int fd, ret, i;

    if ((fd = accept(hs->listen_fd, NULL, NULL)) < 0) return NULL;
    switch (hs->kind)
    {
    case H_CLOSE:
        break;
    case H_RESET:
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
        break;
    case H_GARBAGE:
        if (recv(fd, buf, sizeof(buf), 0) > 0)
            send_raw(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", 47);
        break;
    case H_SILENT:
        pfd.fd = hs->stop_pipe[0];
        pfd.events = POLLIN;
        poll(&pfd, 1, 10000);
        break;
    case H_TRUNCATED_HANDSHAKE:
        if (recv(fd, buf, sizeof(buf), 0) > 0) send_raw(fd, half_hello, sizeof(half_hello));
        break;
    default:
        pki_path(cert, sizeof(cert), "valid.pem");
        pki_path(key, sizeof(key), "valid.key");
        gnutls_certificate_allocate_credentials(&cred);
        gnutls_certificate_set_x509_key_file(cred, cert, key, GNUTLS_X509_FMT_PEM);
        gnutls_init(&session, GNUTLS_SERVER);
        gnutls_priority_set_direct(session, hs->kind == H_RENEGOTIATE || hs->kind == H_RENEGOTIATE_CERT ?
                                   "NORMAL:-VERS-ALL:+VERS-TLS1.2" : "NORMAL", NULL);
        gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, cred);
        gnutls_transport_set_int(session, fd);
        do ret = gnutls_handshake(session); while (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
        if (ret < 0) break;
        switch (hs->kind)
        {
        case H_DATA_TCP_CLOSE:
            gnutls_record_send(session, "hello", 5);
            break;
        case H_DATA_CLOSE_NOTIFY:
            gnutls_record_send(session, "hello", 5);
            gnutls_bye(session, GNUTLS_SHUT_WR);
            break;
        case H_TRUNCATED_RECORD:
            gnutls_record_send(session, "hello", 5);
            send_raw(fd, half_data, sizeof(half_data));
            break;
        case H_OVERSIZED_RECORD:
            send_raw(fd, huge, sizeof(huge));
            memset(buf, 0x55, sizeof(buf));
            for (i = 0; i < 16; i++) send_raw(fd, buf, sizeof(buf));
            break;
        case H_RENEGOTIATE:
        case H_RENEGOTIATE_CERT:
            /* Like Apache's per-directory SSLVerifyClient. */
            if (hs->kind == H_RENEGOTIATE_CERT) gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUIRE);
            gnutls_rehandshake(session);
            gnutls_handshake_set_timeout(session, 2000);
            do ret = gnutls_handshake(session); while (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
            if (ret < 0) break;
            gnutls_record_send(session, "hello", 5);
            gnutls_bye(session, GNUTLS_SHUT_WR);
            break;
        default:
            break;
        }
        break;
    }
    if (session) gnutls_deinit(session);
    if (cred) gnutls_certificate_free_credentials(cred);
    close(fd);
    return NULL;
}

static BOOL hostile_start(struct hostile_server *hs, enum hostile kind)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sin);

    memset(hs, 0, sizeof(*hs));
    hs->kind = kind;
    if (pipe(hs->stop_pipe)) return FALSE;
    if ((hs->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) return FALSE;
    if (bind(hs->listen_fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(hs->listen_fd, 1) ||
        getsockname(hs->listen_fd, (struct sockaddr *)&sin, &len))
        return FALSE;
    hs->port = ntohs(sin.sin_port);
    return !pthread_create(&hs->thread, NULL, hostile_thread, hs);
}

static void hostile_stop(struct hostile_server *hs)
{
    if (write(hs->stop_pipe[1], "x", 1) != 1) { /* the thread will time out */ }
    pthread_join(hs->thread, NULL);
    close(hs->listen_fd);
    close(hs->stop_pipe[0]);
    close(hs->stop_pipe[1]);
}

static void check_hostile_handshake(enum hostile kind, int timeout_ms, DWORD expect)
{
    struct tls_params p = make_params(0);
    struct hostile_server hs;
    struct tls_context *ctx;
    struct client cl;
    DWORD res;

    if (!hostile_start(&hs, kind))
    {
        ok(0, "cannot start hostile server %d\n", kind);
        return;
    }
    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    memset(&cl, 0, sizeof(cl));
    cl.sock.fd = tcp_connect(hs.port);
    ok_int(tls_conn_create(ctx, &cl.sock, "localhost", &p, &cl.conn), ERROR_SUCCESS);
    res = drive_handshake(&cl, timeout_ms);
    ok(res == expect, "hostile %d: expected %u, got %u\n", kind, expect, res);
    ok_int(tls_failure_flags(cl.conn), 0);
    client_close(&cl);
    hostile_stop(&hs);
    tls_context_release(ctx);
}

/* Handshake fine, then the server misbehaves: what tls_recv says. */
static void check_hostile_data_(enum hostile kind, const struct tls_client_cert *cert, const char *expect_data,
                                DWORD expect);
static void check_hostile_data(enum hostile kind, const char *expect_data, DWORD expect)
{
    check_hostile_data_(kind, NULL, expect_data, expect);
}

static void check_hostile_data_(enum hostile kind, const struct tls_client_cert *cert, const char *expect_data,
                                DWORD expect)
{
    struct tls_params p = make_params(0);
    struct hostile_server hs;
    struct tls_context *ctx;
    struct client cl;
    char buf[256];
    size_t len;
    DWORD res;

    if (!hostile_start(&hs, kind))
    {
        ok(0, "cannot start hostile server %d\n", kind);
        return;
    }
    p.client_cert = cert;
    ok_int(tls_context_create(&ctx), ERROR_SUCCESS);
    memset(&cl, 0, sizeof(cl));
    cl.sock.fd = tcp_connect(hs.port);
    ok_int(tls_conn_create(ctx, &cl.sock, "localhost", &p, &cl.conn), ERROR_SUCCESS);
    ok_int(drive_handshake(&cl, 5000), ERROR_SUCCESS);
    res = client_read_all(&cl, buf, sizeof(buf), &len);
    ok(res == expect, "hostile %d: expected %u, got %u\n", kind, expect, res);
    if (expect_data && !res) ok(!strcmp(buf, expect_data), "hostile %d: got \"%s\"\n", kind, buf);
    client_close(&cl);
    hostile_stop(&hs);
    tls_context_release(ctx);
}

static void test_hostile_servers(void)
{
    check_hostile_handshake(H_CLOSE, 5000, ERROR_WINHTTP_CONNECTION_ERROR);
    check_hostile_handshake(H_RESET, 5000, ERROR_WINHTTP_CONNECTION_ERROR);
    check_hostile_handshake(H_GARBAGE, 5000, ERROR_WINHTTP_SECURE_CHANNEL_ERROR);
    check_hostile_handshake(H_TRUNCATED_HANDSHAKE, 5000, ERROR_WINHTTP_CONNECTION_ERROR);
    /* No hang: the caller's wait times out. */
    check_hostile_handshake(H_SILENT, 300, ERROR_WINHTTP_TIMEOUT);

    check_hostile_data(H_DATA_CLOSE_NOTIFY, "hello", ERROR_SUCCESS);
    check_hostile_data(H_DATA_TCP_CLOSE, "hello", ERROR_SUCCESS);
    check_hostile_data(H_TRUNCATED_RECORD, NULL, ERROR_WINHTTP_CONNECTION_ERROR);
    check_hostile_data(H_OVERSIZED_RECORD, NULL, ERROR_WINHTTP_SECURE_CHANNEL_ERROR);
    /* A new handshake the server asks for is made, as on Windows; one
     * that wants a client certificate we do not have stops there. */
    check_hostile_data(H_RENEGOTIATE, "hello", ERROR_SUCCESS);
    check_hostile_data(H_RENEGOTIATE_CERT, NULL, ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED);
    {
        struct test_client_cert tc;

        if (load_test_client_cert(&tc, "client", FALSE))
        {
            /* A certificate the connection holds a reference on is there
             * for the new handshake too; one it does not is not. */
            check_hostile_data_(H_RENEGOTIATE_CERT, &tc.base, NULL, ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED);
            ok_int(tc.signs[TLS_SIGN_PKCS1], 0);
            tc.base.addref = test_addref;
            tc.base.release = test_release;
            check_hostile_data_(H_RENEGOTIATE_CERT, &tc.base, "hello", ERROR_SUCCESS);
            ok(tc.signs[TLS_SIGN_PKCS1] + tc.signs[TLS_SIGN_PKCS1_RAW] + tc.signs[TLS_SIGN_PSS] > 0,
               "the client key did not sign\n");
            ok_int(tc.refs, 0);
            free_test_client_cert(&tc);
        }
        else ok(0, "cannot load the client certificate\n");
    }
}

/* Garbage as the server's certificate chain is parsed without harm. */
static void test_server_end_point_input(void)
{
    unsigned char hash[64];
    size_t len = 99;

    ok_int(tls_server_end_point("junk", 4, hash, &len), ERROR_INVALID_PARAMETER);
    ok_int(len, 0);
}

int main(void)
{
    const char *t = getenv("WINHTTP_UNIT_TRACE");

    trace_on = t && *t && strcmp(t, "0");
    signal(SIGPIPE, SIG_IGN);
    if (system("command -v gnutls-serv >/dev/null && command -v certtool >/dev/null"))
    {
        printf("gnutls-serv or certtool missing (Debian package gnutls-bin)\n");
        ok(0, "gnutls-bin is not installed\n");
        return unit_summary();
    }
    if (!make_pki())
    {
        ok(0, "tests/peers/tls/mkcerts failed\n");
        remove_pki();
        return unit_summary();
    }
    if (!load_store_root())
    {
        ok(0, "cannot read the test CA\n");
        remove_pki();
        return unit_summary();
    }

    run_test(test_valid);
    run_test(test_chain_info);
    run_test(test_verify_answers);
    run_test(test_bad_certificates);
    run_test(test_host_names);
    run_test(test_sni);
    run_test(test_ignore_flags);
    run_test(test_verified_once);
    run_test(test_changed_certificate);
    run_test(test_threads);
    run_test(test_protocols);
    run_test(test_resumption);
    run_test(test_client_certificates);
    run_test(test_revocation);
    run_test(test_ocsp);
    run_test(test_hostile_servers);
    run_test(test_server_end_point_input);

    stop_servers();
    remove_pki();
    return unit_summary();
}
