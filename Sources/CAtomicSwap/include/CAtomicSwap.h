#ifndef C_ATOMIC_SWAP_H
#define C_ATOMIC_SWAP_H

/// Exchanges two paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set otherwise (ENOSYS or EINVAL where unsupported).
int plh_exchange_paths(const char *a, const char *b);

#endif
