/*
 * TLS: the layer between a connection's socket and HTTP (tls_gnutls.c, the
 * Unix side, built on GnuTLS) and the Windows structures made from what it
 * negotiated (cert.c: crypt32 CERT_CONTEXTs, WINHTTP_CERTIFICATE_INFO, the
 * client certificate issuer list, channel bindings).
 *
 * Like net.c, every I/O function is non-blocking: ERROR_IO_PENDING comes with
 * *want set to NET_WANT_READ or NET_WANT_WRITE (wait for the socket with
 * net_wait or the event loop, then call the same function again), or, from
 * tls_handshake only, TLS_WANT_VERIFY (verify the server's chain against the
 * Windows certificate stores, hand the result to tls_verify_result(), then
 * call again) or TLS_WANT_REVOCATION (fetch tls_revocation_url() and hand
 * the answer to tls_revocation_response(), then call again).
 *
 * Objects and threads
 *   struct tls_context   one per WinHTTP session: the session-resumption
 *                        cache and the "verified once per session" cache
 *                        (see below), plus CRLs fetched for revocation
 *                        checks.  Reference counted; all functions are
 *                        thread-safe (an internal lock guards the caches).
 *   struct tls_conn      one per TLS connection, used by one thread at a
 *                        time (like the connection that owns it).  It keeps a
 *                        reference on its context.  It does not own the
 *                        net_socket: free the tls_conn first, then close the
 *                        socket.
 *   The GnuTLS credentials are process-wide, set up on the first
 *   tls_context_create().  This layer has no trust store of its own: trust
 *   is the Windows side's business (TLS_WANT_VERIFY), as on Windows, where
 *   a root that an administrator or a program added to the ROOT store, or a
 *   policy, is trusted.  Nothing in the environment changes what is trusted.
 *
 * Validation follows Windows.  The Windows side builds the chain with
 * crypt32 and the certificate stores and reports what is wrong with it:
 * no path to a trusted root, validity dates, extended key usage
 * (serverAuth), explicit distrust (see tls_verify_result).  This layer adds
 * the host name (SAN dNSName with a left-most wildcard, iPAddress for IP
 * literals, the subject CN only when the certificate has no SAN), the
 * signatures along the path crypt32 built, and, when asked, revocation
 * through OCSP and CRLs.  Each problem is one
 * WINHTTP_CALLBACK_STATUS_FLAG_*; SECURITY_FLAG_IGNORE_* drop exactly their
 * flag; what remains fails the handshake with ERROR_WINHTTP_SECURE_FAILURE
 * and tls_failure_flags() says why.  Server certificates are verified once
 * per session (WinHTTP Security Considerations): once a server's certificate
 * passed, later connections of the same context to the same host:port only
 * compare its SHA-256 fingerprint; a different certificate is verified in
 * full, and flags changed after the first verification only apply to new
 * contexts.  Resumed sessions were verified when first established.
 */
#ifndef WINHTTP_TLS_H
#define WINHTTP_TLS_H

#include <stddef.h>

struct net_socket;
struct tls_context;
struct tls_conn;
struct tls_der_list;

/* tls_handshake's other kinds of wait (NET_WANT_READ 1, NET_WANT_WRITE 2). */
#define TLS_WANT_REVOCATION 4
#define TLS_WANT_VERIFY     8

/* ALPN protocols offered (tls_params.alpn). */
#define TLS_ALPN_HTTP11 0x1
#define TLS_ALPN_H2     0x2

/* ------------------------------------------------------------------ */
/* Client certificates                                                 */

/* What the signer is asked to produce (tls_client_cert.sign). */
enum tls_sign_padding
{
    TLS_SIGN_PKCS1,     /* RSA PKCS #1 v1.5 over a digest of algorithm hash */
    TLS_SIGN_PKCS1_RAW, /* RSA PKCS #1 v1.5 over 36 bytes MD5+SHA-1, no DigestInfo (TLS 1.0/1.1) */
    TLS_SIGN_PSS,       /* RSA-PSS, MGF1 with hash, salt as long as the digest (RFC 8446) */
    TLS_SIGN_ECDSA,     /* ECDSA; the signature is r || s, each as long as the curve's order */
};
enum tls_hash { TLS_HASH_NONE, TLS_HASH_SHA1, TLS_HASH_SHA256, TLS_HASH_SHA384, TLS_HASH_SHA512 };
enum tls_key_type { TLS_KEY_RSA, TLS_KEY_EC };

/* A client certificate: its chain (DER, the client's certificate first) and
 * a signer for its private key, so the key never has to leave its container.
 * cert.c makes one from a crypt32 CERT_CONTEXT (cert_client_create).  The
 * TLS layer reads the fields and calls sign() during tls_handshake, and,
 * when a TLS 1.2 server asks again by renegotiating, during tls_recv: a
 * connection holds a reference (addref, release) for as long as it lives.
 * Without addref the certificate is used in the first handshake only. */
struct tls_client_cert
{
    unsigned int count;
    const unsigned char *const *der;
    const size_t *der_len;
    enum tls_key_type key_type;
    unsigned int key_bits;
    BOOL can_pss;               /* RSA-PSS available (TLS 1.3 needs it for RSA keys) */
    /* Sign digest[0..len) into sig (room *sig_len, at most 1024 bytes is
     * asked); ERROR_SUCCESS with *sig_len set, or a Win32 error. */
    DWORD (*sign)(const struct tls_client_cert *cert, enum tls_sign_padding padding, enum tls_hash hash,
                  const void *digest, size_t len, void *sig, size_t *sig_len);
    void (*addref)(const struct tls_client_cert *cert);
    void (*release)(const struct tls_client_cert *cert);
};

/* ------------------------------------------------------------------ */
/* Contexts and connections                                            */

struct tls_params
{
    DWORD secure_protocols;     /* WINHTTP_FLAG_SECURE_PROTOCOL_*; 0 means TLS 1.2 | TLS 1.3.  SSL 2.0
                                 * and 3.0 are never negotiated; TLS 1.0 and 1.1 only when set here. */
    DWORD security_flags;       /* SECURITY_FLAG_IGNORE_UNKNOWN_CA, _CERT_DATE_INVALID, _CERT_CN_INVALID,
                                 * _CERT_WRONG_USAGE */
    BOOL check_revocation;      /* WINHTTP_ENABLE_SSL_REVOCATION */
    BOOL ignore_revocation_offline; /* WINHTTP_OPTION_IGNORE_CERT_REVOCATION_OFFLINE: no CERT_REV_FAILED */
    const struct tls_client_cert *client_cert;  /* NULL: none set */
    BOOL no_client_cert;        /* WINHTTP_NO_CLIENT_CERT_CONTEXT: answer a certificate request with none */
    unsigned int alpn;          /* TLS_ALPN_*; 0 offers no ALPN */
    unsigned short port;        /* the server's port: with the host, the key of the per-context caches */
};

/* A new context with one reference (or ERROR_OUTOFMEMORY).  If GnuTLS cannot be set up, the
 * context's connections fail their handshake with
 * ERROR_WINHTTP_SECURE_FAILURE and the SECURITY_CHANNEL_ERROR flag. */
DWORD tls_context_create(struct tls_context **ctx);
struct tls_context *tls_context_addref(struct tls_context *ctx);
void tls_context_release(struct tls_context *ctx);

/* A client-side TLS connection over sock (already connected, non-blocking)
 * to host: UTF-8, an ASCII (punycode) name or an IP literal, IPv6 with or
 * without brackets.  host is checked against the certificate and sent as SNI
 * unless it is an IP literal.  params is copied (client_cert is only
 * referenced, see struct tls_client_cert).  Nothing is sent yet. */
DWORD tls_conn_create(struct tls_context *ctx, struct net_socket *sock, const char *host,
                      const struct tls_params *params, struct tls_conn **conn);

/* Drive the handshake.  ERROR_SUCCESS: established and verified.
 * ERROR_IO_PENDING: *want is NET_WANT_READ, NET_WANT_WRITE, TLS_WANT_VERIFY
 *   or TLS_WANT_REVOCATION.
 * ERROR_WINHTTP_SECURE_FAILURE: see tls_failure_flags().
 * ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED: the server asked for a client
 *   certificate and params had neither client_cert nor no_client_cert; the
 *   names the server accepts are in tls_issuer_names().
 * ERROR_WINHTTP_CONNECTION_ERROR: the connection was reset or closed in the
 *   handshake, or no protocol version or cipher suite is acceptable to both
 *   sides ("an incompatible SSL protocol", Error Messages reference).
 * ERROR_WINHTTP_SECURE_CHANNEL_ERROR: a failure of the secure channel itself
 *   (what schannel reports as SEC_E_*): not TLS at all, malformed or
 *   undecryptable messages, the server's fatal alerts; but the alert
 *   certificate_expired (our client certificate) is SEC_E_CERT_EXPIRED
 *   itself, as schannel says it.
 * Also the errors of net_try_send/net_try_recv
 *   (ERROR_WINHTTP_OPERATION_CANCELLED after net_abort). */
DWORD tls_handshake(struct tls_conn *conn, int *want);

/* WINHTTP_CALLBACK_STATUS_FLAG_* bits after ERROR_WINHTTP_SECURE_FAILURE:
 * certificate problems (CERT_REV_FAILED, INVALID_CERT, CERT_REVOKED,
 * INVALID_CA, CERT_CN_INVALID, CERT_DATE_INVALID, CERT_WRONG_USAGE) minus
 * those ignored, or SECURITY_CHANNEL_ERROR when GnuTLS could not be set up
 * ("an internal error loading the SSL libraries").  0 otherwise. */
DWORD tls_failure_flags(struct tls_conn *conn);

/* Trust: tls_handshake returned ERROR_IO_PENDING with TLS_WANT_VERIFY as
 * soon as the server's Certificate message arrived (a certificate this
 * context verified before for the same host and port needs no step), so a
 * server that fails never gets our client certificate nor a Finished.
 * tls_peer_chain() gives the certificates it sent.  Build their chain the
 * way Windows does (cert.c: cert_verify_tls, CertGetCertificateChain with
 * the machine's and the user's stores) and pass what that found:
 *   flags  the WINHTTP_CALLBACK_STATUS_FLAG_* of the chain: INVALID_CA (no
 *          path to a trusted root), CERT_DATE_INVALID, CERT_WRONG_USAGE,
 *          INVALID_CERT, CERT_REVOKED;
 *   path   the chain it built, DER, the server's certificate first, then
 *          each issuer, the root last when it found one; NULL if none.
 * then call tls_handshake again.  This layer adds the host name and the
 * signatures along path (GnuTLS), applies SECURITY_FLAG_IGNORE_*, and goes
 * on or fails with ERROR_WINHTTP_SECURE_FAILURE.  Revocation, when asked,
 * checks each certificate of path but the root. */
void tls_verify_result(struct tls_conn *conn, DWORD flags, const struct tls_der_list *path);

/* Revocation (params.check_revocation): tls_handshake returned
 * ERROR_IO_PENDING with TLS_WANT_REVOCATION.  GET this http URL the way the
 * session fetches anything (its proxy, its proxy credentials), then pass
 * the body of a 200 answer, or NULL when the fetch failed, and call
 * tls_handshake again.  The URL is an OCSP request in GET form (RFC 6960
 * A.1) when the certificate names a responder, else (or when the responder
 * cannot answer) its CRL distribution point.  Each certificate of the chain
 * but the trust anchor is checked; one without either, or whose answers
 * are unusable, is CERT_REV_FAILED.  The context caches the answers until
 * their nextUpdate. */
const char *tls_revocation_url(struct tls_conn *conn);
void tls_revocation_response(struct tls_conn *conn, const void *data, size_t len);

/* Application data, after a successful handshake.  tls_send: *sent bytes
 * of buf were taken (a TLS record at most); after ERROR_IO_PENDING call
 * again with the same buf and len (GnuTLS has already encrypted them).
 * tls_recv: *received 0 means the server closed, with close_notify or with
 * a plain TCP close between records (servers do that); a close inside a
 * record is ERROR_WINHTTP_CONNECTION_ERROR; oversized or undecryptable
 * records are ERROR_WINHTTP_SECURE_CHANNEL_ERROR.  A TLS 1.2 server may
 * start a new handshake (RFC 5746 secure renegotiation only), typically to
 * ask for a client certificate for one resource (Apache's per-directory
 * SSLVerifyClient): tls_recv drives it, with the same waits, and may fail
 * like tls_handshake, with ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED when the
 * connection has no certificate to give. */
DWORD tls_send(struct tls_conn *conn, const void *buf, size_t len, size_t *sent, int *want);
DWORD tls_recv(struct tls_conn *conn, void *buf, size_t len, size_t *received, int *want);
/* Bytes TLS already holds (decrypted, or read from the socket ahead of
 * decryption): while non-zero, tls_recv gets them without the socket being
 * readable, so do not wait for readability. */
size_t tls_pending(struct tls_conn *conn);
/* Sends close_notify if it can without blocking, saves the session for
 * resumption, frees.  NULL is fine. */
void tls_conn_free(struct tls_conn *conn);

/* ------------------------------------------------------------------ */
/* What was negotiated                                                 */

struct tls_info
{
    DWORD protocol;             /* WINHTTP_FLAG_SECURE_PROTOCOL_TLS1 ... _TLS1_3 */
    const char *protocol_name;  /* "TLS1.3" */
    const char *cipher_name;    /* "AES-256-GCM" */
    const char *mac_name;       /* "AEAD", "SHA1", ... */
    const char *kx_name;        /* "ECDHE-RSA", "ECDHE-ECDSA" ...; "" for TLS 1.3 */
    const char *group_name;     /* "X25519", "SECP256R1" ... or "" */
    const char *suite_name;     /* IANA name, "TLS_AES_256_GCM_SHA384"; "" if unknown */
    unsigned short suite_id;    /* IANA number, 0x1302 */
    unsigned int cipher_bits;   /* WINHTTP_OPTION_SECURITY_KEY_BITNESS */
    unsigned int mac_bits;      /* of the MAC or (AEAD suites) the PRF hash */
    unsigned int kx_bits;       /* of the key exchange group */
    BOOL resumed;
    const char *alpn;           /* the protocol the server chose, or "" */
};
/* Strings are static.  Only after a successful handshake. */
void tls_get_info(struct tls_conn *conn, struct tls_info *info);

/* DER blobs in one malloc'ed block: free() it. */
struct tls_der_list
{
    unsigned int count;
    struct { const unsigned char *data; size_t len; } item[1];
};
/* The server's certificate chain as it sent it, its own first. */
DWORD tls_peer_chain(struct tls_conn *conn, struct tls_der_list **chain);
/* The distinguished names (DER) of the server's CertificateRequest: count 0
 * when it sent none or did not ask. */
DWORD tls_issuer_names(struct tls_conn *conn, struct tls_der_list **names);
/* RFC 5929 tls-server-end-point of a DER certificate: its hash with the
 * hash of its signature algorithm, SHA-256 instead of MD5 or SHA-1.
 * hash gets up to 64 bytes. */
DWORD tls_server_end_point(const void *der, size_t len, unsigned char hash[64], size_t *hash_len);

#endif /* WINHTTP_TLS_H */
