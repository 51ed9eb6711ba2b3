#ifndef YIMA_COPENSSL_SHIM_H
#define YIMA_COPENSSL_SHIM_H
// OpenSSL 3 (libcrypto) for Swift. Inline wrappers cover what the Swift importer
// cannot see: macros, variadic calls and the passphrase callback.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <string.h>

/// Hands OpenSSL the passphrase in `u`, or fails when there is none, so that
/// reading an encrypted key never falls back to prompting on a terminal.
static int yima_passphrase_cb(char *buf, int size, int rwflag, void *u) {
    (void)rwflag;
    if (u == NULL) return -1;
    size_t len = strlen((const char *)u);
    if (len > (size_t)size) return -1;
    memcpy(buf, u, len);
    return (int)len;
}

static inline EVP_PKEY *yima_read_private_key(BIO *bio, const char *passphrase) {
    return PEM_read_bio_PrivateKey(bio, NULL, yima_passphrase_cb, (void *)passphrase);
}

static inline EVP_PKEY *yima_read_public_key(BIO *bio) {
    return PEM_read_bio_PUBKEY(bio, NULL, yima_passphrase_cb, NULL);
}

static inline long yima_bio_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

static inline void yima_free(void *p) { OPENSSL_free(p); }

#endif
