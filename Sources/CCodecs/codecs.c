#include "CCodecs.h"
#include <libdeflate.h>
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

/* XXH64, as its specification describes it: four lanes over 32-byte stripes, then the tail, then an avalanche. */
static const uint64_t xxh_prime1 = 0x9E3779B185EBCA87ULL, xxh_prime2 = 0xC2B2AE3D27D4EB4FULL,
                      xxh_prime3 = 0x165667B19E3779F9ULL, xxh_prime4 = 0x85EBCA77C2B2AE63ULL,
                      xxh_prime5 = 0x27D4EB2F165667C5ULL;

static inline uint64_t xxh_rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t xxh_read64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline uint32_t xxh_read32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline uint64_t xxh_round(uint64_t lane, uint64_t input) {
    lane += input * xxh_prime2;
    lane = xxh_rotl(lane, 31);
    return lane * xxh_prime1;
}

static inline uint64_t xxh_merge(uint64_t hash, uint64_t lane) {
    hash ^= xxh_round(0, lane);
    return hash * xxh_prime1 + xxh_prime4;
}

uint64_t plh_xxh64(const uint8_t *bytes, size_t length, uint64_t seed) {
    const uint8_t *p = bytes, *end = bytes + length;
    uint64_t hash;
    if (length >= 32) {
        uint64_t v1 = seed + xxh_prime1 + xxh_prime2, v2 = seed + xxh_prime2, v3 = seed, v4 = seed - xxh_prime1;
        const uint8_t *last = end - 32;
        do {
            v1 = xxh_round(v1, xxh_read64(p));
            v2 = xxh_round(v2, xxh_read64(p + 8));
            v3 = xxh_round(v3, xxh_read64(p + 16));
            v4 = xxh_round(v4, xxh_read64(p + 24));
            p += 32;
        } while (p <= last);
        hash = xxh_rotl(v1, 1) + xxh_rotl(v2, 7) + xxh_rotl(v3, 12) + xxh_rotl(v4, 18);
        hash = xxh_merge(hash, v1);
        hash = xxh_merge(hash, v2);
        hash = xxh_merge(hash, v3);
        hash = xxh_merge(hash, v4);
    } else {
        hash = seed + xxh_prime5;
    }
    hash += (uint64_t)length;
    while (p + 8 <= end) {
        hash ^= xxh_round(0, xxh_read64(p));
        hash = xxh_rotl(hash, 27) * xxh_prime1 + xxh_prime4;
        p += 8;
    }
    if (p + 4 <= end) {
        hash ^= (uint64_t)xxh_read32(p) * xxh_prime1;
        hash = xxh_rotl(hash, 23) * xxh_prime2 + xxh_prime3;
        p += 4;
    }
    while (p < end) {
        hash ^= (uint64_t)(*p) * xxh_prime5;
        hash = xxh_rotl(hash, 11) * xxh_prime1;
        p++;
    }
    hash ^= hash >> 33;
    hash *= xxh_prime2;
    hash ^= hash >> 29;
    hash *= xxh_prime3;
    hash ^= hash >> 32;
    return hash;
}
