#include "CCodecs.h"
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

uint32_t plh_crc32(uint32_t crc, const uint8_t *bytes, size_t length) {
    uLong value = crc;
    // zlib takes lengths as uInt: feed very large inputs in slices.
    while (length > 0) {
        uInt slice = length > 0x40000000u ? 0x40000000u : (uInt)length;
        value = crc32(value, bytes, slice);
        bytes += slice;
        length -= slice;
    }
    return (uint32_t)value;
}

size_t plh_deflate_bound(size_t length) {
    // compressBound covers the zlib wrapper too, so it bounds raw deflate; a margin for tiny inputs.
    return (size_t)compressBound((uLong)length) + 64;
}

size_t plh_deflate_raw(const uint8_t *bytes, size_t length, uint8_t *out, size_t capacity, int level) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    // -15 window bits: raw deflate; memory level 8 and the default strategy, as zlib's own defaults.
    if (deflateInit2(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    if (length > 0xFFFFFFFFu || capacity > 0xFFFFFFFFu) {
        deflateEnd(&stream);
        return 0;
    }
    stream.next_in = (Bytef *)bytes;
    stream.avail_in = (uInt)length;
    stream.next_out = out;
    stream.avail_out = (uInt)capacity;
    int status = deflate(&stream, Z_FINISH);
    size_t written = stream.total_out;
    deflateEnd(&stream);
    return status == Z_STREAM_END ? written : 0;
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
