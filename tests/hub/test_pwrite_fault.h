/* For store tests: the default VFS's write system call swapped (xSetSystemCall) for one that
 * counts its calls and, while pwrite_fault_fail is set, fails as a full disk would. */
#ifndef SHOWFLOOR_TEST_PWRITE_FAULT_H
#define SHOWFLOOR_TEST_PWRITE_FAULT_H

extern int pwrite_fault_calls; /* writes since the last reset by the test */
extern int pwrite_fault_fail;  /* nonzero: each write fails with ENOSPC */

/* Swaps the call in (cmocka-asserts that SQLite took it) / back to the original. */
void pwrite_fault_install(void);
void pwrite_fault_remove(void);

#endif
