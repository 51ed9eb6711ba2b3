/* openssl-ops: OpenSSL's own one-shot sign or verify, COUNT times on one thread inside
 * measured_operations, the reference beside `yima-bench ops` in callgrind's instruction
 * counts (scripts/bench-instructions.sh). The key is made fresh; the message is LENGTH
 * bytes (the size of the message Yima signs for that operation).
 *   usage: openssl-ops sign|verify COUNT [ed25519|p256] [LENGTH] */
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static EVP_PKEY *make_key(const char *algorithm) {
    EVP_PKEY_CTX *ctx = strcmp(algorithm, "p256") == 0 ? EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL)
                                                       : EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    EVP_PKEY *key = NULL;
    EVP_PKEY_keygen_init(ctx);
    if (strcmp(algorithm, "p256") == 0) EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1);
    EVP_PKEY_keygen(ctx, &key);
    EVP_PKEY_CTX_free(ctx);
    return key;
}

static const EVP_MD *digest_for(const char *algorithm) { return strcmp(algorithm, "p256") == 0 ? EVP_sha256() : NULL; }

__attribute__((noinline)) int measured_operations(int sign, int count, EVP_PKEY *key, const char *algorithm,
                                                  unsigned char *message, size_t length, unsigned char *signature,
                                                  size_t signature_length) {
    int ok = 0;
    for (int i = 0; i < count; i++) {
        message[0] = (unsigned char)i; /* a different message each time, as codes are */
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        if (sign) {
            unsigned char out[128];
            size_t out_length = sizeof out;
            ok += EVP_DigestSignInit(ctx, NULL, digest_for(algorithm), NULL, key) == 1
                  && EVP_DigestSign(ctx, out, &out_length, message, length) == 1;
        } else {
            message[0] = 0;
            ok += EVP_DigestVerifyInit(ctx, NULL, digest_for(algorithm), NULL, key) == 1
                  && EVP_DigestVerify(ctx, signature, signature_length, message, length) == 1;
        }
        EVP_MD_CTX_free(ctx);
    }
    return ok;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: openssl-ops sign|verify COUNT [ed25519|p256] [LENGTH]\n");
        return 64;
    }
    int sign = strcmp(argv[1], "sign") == 0, count = atoi(argv[2]);
    const char *algorithm = argc > 3 ? argv[3] : "ed25519";
    size_t length = argc > 4 ? (size_t)atoi(argv[4]) : 64;
    unsigned char *message = calloc(length, 1);
    EVP_PKEY *key = make_key(algorithm);
    unsigned char signature[128];
    size_t signature_length = sizeof signature;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, NULL, digest_for(algorithm), NULL, key);
    EVP_DigestSign(ctx, signature, &signature_length, message, length);
    EVP_MD_CTX_free(ctx);
    int ok = measured_operations(sign, count, key, algorithm, message, length, signature, signature_length);
    printf("%s × %d (%s, %zu bytes): %d ok\n", argv[1], count, algorithm, length, ok);
    return ok == count ? 0 : 1;
}
