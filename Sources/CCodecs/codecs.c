#include "CCodecs.h"
#include <libdeflate.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

uint32_t plh_crc32(uint32_t crc, const uint8_t *bytes, size_t length) {
    return length > 0 ? libdeflate_crc32(crc, bytes, length) : crc;
}

size_t plh_deflate_bound(size_t length) {
    // libdeflate's bound for any compressor (NULL), with a margin for tiny inputs.
    return libdeflate_deflate_compress_bound(NULL, length) + 64;
}

// A compressor holds a few hundred kilobytes of tables: each thread keeps one, for the last level it used, and
// frees it when the thread ends.
struct cached_compressor {
    struct libdeflate_compressor *compressor;
    int level;
};

static pthread_key_t compressor_key;
static pthread_once_t compressor_once = PTHREAD_ONCE_INIT;

static void free_cached_compressor(void *value) {
    struct cached_compressor *cached = value;
    libdeflate_free_compressor(cached->compressor);
    free(cached);
}

static void make_compressor_key(void) {
    pthread_key_create(&compressor_key, free_cached_compressor);
}

static struct libdeflate_compressor *compressor_for(int level) {
    pthread_once(&compressor_once, make_compressor_key);
    struct cached_compressor *cached = pthread_getspecific(compressor_key);
    if (cached != NULL && cached->level == level) return cached->compressor;
    struct libdeflate_compressor *compressor = libdeflate_alloc_compressor(level);
    if (compressor == NULL) return NULL;
    if (cached == NULL) {
        cached = malloc(sizeof *cached);
        if (cached == NULL) {
            libdeflate_free_compressor(compressor);
            return NULL;
        }
        pthread_setspecific(compressor_key, cached);
    } else {
        libdeflate_free_compressor(cached->compressor);
    }
    cached->compressor = compressor;
    cached->level = level;
    return compressor;
}

size_t plh_deflate_raw(const uint8_t *bytes, size_t length, uint8_t *out, size_t capacity, int level) {
    struct libdeflate_compressor *compressor = compressor_for(level);
    if (compressor == NULL) return 0;
    static const uint8_t empty = 0;
    // 0 when the output does not fit, as zlib's failure did; an empty input deflates to a few bytes.
    return libdeflate_deflate_compress(compressor, bytes != NULL ? bytes : &empty, length, out, capacity);
}

void plh_sha256(const uint8_t *bytes, size_t length, uint8_t *digest) {
    static const uint8_t empty = 0;
    SHA256(bytes != NULL ? bytes : &empty, length, digest);
}

struct plh_sha256_state {
    EVP_MD_CTX *context;
};

plh_sha256_state *plh_sha256_begin(void) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context == NULL) return NULL;
    if (EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(context);
        return NULL;
    }
    plh_sha256_state *state = malloc(sizeof *state);
    if (state == NULL) {
        EVP_MD_CTX_free(context);
        return NULL;
    }
    state->context = context;
    return state;
}

void plh_sha256_update(plh_sha256_state *state, const uint8_t *bytes, size_t length) {
    if (length > 0) EVP_DigestUpdate(state->context, bytes, length);
}

void plh_sha256_end(plh_sha256_state *state, uint8_t *digest) {
    if (digest != NULL) {
        unsigned int size = 32;
        EVP_DigestFinal_ex(state->context, digest, &size);
    }
    EVP_MD_CTX_free(state->context);
    free(state);
}
