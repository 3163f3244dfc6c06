/*
 * The Windows side of TLS (cert.c): crypt32 and SSPI structures made from
 * what the TLS layer (tls.h) negotiated, for the options that expose them,
 * and client certificates from crypt32 contexts for the TLS layer.
 *
 * Include wincrypt.h (and schannel.h for cert_security_info) before this.
 * Every function returns a Win32 error code.  Nothing here keeps state: the
 * engine may call them from any thread.
 */
#ifndef WINHTTP_CERT_H
#define WINHTTP_CERT_H

#include "tls.h"

/* WINHTTP_OPTION_SERVER_CERT_CONTEXT: a new CERT_CONTEXT for the server's
 * certificate (chain[0]); its store (hCertStore) also holds the rest of
 * the chain the server sent, so CertGetCertificateChain finds the
 * intermediates.  The caller (the application) frees it with
 * CertFreeCertificateContext. */
DWORD cert_context_from_chain(const struct tls_der_list *chain, const CERT_CONTEXT **context);

/* WINHTTP_OPTION_SERVER_CERT_CHAIN_CONTEXT: the chain cert_verify_tls
 * builds (CertGetCertificateChain on the above for TLS servers, no network
 * retrieval); freed with CertFreeCertificateChain. */
DWORD cert_chain_context_from_chain(const struct tls_der_list *chain, const CERT_CHAIN_CONTEXT **context);

/* WINHTTP_OPTION_SECURITY_CERTIFICATE_STRUCT: validity dates, subject and
 * issuer ("US\r\nState\r\nOrg\r\nName", LocalAlloc'ed: the application
 * LocalFree's them), the protocol/algorithm names NULL as documented, and
 * dwKeySize = key_bits (the negotiated cipher's strength). */
DWORD cert_info_from_chain(const struct tls_der_list *chain, DWORD key_bits, WINHTTP_CERTIFICATE_INFO *info);

/* WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST: a SecPkgContext_IssuerListInfoEx
 * with the names of the server's CertificateRequest, the structure, the
 * CERT_NAME_BLOB array and the names in one GlobalAlloc'ed block, so that
 * the application's GlobalFree frees all (KB909425). */
DWORD cert_issuer_list(const struct tls_der_list *names, void **list);

/* WINHTTP_OPTION_SERVER_CBT: a SecPkgContext_Bindings whose Bindings point
 * right behind it, in buffer, to a SEC_CHANNEL_BINDINGS whose application
 * data is "tls-server-end-point:" and the RFC 5929 hash of chain[0].
 * ERROR_INSUFFICIENT_BUFFER with *size set when buffer is NULL or small. */
DWORD cert_channel_bindings(const struct tls_der_list *chain, void *buffer, DWORD *size);

/* SECURITY_FLAG_SECURE and the SECURITY_FLAG_STRENGTH_* of a connection,
 * for WINHTTP_OPTION_SECURITY_FLAGS. */
DWORD cert_security_flags(const struct tls_info *info);

#ifdef SECPKG_ATTR_CIPHER_INFO
/* WINHTTP_OPTION_SECURITY_INFO. */
void cert_security_info(const struct tls_info *info, SecPkgContext_ConnectionInfo *conn, SecPkgContext_CipherInfo *cipher);
#endif

/* A client certificate for tls_params.client_cert from the context the
 * application set (WINHTTP_OPTION_CLIENT_CERT_CONTEXT).  The private key
 * stays in its CryptoAPI or CNG container (CryptAcquireCertificatePrivateKey)
 * and signs through it.  ERROR_WINHTTP_CLIENT_CERT_NO_PRIVATE_KEY when the
 * certificate has no key, ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY
 * when it cannot be opened.  cert_client_free drops the caller's reference;
 * TLS connections hold their own (tls_client_cert.addref). */
DWORD cert_client_create(const CERT_CONTEXT *cert, struct tls_client_cert **client);
void cert_client_free(struct tls_client_cert *client);

/* The TLS layer's TLS_WANT_VERIFY step (tls.h): build the server's chain
 * the way Windows does, with crypt32 and the machine's and the user's
 * certificate stores (on Wine, ROOT holds the host's /etc/ssl/certs too),
 * so that a root an administrator or a program added to ROOT, the registry
 * or a policy is trusted and one removed is not, and hand what it found
 * to tls_verify_result.  Always calls tls_verify_result; the return value
 * is for traces.  May take a few hundred milliseconds the first time in the
 * process and after the stores changed (crypt32 reads them again). */
DWORD cert_verify_tls(struct tls_conn *conn);

/* Conveniences over a live connection: tls_peer_chain / tls_issuer_names
 * and the above. */
DWORD cert_context_from_tls(struct tls_conn *conn, const CERT_CONTEXT **context);
DWORD cert_issuer_list_from_tls(struct tls_conn *conn, void **list);

#endif /* WINHTTP_CERT_H */
