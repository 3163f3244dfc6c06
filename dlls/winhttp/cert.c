/*
 * The Windows side of TLS: crypt32 contexts, WINHTTP_CERTIFICATE_INFO, the
 * client certificate issuer list, channel bindings and cipher information
 * from what tls_gnutls.c negotiated; and client certificates whose private
 * key stays in its CryptoAPI or CNG container (see cert.h).
 */
#include "winhttp_private.h"
#include "wincrypt.h"
#include "schannel.h"
#include "sspi.h"
#include "bcrypt.h"
#include "ncrypt.h"
#include "cert.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* Newer SDK values Wine 8's headers lack (CryptAcquireCertificatePrivateKey). */
#ifndef CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG
#define CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG 0x00010000
#endif
#ifndef CERT_NCRYPT_KEY_SPEC
#define CERT_NCRYPT_KEY_SPEC 0xffffffff
#endif

/* ------------------------------------------------------------------ */
/* Server certificates                                                 */

DWORD cert_context_from_chain(const struct tls_der_list *chain, const CERT_CONTEXT **context)
{
    HCERTSTORE store;
    unsigned int i;
    DWORD err;

    *context = NULL;
    if (!chain || !chain->count) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    if (!(store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, CERT_STORE_CREATE_NEW_FLAG, NULL)))
        return GetLastError();
    /* The intermediates ride along in the context's store. */
    for (i = 1; i < chain->count; i++)
        if (!CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, chain->item[i].data, chain->item[i].len,
                                              CERT_STORE_ADD_ALWAYS, NULL))
            WARN("certificate %u of the server's chain does not parse: %08x\n", i, GetLastError());
    if (!CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, chain->item[0].data, chain->item[0].len,
                                          CERT_STORE_ADD_ALWAYS, context))
    {
        err = GetLastError();
        WARN("the server's certificate does not parse: %08x\n", err);
        CertCloseStore(store, 0);
        return err == ERROR_OUTOFMEMORY ? err : ERROR_WINHTTP_SECURE_INVALID_CERT;
    }
    /* The context keeps the store open until it is freed. */
    CertCloseStore(store, 0);
    return ERROR_SUCCESS;
}


/* ------------------------------------------------------------------ */
/* Trust: the server's chain against the certificate stores            */

/* The chain engine every verification uses.  Wine's crypt32 reads the
 * stores when an engine is made (150 to 250 ms: the host's roots too) and
 * never again, the default engine included, so a root that an
 * administrator or a program added to ROOT later, or removed, would not
 * count until the process ends.  Windows' engines follow their stores; we
 * watch the registry where the system stores live and make a new engine
 * when it changed.  Engines are reference counted: a verification keeps
 * its engine while a change replaces it. */
struct chain_engine
{
    HCERTCHAINENGINE handle;
    LONG refs;
};

static SRWLOCK engine_lock = SRWLOCK_INIT;
static struct chain_engine *current_engine;
static HANDLE stores_changed;           /* signalled by RegNotifyChangeKeyValue */
static HKEY watched_keys[4];
static unsigned int watched_count;
static BOOL watch_ready;

#ifndef REG_NOTIFY_THREAD_AGNOSTIC
#define REG_NOTIFY_THREAD_AGNOSTIC 0x10000000
#endif

/* (Re)arm the notifications, one-shot each; FALSE if none could be. */
static BOOL watch_stores(void)
{
    const DWORD filter = REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET;
    unsigned int i, armed = 0;
    LONG err;

    for (i = 0; i < watched_count; i++)
    {
        /* Thread agnostic: the thread that armed it may be gone by the
         * time the store changes. */
        err = RegNotifyChangeKeyValue(watched_keys[i], TRUE, filter | REG_NOTIFY_THREAD_AGNOSTIC, stores_changed, TRUE);
        if (err == ERROR_INVALID_PARAMETER)
            err = RegNotifyChangeKeyValue(watched_keys[i], TRUE, filter, stores_changed, TRUE);
        if (!err) armed++;
        else WARN("cannot watch certificate store key %u: %d\n", i, err);
    }
    return armed > 0;
}

static void open_watched_keys(void)
{
    static const struct { HKEY root; const WCHAR *path; } keys[] =
    {
        /* The system stores (ROOT, CA, Disallowed, ...) and their group
         * policy counterparts. */
        { HKEY_LOCAL_MACHINE, L"Software\\Microsoft\\SystemCertificates" },
        { HKEY_CURRENT_USER, L"Software\\Microsoft\\SystemCertificates" },
        { HKEY_LOCAL_MACHINE, L"Software\\Policies\\Microsoft\\SystemCertificates" },
        { HKEY_CURRENT_USER, L"Software\\Policies\\Microsoft\\SystemCertificates" },
    };
    unsigned int i;

    if (!(stores_changed = CreateEventW(NULL, TRUE, FALSE, NULL))) return;
    for (i = 0; i < ARRAY_SIZE(keys); i++)
        if (!RegOpenKeyExW(keys[i].root, keys[i].path, 0, KEY_NOTIFY, &watched_keys[watched_count]))
            watched_count++;
}

static void release_engine(struct chain_engine *engine)
{
    if (!engine || InterlockedDecrement(&engine->refs)) return;
    CertFreeCertificateChainEngine(engine->handle);
    free(engine);
}

static struct chain_engine *create_engine(void)
{
    CERT_CHAIN_ENGINE_CONFIG config;
    struct chain_engine *engine;

    if (!(engine = calloc(1, sizeof(*engine)))) return NULL;
    memset(&config, 0, sizeof(config));
    /* The Windows 7 size: Wine 8 refuses the later, larger one. */
    config.cbSize = offsetof(CERT_CHAIN_ENGINE_CONFIG, hExclusiveRoot);
    if (!CertCreateCertificateChainEngine(&config, &engine->handle))
    {
        WARN("CertCreateCertificateChainEngine failed: %u\n", GetLastError());
        free(engine);
        return NULL;
    }
    engine->refs = 1;
    TRACE("new chain engine %p\n", engine->handle);
    return engine;
}

/* The engine for a verification, with a reference; NULL means crypt32's
 * default engine (when ours cannot be made). */
static struct chain_engine *get_engine(void)
{
    struct chain_engine *engine;
    BOOL changed;

    AcquireSRWLockExclusive(&engine_lock);
    if (!watch_ready)
    {
        open_watched_keys();
        watch_ready = TRUE;
        changed = TRUE;
    }
    else changed = stores_changed && WaitForSingleObject(stores_changed, 0) == WAIT_OBJECT_0;
    if (changed || !current_engine)
    {
        /* Arm first: a change while the engine reads the stores makes the
         * next verification read them again rather than go unseen. */
        if (stores_changed)
        {
            ResetEvent(stores_changed);
            if (!watch_stores()) WARN("certificate store changes will not be seen until the process restarts\n");
        }
        if (changed && current_engine) TRACE("the certificate stores changed\n");
        if ((engine = create_engine()))
        {
            release_engine(current_engine);
            current_engine = engine;
        }
    }
    if ((engine = current_engine)) InterlockedIncrement(&engine->refs);
    ReleaseSRWLockExclusive(&engine_lock);
    return engine;
}

/* WINHTTP_CALLBACK_STATUS_FLAG_* for a chain's CERT_TRUST_* errors. */
static DWORD trust_flags(DWORD error)
{
    DWORD flags = 0;

    /* No path to a trusted root (the root is not in the stores, an
     * intermediate is missing, or the chain loops). */
    if (error & (CERT_TRUST_IS_UNTRUSTED_ROOT | CERT_TRUST_IS_PARTIAL_CHAIN | CERT_TRUST_IS_CYCLIC))
        flags |= WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA;
    if (error & CERT_TRUST_IS_NOT_TIME_VALID) flags |= WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID;
    if (error & CERT_TRUST_IS_NOT_VALID_FOR_USAGE) flags |= WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE;
    if (error & CERT_TRUST_IS_REVOKED) flags |= WINHTTP_CALLBACK_STATUS_FLAG_CERT_REVOKED;
    /* Broken certificates, and certificates the Disallowed store names:
     * an application that ignores unknown CAs still must not get these.
     * Not CERT_TRUST_IS_NOT_SIGNATURE_VALID: Wine 8's crypt32 rejects valid
     * ECDSA signatures whose r or s is shorter than the curve (one
     * certificate in a hundred); the TLS layer checks every signature of
     * the path itself (INVALID_CERT when one is bad). */
    if (error & (CERT_TRUST_INVALID_EXTENSION |
                 CERT_TRUST_INVALID_POLICY_CONSTRAINTS | CERT_TRUST_INVALID_BASIC_CONSTRAINTS |
                 CERT_TRUST_INVALID_NAME_CONSTRAINTS | CERT_TRUST_HAS_NOT_SUPPORTED_NAME_CONSTRAINT |
                 CERT_TRUST_HAS_NOT_DEFINED_NAME_CONSTRAINT | CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT |
                 CERT_TRUST_HAS_EXCLUDED_NAME_CONSTRAINT | CERT_TRUST_IS_EXPLICIT_DISTRUST))
        flags |= WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT;
    /* Time nesting, CTLs and revocation status are not WinHTTP's errors;
     * revocation is checked by the TLS layer when asked. */
    return flags;
}

/* The chain crypt32 built, as DER for the TLS layer: the server's
 * certificate first, the root last. */
static struct tls_der_list *chain_path(const CERT_SIMPLE_CHAIN *simple)
{
    struct tls_der_list *path;
    size_t size = offsetof(struct tls_der_list, item[simple->cElement ? simple->cElement : 1]);
    unsigned char *p;
    DWORD i;

    for (i = 0; i < simple->cElement; i++) size += simple->rgpElement[i]->pCertContext->cbCertEncoded;
    if (!(path = malloc(size))) return NULL;
    path->count = simple->cElement;
    p = (unsigned char *)&path->item[simple->cElement ? simple->cElement : 1];
    for (i = 0; i < simple->cElement; i++)
    {
        const CERT_CONTEXT *cert = simple->rgpElement[i]->pCertContext;
        memcpy(p, cert->pbCertEncoded, cert->cbCertEncoded);
        path->item[i].data = p;
        path->item[i].len = cert->cbCertEncoded;
        p += cert->cbCertEncoded;
    }
    return path;
}

/* CertGetCertificateChain for the server's certificate, its intermediates
 * from what it sent, for TLS servers, without network retrieval (no AIA
 * fetching of missing intermediates, no revocation: the TLS layer does
 * that through the session).  engine: NULL for crypt32's default. */
static DWORD build_server_chain(struct chain_engine *engine, const struct tls_der_list *chain,
                                const CERT_CHAIN_CONTEXT **context)
{
    static char server_auth[] = szOID_PKIX_KP_SERVER_AUTH;
    char *usages[] = { server_auth };
    CERT_CHAIN_PARA para;
    const CERT_CONTEXT *cert;
    DWORD res = ERROR_SUCCESS;

    *context = NULL;
    if ((res = cert_context_from_chain(chain, &cert))) return res;
    memset(&para, 0, sizeof(para));
    para.cbSize = sizeof(para);
    para.RequestedUsage.dwType = USAGE_MATCH_TYPE_AND;
    para.RequestedUsage.Usage.cUsageIdentifier = ARRAY_SIZE(usages);
    para.RequestedUsage.Usage.rgpszUsageIdentifier = usages;
    if (!CertGetCertificateChain(engine ? engine->handle : NULL, cert, NULL, cert->hCertStore, &para,
                                 CERT_CHAIN_CACHE_ONLY_URL_RETRIEVAL, NULL, context))
        res = GetLastError();
    CertFreeCertificateContext(cert);
    return res;
}

static DWORD get_server_chain(const struct tls_der_list *chain, const CERT_CHAIN_CONTEXT **context)
{
    struct chain_engine *engine = get_engine();
    DWORD res = build_server_chain(engine, chain, context);
    release_engine(engine);
    return res;
}

/* Verification results, as Windows' chain engine keeps the chains it
 * built: the same chain, byte for byte as a server sent it, against the
 * same engine (a store change makes a new engine, and the results of the
 * old one go with it), within VERIFIED_TTL_MS, gives the same answer
 * without building it again (milliseconds of crypt32 each; a program that
 * opens a session per request verifies per request).  Only crypt32's part
 * is kept: GnuTLS checks the host name and the signatures of the path per
 * connection (tls_verify_result), and revocation is the session's; so the
 * key holds no host name. */
#define VERIFIED_MAX 16
#define VERIFIED_TTL_MS 60000

struct verified
{
    struct verified *next;
    struct chain_engine *engine;    /* a reference */
    ULONGLONG expires;
    unsigned char *key;             /* the chain as sent: count, then length and bytes of each */
    size_t key_len;
    DWORD flags;
    struct tls_der_list *path;
};

static SRWLOCK verified_lock = SRWLOCK_INIT;
static struct verified *verified_list;
static unsigned int verified_count;

static unsigned char *chain_key(const struct tls_der_list *chain, size_t *len)
{
    size_t size = sizeof(DWORD), i;
    unsigned char *key, *p;
    DWORD n;

    for (i = 0; i < chain->count; i++) size += sizeof(DWORD) + chain->item[i].len;
    if (!(key = p = malloc(size))) return NULL;
    n = chain->count;
    memcpy(p, &n, sizeof(n));
    p += sizeof(n);
    for (i = 0; i < chain->count; i++)
    {
        n = chain->item[i].len;
        memcpy(p, &n, sizeof(n));
        memcpy(p + sizeof(n), chain->item[i].data, n);
        p += sizeof(n) + n;
    }
    *len = size;
    return key;
}

static void verified_free(struct verified *v)
{
    release_engine(v->engine);
    free(v->key);
    free(v->path);
    free(v);
}

/* verified_lock held: drop what expired or belongs to another engine;
 * the entry for key, if any. */
static struct verified *verified_find(struct chain_engine *engine, const unsigned char *key, size_t key_len)
{
    struct verified **p = &verified_list, *v, *found = NULL;
    ULONGLONG now = GetTickCount64();

    while ((v = *p))
    {
        if (v->engine != engine || v->expires <= now)
        {
            *p = v->next;
            verified_count--;
            verified_free(v);
            continue;
        }
        if (!found && v->key_len == key_len && !memcmp(v->key, key, key_len)) found = v;
        p = &v->next;
    }
    return found;
}

/* Keep a result; takes key and path. */
static void verified_add(struct chain_engine *engine, unsigned char *key, size_t key_len, DWORD flags,
                         struct tls_der_list *path)
{
    struct verified *v, **p;

    if (!engine || !(v = calloc(1, sizeof(*v))))
    {
        free(key);
        free(path);
        return;
    }
    InterlockedIncrement(&engine->refs);
    v->engine = engine;
    v->expires = GetTickCount64() + VERIFIED_TTL_MS;
    v->key = key;
    v->key_len = key_len;
    v->flags = flags;
    v->path = path;
    AcquireSRWLockExclusive(&verified_lock);
    v->next = verified_list;
    verified_list = v;
    if (++verified_count > VERIFIED_MAX)
    {
        /* The oldest goes. */
        for (p = &verified_list; (*p)->next; p = &(*p)->next) ;
        verified_free(*p);
        *p = NULL;
        verified_count--;
    }
    ReleaseSRWLockExclusive(&verified_lock);
}

DWORD cert_verify_tls(struct tls_conn *conn)
{
    const CERT_CHAIN_CONTEXT *context;
    struct tls_der_list *chain, *path = NULL;
    struct chain_engine *engine;
    struct verified *v;
    unsigned char *key;
    size_t key_len = 0;
    DWORD res, flags;

    if ((res = tls_peer_chain(conn, &chain)))
    {
        tls_verify_result(conn, WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT, NULL);
        return res;
    }
    engine = get_engine();
    if (engine && (key = chain_key(chain, &key_len)))
    {
        AcquireSRWLockExclusive(&verified_lock);
        if ((v = verified_find(engine, key, key_len)))
        {
            TRACE("chain verified before: flags %#x\n", v->flags);
            tls_verify_result(conn, v->flags, v->path);
            ReleaseSRWLockExclusive(&verified_lock);
            release_engine(engine);
            free(key);
            free(chain);
            return ERROR_SUCCESS;
        }
        ReleaseSRWLockExclusive(&verified_lock);
    }
    else key = NULL;
    res = build_server_chain(engine, chain, &context);
    free(chain);
    if (res)
    {
        /* Fail closed: nothing the application could choose to ignore. */
        WARN("no chain for the server's certificate: %u\n", res);
        tls_verify_result(conn, WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT, NULL);
        release_engine(engine);
        free(key);
        return res;
    }
    flags = trust_flags(context->TrustStatus.dwErrorStatus);
    TRACE("chain error status %#x info %#x: flags %#x\n", context->TrustStatus.dwErrorStatus,
          context->TrustStatus.dwInfoStatus, flags);
    if (context->cChain && !(path = chain_path(context->rgpChain[0]))) res = ERROR_OUTOFMEMORY;
    CertFreeCertificateChain(context);
    if (res) flags |= WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT;
    tls_verify_result(conn, flags, path);
    if (!res && key)
    {
        verified_add(engine, key, key_len, flags, path);
        key = NULL;
        path = NULL;
    }
    release_engine(engine);
    free(key);
    free(path);
    return res;
}

DWORD cert_chain_context_from_chain(const struct tls_der_list *chain, const CERT_CHAIN_CONTEXT **context)
{
    /* The chain the request was verified with: the same stores, the same usage. */
    return get_server_chain(chain, context);
}

/* ------------------------------------------------------------------ */
/* Certificate information                                             */

/* "C\r\nST\r\nO\r\nCN": the simple name form, LocalAlloc'ed. */
static WCHAR *name_string(CERT_NAME_BLOB *name)
{
    const DWORD type = CERT_SIMPLE_NAME_STR | CERT_NAME_STR_CRLF_FLAG;
    DWORD len = CertNameToStrW(X509_ASN_ENCODING, name, type, NULL, 0);
    WCHAR *str;

    if (!len || !(str = LocalAlloc(LMEM_FIXED, len * sizeof(WCHAR)))) return NULL;
    CertNameToStrW(X509_ASN_ENCODING, name, type, str, len);
    return str;
}

DWORD cert_info_from_chain(const struct tls_der_list *chain, DWORD key_bits, WINHTTP_CERTIFICATE_INFO *info)
{
    const CERT_CONTEXT *cert;

    memset(info, 0, sizeof(*info));
    if (!chain || !chain->count) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    if (!(cert = CertCreateCertificateContext(X509_ASN_ENCODING, chain->item[0].data, chain->item[0].len)))
        return ERROR_WINHTTP_SECURE_INVALID_CERT;
    info->ftExpiry = cert->pCertInfo->NotAfter;
    info->ftStart = cert->pCertInfo->NotBefore;
    info->lpszSubjectInfo = name_string(&cert->pCertInfo->Subject);
    info->lpszIssuerInfo = name_string(&cert->pCertInfo->Issuer);
    info->dwKeySize = key_bits;
    CertFreeCertificateContext(cert);
    if (!info->lpszSubjectInfo || !info->lpszIssuerInfo)
    {
        LocalFree(info->lpszSubjectInfo);
        LocalFree(info->lpszIssuerInfo);
        memset(info, 0, sizeof(*info));
        return ERROR_OUTOFMEMORY;
    }
    return ERROR_SUCCESS;
}

DWORD cert_issuer_list(const struct tls_der_list *names, void **ret)
{
    SecPkgContext_IssuerListInfoEx *list;
    unsigned int i, count = names ? names->count : 0;
    SIZE_T size = sizeof(*list) + count * sizeof(CERT_NAME_BLOB);
    BYTE *p;

    *ret = NULL;
    for (i = 0; i < count; i++) size += names->item[i].len;
    if (!(list = GlobalAlloc(GMEM_FIXED, size))) return ERROR_OUTOFMEMORY;
    list->cIssuers = count;
    list->aIssuers = count ? (CERT_NAME_BLOB *)(list + 1) : NULL;
    p = (BYTE *)(list + 1) + count * sizeof(CERT_NAME_BLOB);
    for (i = 0; i < count; i++)
    {
        memcpy(p, names->item[i].data, names->item[i].len);
        list->aIssuers[i].cbData = names->item[i].len;
        list->aIssuers[i].pbData = p;
        p += names->item[i].len;
    }
    *ret = list;
    return ERROR_SUCCESS;
}

DWORD cert_channel_bindings(const struct tls_der_list *chain, void *buffer, DWORD *size)
{
    static const char prefix[] = "tls-server-end-point:";   /* RFC 5929 4, RFC 5056 */
    SecPkgContext_Bindings *bindings = buffer;
    SEC_CHANNEL_BINDINGS *cb;
    unsigned char hash[64];
    size_t hash_len;
    DWORD res, app_len, needed;

    if (!chain || !chain->count) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    if ((res = tls_server_end_point(chain->item[0].data, chain->item[0].len, hash, &hash_len))) return res;
    app_len = sizeof(prefix) - 1 + hash_len;
    needed = sizeof(*bindings) + sizeof(*cb) + app_len;
    if (!buffer || *size < needed)
    {
        *size = needed;
        return ERROR_INSUFFICIENT_BUFFER;
    }
    cb = (SEC_CHANNEL_BINDINGS *)(bindings + 1);
    memset(cb, 0, sizeof(*cb));
    cb->cbApplicationDataLength = app_len;
    cb->dwApplicationDataOffset = sizeof(*cb);
    memcpy(cb + 1, prefix, sizeof(prefix) - 1);
    memcpy((BYTE *)(cb + 1) + sizeof(prefix) - 1, hash, hash_len);
    bindings->BindingsLength = sizeof(*cb) + app_len;
    bindings->Bindings = cb;
    *size = needed;
    return ERROR_SUCCESS;
}

DWORD cert_security_flags(const struct tls_info *info)
{
    DWORD flags = SECURITY_FLAG_SECURE;

    if (info->cipher_bits >= 128) flags |= SECURITY_FLAG_STRENGTH_STRONG;
    else if (info->cipher_bits >= 56) flags |= SECURITY_FLAG_STRENGTH_MEDIUM;
    else flags |= SECURITY_FLAG_STRENGTH_WEAK;
    return flags;
}

static void copy_ascii(WCHAR *dst, const char *src, size_t size)
{
    size_t i;
    for (i = 0; i + 1 < size && src[i]; i++) dst[i] = (unsigned char)src[i];
    dst[i] = 0;
}

static BOOL starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

void cert_security_info(const struct tls_info *info, SecPkgContext_ConnectionInfo *conn, SecPkgContext_CipherInfo *cipher)
{
    const char *cipher_family = "", *hash_name = "", *exch_name = "";
    ALG_ID alg_cipher = 0, alg_hash = 0, alg_exch = 0;
    unsigned int block = 0;

    if (starts_with(info->cipher_name, "AES-128")) { alg_cipher = CALG_AES_128; cipher_family = "AES"; block = 128; }
    else if (starts_with(info->cipher_name, "AES-256")) { alg_cipher = CALG_AES_256; cipher_family = "AES"; block = 128; }
    else if (starts_with(info->cipher_name, "3DES")) { alg_cipher = CALG_3DES; cipher_family = "3DES"; block = 64; }
    else if (starts_with(info->cipher_name, "CHACHA20")) cipher_family = "CHACHA20";
    /* AEAD suites have no MAC; their PRF hash stands in. */
    switch (info->mac_bits)
    {
    case 160: alg_hash = CALG_SHA1; hash_name = "SHA1"; break;
    case 256: alg_hash = CALG_SHA_256; hash_name = "SHA256"; break;
    case 384: alg_hash = CALG_SHA_384; hash_name = "SHA384"; break;
    case 512: alg_hash = CALG_SHA_512; hash_name = "SHA512"; break;
    }
    if (starts_with(info->kx_name, "ECDHE") || starts_with(info->group_name, "SECP") ||
        starts_with(info->group_name, "X25519") || starts_with(info->group_name, "X448"))
    {
        alg_exch = CALG_ECDH_EPHEM;
        exch_name = "ECDH";
    }
    else if (starts_with(info->kx_name, "DHE") || starts_with(info->group_name, "FFDHE"))
    {
        alg_exch = CALG_DH_EPHEM;
        exch_name = "DH";
    }
    else if (!strcmp(info->kx_name, "RSA"))
    {
        alg_exch = CALG_RSA_KEYX;
        exch_name = "RSA";
    }

    memset(conn, 0, sizeof(*conn));
    conn->dwProtocol = info->protocol;  /* SP_PROT_TLS1_*_CLIENT have the same values */
    conn->aiCipher = alg_cipher;
    conn->dwCipherStrength = info->cipher_bits;
    conn->aiHash = alg_hash;
    conn->dwHashStrength = info->mac_bits;
    conn->aiExch = alg_exch;
    conn->dwExchStrength = info->kx_bits;

    memset(cipher, 0, sizeof(*cipher));
    cipher->dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
    switch (info->protocol)
    {
    case WINHTTP_FLAG_SECURE_PROTOCOL_TLS1:   cipher->dwProtocol = 0x0301; break;
    case WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_1: cipher->dwProtocol = 0x0302; break;
    case WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2: cipher->dwProtocol = 0x0303; break;
    case WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3: cipher->dwProtocol = 0x0304; break;
    }
    cipher->dwCipherSuite = info->suite_id;
    cipher->dwBaseCipherSuite = info->suite_id;
    copy_ascii(cipher->szCipherSuite, info->suite_name, SZ_ALG_MAX_SIZE);
    copy_ascii(cipher->szCipher, cipher_family, SZ_ALG_MAX_SIZE);
    cipher->dwCipherLen = info->cipher_bits;
    cipher->dwCipherBlockLen = block;
    copy_ascii(cipher->szHash, hash_name, SZ_ALG_MAX_SIZE);
    cipher->dwHashLen = info->mac_bits;
    copy_ascii(cipher->szExchange, exch_name, SZ_ALG_MAX_SIZE);
    cipher->dwMinExchangeLen = info->kx_bits;
    cipher->dwMaxExchangeLen = info->kx_bits;
}

/* ------------------------------------------------------------------ */
/* Client certificates                                                 */

#define MAX_CLIENT_CHAIN 8

struct client_cert
{
    struct tls_client_cert base;
    const CERT_CONTEXT *cert;
    const CERT_CHAIN_CONTEXT *chain;
    HCRYPTPROV_OR_NCRYPT_KEY_HANDLE key;
    DWORD key_spec;
    BOOL free_key;
    LONG refs;                  /* the engine's and each connection's (renegotiation) */
    HCRYPTPROV sha2_prov;       /* the same CryptoAPI key through a provider that hashes SHA-2 */
    const unsigned char *ders[MAX_CLIENT_CHAIN];
    size_t lens[MAX_CLIENT_CHAIN];
};

static inline struct client_cert *impl_from_client(const struct tls_client_cert *client)
{
    return CONTAINING_RECORD(client, struct client_cert, base);
}

static SECURITY_STATUS (WINAPI *pNCryptSignHash)(NCRYPT_KEY_HANDLE, void *, BYTE *, DWORD, BYTE *, DWORD, DWORD *, DWORD);
static SECURITY_STATUS (WINAPI *pNCryptFreeObject)(NCRYPT_HANDLE);

/* ncrypt.dll only matters for CNG keys: loaded when one shows up. */
static BOOL WINAPI load_ncrypt(INIT_ONCE *once, void *param, void **context)
{
    HMODULE module = LoadLibraryW(L"ncrypt.dll");

    if (!module) return TRUE;
    pNCryptSignHash = (void *)GetProcAddress(module, "NCryptSignHash");
    pNCryptFreeObject = (void *)GetProcAddress(module, "NCryptFreeObject");
    return TRUE;
}

static const WCHAR *bcrypt_hash_name(enum tls_hash hash)
{
    switch (hash)
    {
    case TLS_HASH_SHA1:   return BCRYPT_SHA1_ALGORITHM;
    case TLS_HASH_SHA256: return BCRYPT_SHA256_ALGORITHM;
    case TLS_HASH_SHA384: return BCRYPT_SHA384_ALGORITHM;
    case TLS_HASH_SHA512: return BCRYPT_SHA512_ALGORITHM;
    default:              return NULL;
    }
}

static DWORD ncrypt_sign(struct client_cert *cc, enum tls_sign_padding padding, enum tls_hash hash,
                         const void *digest, size_t len, void *sig, size_t *sig_len)
{
    BCRYPT_PKCS1_PADDING_INFO pkcs1;
    BCRYPT_PSS_PADDING_INFO pss;
    void *pad = NULL;
    DWORD flags = 0, out = 0;
    SECURITY_STATUS status;

    if (!pNCryptSignHash) return ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY;
    switch (padding)
    {
    case TLS_SIGN_PKCS1:
    case TLS_SIGN_PKCS1_RAW:
        /* No algorithm: the bytes are signed as given (TLS 1.0's MD5+SHA-1). */
        pkcs1.pszAlgId = padding == TLS_SIGN_PKCS1 ? bcrypt_hash_name(hash) : NULL;
        pad = &pkcs1;
        flags = BCRYPT_PAD_PKCS1;
        break;
    case TLS_SIGN_PSS:
        pss.pszAlgId = bcrypt_hash_name(hash);
        pss.cbSalt = len;
        pad = &pss;
        flags = BCRYPT_PAD_PSS;
        break;
    case TLS_SIGN_ECDSA:
        break;
    }
    status = pNCryptSignHash(cc->key, pad, (BYTE *)digest, len, sig, *sig_len, &out, flags);
    if (status)
    {
        WARN("NCryptSignHash failed: %08x\n", (unsigned int)status);
        return ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY;
    }
    *sig_len = out;
    return ERROR_SUCCESS;
}

static ALG_ID capi_hash_alg(enum tls_hash hash)
{
    switch (hash)
    {
    case TLS_HASH_SHA1:   return CALG_SHA1;
    case TLS_HASH_SHA256: return CALG_SHA_256;
    case TLS_HASH_SHA384: return CALG_SHA_384;
    case TLS_HASH_SHA512: return CALG_SHA_512;
    default:              return 0;
    }
}

static DWORD capi_sign(struct client_cert *cc, enum tls_sign_padding padding, enum tls_hash hash,
                       const void *digest, size_t len, void *sig, size_t *sig_len)
{
    HCRYPTPROV prov = cc->sha2_prov ? cc->sha2_prov : cc->key;
    HCRYPTHASH h;
    BYTE *p = sig, t;
    DWORD size = *sig_len, i, spec = 0;
    ALG_ID alg;

    /* CryptoAPI signs PKCS #1 v1.5 only: no PSS, no ECDSA. */
    if (padding == TLS_SIGN_PKCS1) alg = capi_hash_alg(hash);
    else if (padding == TLS_SIGN_PKCS1_RAW && len == 36) alg = CALG_SSL3_SHAMD5;
    else alg = 0;
    if (!alg) return ERROR_NOT_SUPPORTED;
    if (!CryptCreateHash(prov, alg, 0, 0, &h))
    {
        WARN("CryptCreateHash %#x failed: %08x\n", alg, GetLastError());
        return ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY;
    }
    if (!CryptSetHashParam(h, HP_HASHVAL, digest, 0))
    {
        WARN("CryptSetHashParam failed: %08x\n", GetLastError());
        CryptDestroyHash(h);
        return ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY;
    }
    /* Wine 8's PFXImportCertStore records key spec 3 (both); the key is
     * then an exchange key, which signs as well. */
    for (i = 0; i < 2; i++)
    {
        spec = i ? (spec == AT_KEYEXCHANGE ? AT_SIGNATURE : AT_KEYEXCHANGE)
                 : (cc->key_spec == AT_SIGNATURE ? AT_SIGNATURE : AT_KEYEXCHANGE);
        size = *sig_len;
        if (CryptSignHashW(h, spec, NULL, 0, sig, &size)) break;
        TRACE("signing with key spec %u failed: %08x\n", spec, GetLastError());
    }
    CryptDestroyHash(h);
    if (i == 2)
    {
        WARN("the client key could not sign\n");
        return ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY;
    }
    /* CryptoAPI's signatures are little-endian; TLS's big-endian. */
    for (i = 0; i < size / 2; i++)
    {
        t = p[i];
        p[i] = p[size - 1 - i];
        p[size - 1 - i] = t;
    }
    *sig_len = size;
    return ERROR_SUCCESS;
}

static DWORD client_sign(const struct tls_client_cert *client, enum tls_sign_padding padding, enum tls_hash hash,
                         const void *digest, size_t len, void *sig, size_t *sig_len)
{
    struct client_cert *cc = impl_from_client(client);

    TRACE("padding %d hash %d, %lu bytes\n", padding, hash, (unsigned long)len);
    if (cc->key_spec == CERT_NCRYPT_KEY_SPEC) return ncrypt_sign(cc, padding, hash, digest, len, sig, sig_len);
    return capi_sign(cc, padding, hash, digest, len, sig, sig_len);
}

/* Providers of type PROV_RSA_FULL do not hash SHA-2; the AES provider opens
 * the same key container and does. */
static HCRYPTPROV open_sha2_provider(const CERT_CONTEXT *cert)
{
    CRYPT_KEY_PROV_INFO *info;
    HCRYPTPROV prov = 0;
    DWORD size = 0;

    if (!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size)) return 0;
    if (!(info = malloc(size))) return 0;
    if (CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, info, &size) &&
        info->dwProvType != PROV_RSA_AES &&
        !CryptAcquireContextW(&prov, info->pwszContainerName, MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES,
                              (info->dwFlags & CRYPT_MACHINE_KEYSET) | CRYPT_SILENT))
    {
        TRACE("no AES provider for %s: %08x\n", debugstr_w(info->pwszContainerName), GetLastError());
        prov = 0;
    }
    free(info);
    return prov;
}

static BYTE *public_key_blob(HCRYPTPROV prov, DWORD spec, DWORD *len)
{
    HCRYPTKEY key;
    BYTE *blob = NULL;

    if (!CryptGetUserKey(prov, spec, &key)) return NULL;
    if (!CryptExportKey(key, 0, PUBLICKEYBLOB, 0, NULL, len) || !(blob = malloc(*len)) ||
        !CryptExportKey(key, 0, PUBLICKEYBLOB, 0, blob, len))
    {
        free(blob);
        blob = NULL;
    }
    CryptDestroyKey(key);
    return blob;
}

static BOOL same_public_key(HCRYPTPROV a, HCRYPTPROV b, DWORD spec)
{
    DWORD len_a, len_b;
    BYTE *blob_a = public_key_blob(a, spec, &len_a), *blob_b = public_key_blob(b, spec, &len_b);
    BOOL ret = blob_a && blob_b && len_a == len_b && !memcmp(blob_a, blob_b, len_a);

    free(blob_a);
    free(blob_b);
    return ret;
}

/* The same for a key no container names (key_from_context): under its
 * container's name if it has one, else a copy in a temporary AES context,
 * when the key may be exported. */
static HCRYPTPROV sha2_provider_from_key(HCRYPTPROV key, DWORD spec)
{
    HCRYPTPROV prov = 0;
    HCRYPTKEY pair = 0, copy = 0;
    char name[MAX_PATH];
    DWORD len = sizeof(name), type = 0, type_len = sizeof(type);
    BYTE *blob = NULL;

    if (CryptGetProvParam(key, PP_PROVTYPE, (BYTE *)&type, &type_len, 0) && type == PROV_RSA_AES) return 0;
    if (CryptGetProvParam(key, PP_CONTAINER, (BYTE *)name, &len, 0) && *name &&
        CryptAcquireContextA(&prov, name, MS_ENH_RSA_AES_PROV_A, PROV_RSA_AES, CRYPT_SILENT))
    {
        /* A name is not a key: the container must hold this very key. */
        if (same_public_key(key, prov, spec))
        {
            TRACE("container %s in the AES provider\n", debugstr_a(name));
            return prov;
        }
        CryptReleaseContext(prov, 0);
    }
    prov = 0;
    if (!CryptGetUserKey(key, spec, &pair) || !CryptExportKey(pair, 0, PRIVATEKEYBLOB, 0, NULL, &len) ||
        !(blob = malloc(len)) || !CryptExportKey(pair, 0, PRIVATEKEYBLOB, 0, blob, &len) ||
        !CryptAcquireContextW(&prov, NULL, MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES, CRYPT_VERIFYCONTEXT | CRYPT_SILENT) ||
        !CryptImportKey(prov, blob, len, 0, 0, &copy))
    {
        TRACE("no SHA-2 capable copy of the key: %08x\n", GetLastError());
        if (prov) CryptReleaseContext(prov, 0);
        prov = 0;
    }
    if (blob)
    {
        SecureZeroMemory(blob, len);
        free(blob);
    }
    if (copy) CryptDestroyKey(copy);
    if (pair) CryptDestroyKey(pair);
    return prov;
}

static void add_chain(struct client_cert *cc)
{
    const CERT_SIMPLE_CHAIN *simple;
    const CERT_CONTEXT *elem;
    CERT_CHAIN_PARA para;
    DWORD i;

    memset(&para, 0, sizeof(para));
    para.cbSize = sizeof(para);
    /* No network: intermediates are sent when the machine has them. */
    if (!CertGetCertificateChain(NULL, cc->cert, NULL, cc->cert->hCertStore, &para,
                                 CERT_CHAIN_CACHE_ONLY_URL_RETRIEVAL, NULL, &cc->chain))
    {
        cc->chain = NULL;
        return;
    }
    if (!cc->chain->cChain) return;
    simple = cc->chain->rgpChain[0];
    for (i = 1; i < simple->cElement && cc->base.count < MAX_CLIENT_CHAIN; i++)
    {
        elem = simple->rgpElement[i]->pCertContext;
        /* The server has its roots. */
        if (CertCompareCertificateName(X509_ASN_ENCODING, &elem->pCertInfo->Subject, &elem->pCertInfo->Issuer)) break;
        cc->ders[cc->base.count] = elem->pbCertEncoded;
        cc->lens[cc->base.count++] = elem->cbCertEncoded;
    }
}

/* A key that lives only in memory: PFXImportCertStore with
 * PKCS12_NO_PERSIST_KEY attaches it to the context as CERT_KEY_CONTEXT_PROP_ID,
 * which Wine 8's CryptAcquireCertificatePrivateKey does not look at.  The
 * context owns the handle. */
static BOOL key_from_context(const CERT_CONTEXT *cert, struct client_cert *cc)
{
    CERT_KEY_CONTEXT context;
    DWORD size = sizeof(context);

    if (!CertGetCertificateContextProperty(cert, CERT_KEY_CONTEXT_PROP_ID, &context, &size) ||
        size < sizeof(context) || !context.hCryptProv)
    {
        SetLastError(CRYPT_E_NO_KEY_PROPERTY);
        return FALSE;
    }
    cc->key = context.hCryptProv;
    cc->key_spec = context.dwKeySpec;
    cc->free_key = FALSE;
    TRACE("in-memory key, spec %#x\n", cc->key_spec);
    return TRUE;
}

static void client_addref(const struct tls_client_cert *client);
static void client_release(const struct tls_client_cert *client);

DWORD cert_client_create(const CERT_CONTEXT *cert, struct tls_client_cert **ret)
{
    static INIT_ONCE ncrypt_once = INIT_ONCE_STATIC_INIT;
    const CERT_PUBLIC_KEY_INFO *pub;
    struct client_cert *cc;
    DWORD err;

    TRACE("%p\n", cert);
    *ret = NULL;
    if (!cert) return ERROR_INVALID_PARAMETER;
    if (!(cc = calloc(1, sizeof(*cc)))) return ERROR_OUTOFMEMORY;
    cc->refs = 1;
    cc->cert = CertDuplicateCertificateContext(cert);
    pub = &cert->pCertInfo->SubjectPublicKeyInfo;
    if (pub->Algorithm.pszObjId && !strcmp(pub->Algorithm.pszObjId, szOID_RSA_RSA)) cc->base.key_type = TLS_KEY_RSA;
    else if (pub->Algorithm.pszObjId && !strcmp(pub->Algorithm.pszObjId, szOID_ECC_PUBLIC_KEY))
        cc->base.key_type = TLS_KEY_EC;
    else
    {
        FIXME("client key algorithm %s\n", debugstr_a(pub->Algorithm.pszObjId));
        cert_client_free(&cc->base);
        return ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY;
    }
    cc->base.key_bits = CertGetPublicKeyLength(X509_ASN_ENCODING, (CERT_PUBLIC_KEY_INFO *)pub);
    if (!cc->base.key_bits && cc->base.key_type == TLS_KEY_EC) cc->base.key_bits = 256;

    if (!CryptAcquireCertificatePrivateKey(cert, CRYPT_ACQUIRE_SILENT_FLAG | CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG, NULL,
                                           &cc->key, &cc->key_spec, &cc->free_key) &&
        !CryptAcquireCertificatePrivateKey(cert, CRYPT_ACQUIRE_SILENT_FLAG, NULL, &cc->key, &cc->key_spec,
                                           &cc->free_key) &&
        !key_from_context(cert, cc))
    {
        err = GetLastError();
        WARN("no private key for the client certificate: %08x\n", err);
        cc->key = 0;
        cert_client_free(&cc->base);
        return err == CRYPT_E_NO_KEY_PROPERTY || err == NTE_BAD_KEYSET || err == NTE_NO_KEY ?
               ERROR_WINHTTP_CLIENT_CERT_NO_PRIVATE_KEY : ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY;
    }
    if (cc->key_spec == CERT_NCRYPT_KEY_SPEC)
    {
        InitOnceExecuteOnce(&ncrypt_once, load_ncrypt, NULL, NULL);
        cc->base.can_pss = TRUE;
    }
    else
    {
        if (cc->base.key_type != TLS_KEY_RSA)
        {
            FIXME("CryptoAPI key of type %d\n", cc->base.key_type);
            cert_client_free(&cc->base);
            return ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY;
        }
        if (!(cc->sha2_prov = open_sha2_provider(cert)) && !cc->free_key)
            cc->sha2_prov = sha2_provider_from_key(cc->key, cc->key_spec);
        FIXME_ONCE("CryptoAPI client keys sign PKCS #1 v1.5 only: TLS 1.2 with client certificates\n");
    }
    TRACE("key spec %#x, %s %u bits\n", cc->key_spec, cc->base.key_type == TLS_KEY_RSA ? "RSA" : "EC",
          cc->base.key_bits);

    cc->ders[0] = cert->pbCertEncoded;
    cc->lens[0] = cert->cbCertEncoded;
    cc->base.count = 1;
    add_chain(cc);
    cc->base.der = cc->ders;
    cc->base.der_len = cc->lens;
    cc->base.sign = client_sign;
    cc->base.addref = client_addref;
    cc->base.release = client_release;
    *ret = &cc->base;
    return ERROR_SUCCESS;
}

static void client_addref(const struct tls_client_cert *client)
{
    InterlockedIncrement(&impl_from_client(client)->refs);
}

static void client_release(const struct tls_client_cert *client)
{
    struct client_cert *cc = impl_from_client(client);

    if (InterlockedDecrement(&cc->refs)) return;
    if (cc->sha2_prov) CryptReleaseContext(cc->sha2_prov, 0);
    if (cc->key && cc->free_key)
    {
        if (cc->key_spec == CERT_NCRYPT_KEY_SPEC) { if (pNCryptFreeObject) pNCryptFreeObject(cc->key); }
        else CryptReleaseContext(cc->key, 0);
    }
    if (cc->chain) CertFreeCertificateChain(cc->chain);
    if (cc->cert) CertFreeCertificateContext(cc->cert);
    free(cc);
}

void cert_client_free(struct tls_client_cert *client)
{
    if (client) client_release(client);
}

/* ------------------------------------------------------------------ */
/* Over a live connection                                              */

DWORD cert_context_from_tls(struct tls_conn *conn, const CERT_CONTEXT **context)
{
    struct tls_der_list *chain;
    DWORD res;

    *context = NULL;
    if ((res = tls_peer_chain(conn, &chain))) return res;
    res = cert_context_from_chain(chain, context);
    free(chain);
    return res;
}

DWORD cert_issuer_list_from_tls(struct tls_conn *conn, void **list)
{
    struct tls_der_list *names;
    DWORD res;

    *list = NULL;
    if ((res = tls_issuer_names(conn, &names))) return res;
    res = cert_issuer_list(names, list);
    free(names);
    return res;
}
