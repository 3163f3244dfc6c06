/*
 * certstore: add a root certificate to a Wine prefix's machine ROOT store,
 * or remove it, the way a Windows administrator does (certutil -addstore
 * Root, or a group policy): the store lives in the prefix's registry
 * (HKLM\Software\Microsoft\SystemCertificates\ROOT), where crypt32, and so
 * winhttp's certificate validation, finds it.
 *
 *   certstore add FILE       FILE: one certificate, PEM or DER
 *   certstore remove FILE
 *
 * tools/run-tests installs the private test CA of the TLS peers with it
 * and removes it at the end.  The registry store itself rather than the
 * "ROOT" system store: Wine 8 does not carry a deletion made through the
 * system store's collection over to the registry.
 *
 * Exit code 0 on success (also removing what is not there), 1 otherwise.
 */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static BYTE *read_all(const char *path, DWORD *len)
{
    FILE *f = fopen(path, "rb");
    BYTE *data = NULL, *bigger;
    size_t n, size = 0;

    if (!f) return NULL;
    for (;;)
    {
        if (!(bigger = realloc(data, size + 65536))) break;
        data = bigger;
        if (!(n = fread(data + size, 1, 65536, f))) break;
        size += n;
        if (size > 1 << 20) break;
    }
    fclose(f);
    *len = size;
    return data;
}

static const CERT_CONTEXT *load_certificate(const char *path)
{
    const CERT_CONTEXT *cert;
    BYTE *data, *der;
    DWORD len, der_len = 0;

    if (!(data = read_all(path, &len))) return NULL;
    if (CryptStringToBinaryA((const char *)data, len, CRYPT_STRING_BASE64HEADER, NULL, &der_len, NULL, NULL) &&
        (der = malloc(der_len)) &&
        CryptStringToBinaryA((const char *)data, len, CRYPT_STRING_BASE64HEADER, der, &der_len, NULL, NULL))
    {
        free(data);
        data = der;
        len = der_len;
    }
    cert = CertCreateCertificateContext(X509_ASN_ENCODING, data, len);
    free(data);
    return cert;
}

int main(int argc, char **argv)
{
    static const DWORD locations[] = { CERT_SYSTEM_STORE_LOCAL_MACHINE, CERT_SYSTEM_STORE_CURRENT_USER };
    const CERT_CONTEXT *cert, *found;
    HCERTSTORE store;
    BOOL ret = TRUE;
    unsigned int i;

    if (argc != 3 || (strcmp(argv[1], "add") && strcmp(argv[1], "remove")))
    {
        fprintf(stderr, "usage: certstore add|remove FILE\n");
        return 1;
    }
    if (!(cert = load_certificate(argv[2])))
    {
        fprintf(stderr, "certstore: %s: not a certificate (%lu)\n", argv[2], GetLastError());
        return 1;
    }
    /* The machine's ROOT and the user's: Wine 10's chain engine does not
     * read the machine's registry ROOT that Wine 8's reads; both read the
     * user's.  Windows reads both. */
    for (i = 0; i < ARRAYSIZE(locations); i++)
    {
        store = CertOpenStore(CERT_STORE_PROV_SYSTEM_REGISTRY_A, 0, 0, locations[i], "ROOT");
        if (!store)
        {
            fprintf(stderr, "certstore: cannot open a ROOT store (%lu)\n", GetLastError());
            ret = FALSE;
            continue;
        }
        if (!strcmp(argv[1], "add"))
        {
            if (!CertAddCertificateContextToStore(store, cert, CERT_STORE_ADD_REPLACE_EXISTING, NULL)) ret = FALSE;
        }
        else
        {
            BOOL ok = TRUE;
            while (ok && (found = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_EXISTING, cert, NULL)))
                ok = CertDeleteCertificateFromStore(found);
            if (!ok) ret = FALSE;
        }
        /* Closing writes the change to the registry. */
        if (!CertCloseStore(store, 0)) ret = FALSE;
    }
    if (!ret) fprintf(stderr, "certstore: %s failed (%lu)\n", argv[1], GetLastError());
    CertFreeCertificateContext(cert);
    return ret ? 0 : 1;
}
