#ifndef C_CODECS_H
#define C_CODECS_H
#include <stddef.h>
#include <stdint.h>

/// CRC-32 as ZIP stores it, continuing from `crc` (0 to start), computed by libdeflate.
uint32_t plh_crc32(uint32_t crc, const uint8_t *bytes, size_t length);

/// The most bytes `plh_deflate_raw` can write for `length` input bytes.
size_t plh_deflate_bound(size_t length);

/// Raw deflate (no zlib header or trailer, as ZIP stores it) by libdeflate, at compression `level` (1 to 12).
/// Returns the number of bytes written to `out`, or 0 when libdeflate fails or `capacity` is too small.
size_t plh_deflate_raw(const uint8_t *bytes, size_t length, uint8_t *out, size_t capacity, int level);

/// SHA-256 of `length` bytes into `digest` (32 bytes): FIPS 180-4, through the processor's SHA instructions where
/// it has them (sha256.c).
void plh_sha256(const uint8_t *bytes, size_t length, uint8_t *digest);
/// The same digest through the plain rounds whatever the processor, for the tests to compare both ways.
void plh_sha256_plain(const uint8_t *bytes, size_t length, uint8_t *digest);
/// 1 when `plh_sha256` goes through the processor's SHA instructions.
int plh_sha256_uses_instructions(void);

/// An incremental SHA-256, for data read in pieces (a verified archive's entries, streamed).
typedef struct plh_sha256_state plh_sha256_state;
/// A new state, or NULL when memory runs out.
plh_sha256_state *plh_sha256_begin(void);
void plh_sha256_update(plh_sha256_state *state, const uint8_t *bytes, size_t length);
/// Writes the digest (32 bytes) when `digest` is not NULL, and frees the state.
void plh_sha256_end(plh_sha256_state *state, uint8_t *digest);

/// XXH64 of `length` bytes with `seed` (the published xxHash algorithm, 64 bits): a fast, well-mixed checksum for
/// telling whether a batch's inputs changed since its last run, not a defence against anyone forging one.
uint64_t plh_xxh64(const uint8_t *bytes, size_t length, uint64_t seed);

#endif
