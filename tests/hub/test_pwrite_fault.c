/* See test_pwrite_fault.h. */
#define _GNU_SOURCE
#include "test_pwrite_fault.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>
#include <sqlite3.h>

int pwrite_fault_calls;
int pwrite_fault_fail;

static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);

static ssize_t fault_pwrite(int fd, const void *buf, size_t n, off_t off)
{
    pwrite_fault_calls++;
    if (pwrite_fault_fail) {
        errno = ENOSPC;
        return -1;
    }
    return real_pwrite(fd, buf, n, off);
}

/* The default VFS writes with pwrite64 where the platform has it. */
static const char *write_call(void)
{
    sqlite3_vfs *unix_vfs = sqlite3_vfs_find(NULL);
    return unix_vfs->xGetSystemCall(unix_vfs, "pwrite64") ? "pwrite64" : "pwrite";
}

void pwrite_fault_install(void)
{
    sqlite3_vfs *unix_vfs = sqlite3_vfs_find(NULL);
    real_pwrite = (ssize_t(*)(int, const void *, size_t, off_t))unix_vfs->xGetSystemCall(
        unix_vfs, write_call());
    assert_non_null(real_pwrite);
    assert_int_equal(
        unix_vfs->xSetSystemCall(unix_vfs, write_call(), (sqlite3_syscall_ptr)fault_pwrite),
        SQLITE_OK);
}

void pwrite_fault_remove(void)
{
    sqlite3_vfs *unix_vfs = sqlite3_vfs_find(NULL);
    unix_vfs->xSetSystemCall(unix_vfs, write_call(), NULL); /* NULL: the original */
}
