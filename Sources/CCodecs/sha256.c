/* SHA-256 as FIPS 180-4 defines it, written here rather than taken from OpenSSL's libcrypto: loading libcrypto
   (4 000 symbol relocations, 0.6 ms) cost more at each start of plh-bilan than the hashing of a whole bilan. Blocks
   go through the processor's SHA instructions where it has them (x86-64 SHA extensions, checked once with CPUID),
   through the plain rounds otherwise; the tests check both against published digests. */
#include "CCodecs.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* The first 32 bits of the fractional parts of the square roots of the first 8 primes. */
static const uint32_t initial_hash[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t rotate_right(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static inline uint32_t load_big_endian(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The 64 rounds of FIPS 180-4 section 6.2.2 over `blocks` blocks of 64 bytes. */
static void compress_plain(uint32_t hash[8], const uint8_t *p, size_t blocks) {
    uint32_t w[64];
    for (; blocks > 0; blocks--, p += 64) {
        for (int t = 0; t < 16; t++) w[t] = load_big_endian(p + 4 * t);
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotate_right(w[t - 15], 7) ^ rotate_right(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = rotate_right(w[t - 2], 17) ^ rotate_right(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = hash[0], b = hash[1], c = hash[2], d = hash[3], e = hash[4], f = hash[5], g = hash[6], h = hash[7];
        for (int t = 0; t < 64; t++) {
            uint32_t sum1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
            uint32_t choice = (e & f) ^ (~e & g);
            uint32_t t1 = h + sum1 + choice + round_constants[t] + w[t];
            uint32_t sum0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
            uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + sum0 + majority;
        }
        hash[0] += a; hash[1] += b; hash[2] += c; hash[3] += d;
        hash[4] += e; hash[5] += f; hash[6] += g; hash[7] += h;
    }
}

#if defined(__x86_64__)
/* The same rounds through SHA256RNDS2, four at a time, and the message schedule through SHA256MSG1 and SHA256MSG2.
   The instructions keep the working variables as two vectors, (A, B, E, F) and (C, D, G, H), highest lane first. */
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_instructions(uint32_t hash[8], const uint8_t *p, size_t blocks) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i low = _mm_loadu_si128((const __m128i *)&hash[0]);    /* lanes: a b c d */
    __m128i high = _mm_loadu_si128((const __m128i *)&hash[4]);   /* lanes: e f g h */
    low = _mm_shuffle_epi32(low, 0xB1);                          /* b a d c */
    high = _mm_shuffle_epi32(high, 0x1B);                        /* h g f e */
    __m128i abef = _mm_alignr_epi8(low, high, 8);                /* f e b a */
    __m128i cdgh = _mm_blend_epi16(high, low, 0xF0);             /* h g d c */
    for (; blocks > 0; blocks--, p += 64) {
        const __m128i abef_before = abef, cdgh_before = cdgh;
        __m128i w[4];
        for (int i = 0; i < 4; i++) w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), byte_swap);
        for (int group = 0; group < 16; group++) {
            __m128i *words = &w[group & 3];
            if (group >= 4) {
                /* W[t..t+3] from W[t-16..t-13] (words), W[t-15..t-12], W[t-7..t-4] and W[t-2..t-1]. */
                const __m128i previous = w[(group + 3) & 3], before = w[(group + 2) & 3];
                __m128i x = _mm_sha256msg1_epu32(*words, w[(group + 1) & 3]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(previous, before, 4));
                *words = _mm_sha256msg2_epu32(x, previous);
            }
            __m128i message = _mm_add_epi32(*words, _mm_loadu_si128((const __m128i *)&round_constants[4 * group]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(message, 0x0E));
        }
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);                /* a b e f */
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);                /* g h c d */
    _mm_storeu_si128((__m128i *)&hash[0], _mm_blend_epi16(feba, dchg, 0xF0));  /* a b c d */
    _mm_storeu_si128((__m128i *)&hash[4], _mm_alignr_epi8(dchg, feba, 8));     /* e f g h */
}
#endif

typedef void (*compress_function)(uint32_t hash[8], const uint8_t *p, size_t blocks);
static compress_function chosen_compress = compress_plain;
static pthread_once_t chosen_once = PTHREAD_ONCE_INIT;

static void choose_compress(void) {
#if defined(__x86_64__)
    unsigned int a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d) == 0) return;
    const int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return;
    const int sha = (b >> 29) & 1;
    if (ssse3 && sse41 && sha) chosen_compress = compress_instructions;
#endif
}

static compress_function compress(void) {
    pthread_once(&chosen_once, choose_compress);
    return chosen_compress;
}

struct plh_sha256_state {
    uint32_t hash[8];
    uint64_t length;
    size_t filled;
    uint8_t block[64];
    compress_function compress;
};

static void start(plh_sha256_state *state, compress_function function) {
    memcpy(state->hash, initial_hash, sizeof initial_hash);
    state->length = 0;
    state->filled = 0;
    state->compress = function;
}

static void update(plh_sha256_state *state, const uint8_t *bytes, size_t length) {
    state->length += length;
    if (state->filled > 0) {
        size_t taken = 64 - state->filled < length ? 64 - state->filled : length;
        memcpy(state->block + state->filled, bytes, taken);
        state->filled += taken;
        bytes += taken;
        length -= taken;
        if (state->filled < 64) return;
        state->compress(state->hash, state->block, 1);
        state->filled = 0;
    }
    if (length >= 64) {
        state->compress(state->hash, bytes, length / 64);
        bytes += length - length % 64;
        length %= 64;
    }
    if (length > 0) {
        memcpy(state->block, bytes, length);
        state->filled = length;
    }
}

/* Section 5.1.1: a one bit, zeros, then the message's length in bits, big-endian, ending a block. */
static void finish(plh_sha256_state *state, uint8_t digest[32]) {
    const uint64_t bits = state->length * 8;
    state->block[state->filled++] = 0x80;
    if (state->filled > 56) {
        memset(state->block + state->filled, 0, 64 - state->filled);
        state->compress(state->hash, state->block, 1);
        state->filled = 0;
    }
    memset(state->block + state->filled, 0, 56 - state->filled);
    for (int i = 0; i < 8; i++) state->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    state->compress(state->hash, state->block, 1);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(state->hash[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(state->hash[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(state->hash[i] >> 8);
        digest[4 * i + 3] = (uint8_t)state->hash[i];
    }
}

void plh_sha256(const uint8_t *bytes, size_t length, uint8_t *digest) {
    plh_sha256_state state;
    start(&state, compress());
    if (length > 0) update(&state, bytes, length);
    finish(&state, digest);
}

void plh_sha256_plain(const uint8_t *bytes, size_t length, uint8_t *digest) {
    plh_sha256_state state;
    start(&state, compress_plain);
    if (length > 0) update(&state, bytes, length);
    finish(&state, digest);
}

int plh_sha256_uses_instructions(void) {
#if defined(__x86_64__)
    return compress() == compress_instructions;
#else
    return 0;
#endif
}

plh_sha256_state *plh_sha256_begin(void) {
    plh_sha256_state *state = malloc(sizeof *state);
    if (state != NULL) start(state, compress());
    return state;
}

void plh_sha256_update(plh_sha256_state *state, const uint8_t *bytes, size_t length) {
    if (length > 0) update(state, bytes, length);
}

void plh_sha256_end(plh_sha256_state *state, uint8_t *digest) {
    if (digest != NULL) finish(state, digest);
    free(state);
}
