/* A VFS over SQLite's default one that gathers a commit's WAL writes into one pwrite.
 *
 * SQLite writes each WAL frame as two writes, its 24-byte header and then the page, so a
 * lone check-in's 23 frames were 46 pwrite calls before the fdatasync; on the development
 * machine those cost ~48 us against ~18 us for the same bytes in one call (BENCHMARKS.md
 * "Round 5"). Here a WAL file keeps the run of contiguous writes it has been given in
 * memory and hands it to the file in one write before anything can depend on it:
 *
 *   - xSync: a commit under synchronous=FULL syncs the WAL before it publishes the new
 *     frames in the wal-index, so the bytes reach the file before the sync, and a failed
 *     write fails the commit (SQLite rolls back; nothing was published);
 *   - the database file's xShmBarrier: SQLite calls it while publishing a new wal-index
 *     header, which under synchronous=NORMAL comes without a sync; other connections then
 *     read the frames through their own file handles, so they must be in the file by then;
 *   - a read, truncate, size query or file control on the WAL, and a write that does not
 *     continue the run (SQLite rewriting a frame, the header of a new WAL): the run goes out
 *     first, so the file is always what SQLite believes it wrote, in the order it wrote it.
 *
 * Nothing is acknowledged before the sync it rides on, so a crash loses only frames no
 * commit had yet returned for, exactly as without the buffer. A write that fails where it
 * cannot be reported (the barrier) makes every later operation on that WAL fail with the
 * same error: the connection stops rather than publish frames the file does not hold.
 *
 * Only the WAL is buffered; every other file passes straight through. */
#include "store_internal.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WALBUF_VFS "showfloor-walbuf"
/* A write past this much pending goes out first; a batch of 64 check-ins is ~400 KiB. */
#define WALBUF_MAX (4 << 20)
#define WALBUF_MIN (64 << 10)
/* The default VFS writes `amount & 0x1ffff` bytes per call (os_unix.c seekAndWriteFd), so a
 * longer write comes back short and fails as "disk is full": the run goes out in pieces. */
#define WALBUF_PIECE 0x1f000

struct wb_file {
    sqlite3_file base;   /* pMethods: wb_methods */
    sqlite3_file *real;  /* the default VFS's file, just after this struct */
    struct wb_file *wal; /* a database file: its open WAL, if this connection has one */
    struct wb_file *db;  /* a WAL: its database file */
    bool is_wal;
    int sync_fd;        /* a WAL: a descriptor of our own, for store_sync.c's thread; else -1 */
    _Atomic int failed; /* an error that could not be reported: sticky */
    unsigned char *buf; /* the pending run: len bytes destined for offset off */
    size_t len, cap;
    sqlite3_int64 off;
};

static sqlite3_vfs wb_vfs;
static sqlite3_io_methods wb_methods;

static sqlite3_vfs *base_vfs(void)
{
    return wb_vfs.pAppData;
}

static int wb_flush(struct wb_file *p)
{
    if (p->failed)
        return p->failed;
    if (p->len == 0)
        return SQLITE_OK;
    int rc = SQLITE_OK;
    for (size_t done = 0; rc == SQLITE_OK && done < p->len; done += WALBUF_PIECE) {
        size_t n = p->len - done < WALBUF_PIECE ? p->len - done : WALBUF_PIECE;
        rc =
            p->real->pMethods->xWrite(p->real, p->buf + done, (int)n, p->off + (sqlite3_int64)done);
    }
    p->len = 0; /* either written or failed: a failed run is SQLite's to redo */
    return rc;
}

static int wb_close(sqlite3_file *f)
{
    struct wb_file *p = (struct wb_file *)f;
    int rc = wb_flush(p);
    if (p->db && p->db->wal == p)
        p->db->wal = NULL;
    if (p->wal && p->wal->db == p)
        p->wal->db = NULL;
    free(p->buf);
    p->buf = NULL;
    if (p->sync_fd >= 0)
        close(p->sync_fd);
    p->sync_fd = -1;
    int rc2 = p->real->pMethods->xClose(p->real);
    return rc != SQLITE_OK ? rc : rc2;
}

static int wb_read(sqlite3_file *f, void *out, int amt, sqlite3_int64 off)
{
    struct wb_file *p = (struct wb_file *)f;
    if (p->failed)
        return p->failed;
    if (p->len && off < p->off + (sqlite3_int64)p->len && off + amt > p->off) {
        int rc = wb_flush(p);
        if (rc != SQLITE_OK)
            return rc;
    }
    return p->real->pMethods->xRead(p->real, out, amt, off);
}

static int wb_write(sqlite3_file *f, const void *data, int amt, sqlite3_int64 off)
{
    struct wb_file *p = (struct wb_file *)f;
    if (!p->is_wal)
        return p->real->pMethods->xWrite(p->real, data, amt, off);
    if (p->failed)
        return p->failed;
    size_t n = (size_t)amt;
    /* anything but the next bytes of the run (SQLite rewriting a frame of the same
     * transaction, the header of a new WAL) starts a run of its own: the old one goes first */
    bool follows = p->len && off == p->off + (sqlite3_int64)p->len;
    if (!follows || p->len + n > WALBUF_MAX) {
        int rc = wb_flush(p);
        if (rc != SQLITE_OK)
            return rc;
    }
    if (p->len + n > WALBUF_MAX)
        return p->real->pMethods->xWrite(p->real, data, amt, off);
    if (p->len + n > p->cap) {
        size_t cap = p->cap ? p->cap : WALBUF_MIN;
        while (cap < p->len + n)
            cap *= 2;
        unsigned char *b = realloc(p->buf, cap);
        if (!b) { /* no memory for the run: write through, in order */
            int rc = wb_flush(p);
            return rc != SQLITE_OK ? rc : p->real->pMethods->xWrite(p->real, data, amt, off);
        }
        p->buf = b;
        p->cap = cap;
    }
    if (p->len == 0)
        p->off = off;
    memcpy(p->buf + p->len, data, n);
    p->len += n;
    return SQLITE_OK;
}

static int wb_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    struct wb_file *p = (struct wb_file *)f;
    int rc = wb_flush(p);
    return rc != SQLITE_OK ? rc : p->real->pMethods->xTruncate(p->real, size);
}

static int wb_sync(sqlite3_file *f, int flags)
{
    struct wb_file *p = (struct wb_file *)f;
    int rc = wb_flush(p);
    return rc != SQLITE_OK ? rc : p->real->pMethods->xSync(p->real, flags);
}

static int wb_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    struct wb_file *p = (struct wb_file *)f;
    int rc = wb_flush(p);
    return rc != SQLITE_OK ? rc : p->real->pMethods->xFileSize(p->real, size);
}

static int wb_lock(sqlite3_file *f, int level)
{
    struct wb_file *p = (struct wb_file *)f;
    return p->real->pMethods->xLock(p->real, level);
}

static int wb_unlock(sqlite3_file *f, int level)
{
    struct wb_file *p = (struct wb_file *)f;
    return p->real->pMethods->xUnlock(p->real, level);
}

static int wb_check_reserved(sqlite3_file *f, int *out)
{
    struct wb_file *p = (struct wb_file *)f;
    return p->real->pMethods->xCheckReservedLock(p->real, out);
}

static int wb_file_control(sqlite3_file *f, int op, void *arg)
{
    struct wb_file *p = (struct wb_file *)f;
    if (op == SQLITE_FCNTL_VFSNAME) { /* name the stack: "showfloor-walbuf/unix" */
        char **name = arg;
        *name = NULL;
        p->real->pMethods->xFileControl(p->real, op, arg);
        *name = *name ? sqlite3_mprintf("%s/%z", WALBUF_VFS, *name) : sqlite3_mprintf(WALBUF_VFS);
        return SQLITE_OK;
    }
    if (p->is_wal) {
        int rc = wb_flush(p);
        if (rc != SQLITE_OK)
            return rc;
    }
    return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int wb_sector_size(sqlite3_file *f)
{
    struct wb_file *p = (struct wb_file *)f;
    return p->real->pMethods->xSectorSize(p->real);
}

static int wb_device_characteristics(sqlite3_file *f)
{
    struct wb_file *p = (struct wb_file *)f;
    return p->real->pMethods->xDeviceCharacteristics(p->real);
}

static int wb_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    struct wb_file *p = (struct wb_file *)f;
    return p->real->pMethods->xShmMap(p->real, pg, pgsz, extend, pp);
}

static int wb_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    struct wb_file *p = (struct wb_file *)f;
    return p->real->pMethods->xShmLock(p->real, offset, n, flags);
}

static void wb_shm_barrier(sqlite3_file *f)
{
    struct wb_file *p = (struct wb_file *)f;
    struct wb_file *w = p->wal;
    if (w && w->len && !w->failed) {
        int rc = wb_flush(w);
        if (rc != SQLITE_OK)
            w->failed = rc;
    }
    p->real->pMethods->xShmBarrier(p->real);
}

static int wb_shm_unmap(sqlite3_file *f, int delete_flag)
{
    struct wb_file *p = (struct wb_file *)f;
    return p->real->pMethods->xShmUnmap(p->real, delete_flag);
}

static int wb_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
    struct wb_file *p = (struct wb_file *)f;
    int rc = wb_flush(p);
    return rc != SQLITE_OK ? rc : p->real->pMethods->xFetch(p->real, off, amt, pp);
}

static int wb_unfetch(sqlite3_file *f, sqlite3_int64 off, void *ptr)
{
    struct wb_file *p = (struct wb_file *)f;
    return p->real->pMethods->xUnfetch(p->real, off, ptr);
}

static sqlite3_io_methods wb_methods = {
    .iVersion = 3,
    .xClose = wb_close,
    .xRead = wb_read,
    .xWrite = wb_write,
    .xTruncate = wb_truncate,
    .xSync = wb_sync,
    .xFileSize = wb_file_size,
    .xLock = wb_lock,
    .xUnlock = wb_unlock,
    .xCheckReservedLock = wb_check_reserved,
    .xFileControl = wb_file_control,
    .xSectorSize = wb_sector_size,
    .xDeviceCharacteristics = wb_device_characteristics,
    .xShmMap = wb_shm_map,
    .xShmLock = wb_shm_lock,
    .xShmBarrier = wb_shm_barrier,
    .xShmUnmap = wb_shm_unmap,
    .xFetch = wb_fetch,
    .xUnfetch = wb_unfetch,
};

/* Rounded so the default VFS's file, which follows, is aligned as it would be alone. */
#define WB_HEAD ((sizeof(struct wb_file) + 15) & ~(size_t)15)

static int wb_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
                   int *out_flags)
{
    (void)vfs;
    struct wb_file *p = (struct wb_file *)f;
    memset(p, 0, sizeof *p);
    p->real = (sqlite3_file *)((char *)f + WB_HEAD);
    int rc = base_vfs()->xOpen(base_vfs(), name, p->real, flags, out_flags);
    if (rc != SQLITE_OK || !p->real->pMethods) {
        /* SQLite closes a file whose open failed only if its methods are set: close the
         * default VFS's half here, and leave ours unset */
        if (p->real->pMethods)
            p->real->pMethods->xClose(p->real);
        p->base.pMethods = NULL;
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    /* the methods SQLite may call must exist below: shared memory and mmap are optional */
    if (p->real->pMethods->iVersion < 3) {
        p->real->pMethods->xClose(p->real);
        p->base.pMethods = NULL;
        return SQLITE_CANTOPEN;
    }
    p->base.pMethods = &wb_methods;
    p->sync_fd = -1;
    if (flags & SQLITE_OPEN_WAL) {
        /* the file the default VFS has just opened (SQLite holds the database's lock, so no
         * one can delete it in between); read-only is enough for fdatasync */
        p->sync_fd = open(name, O_RDONLY | O_CLOEXEC);
        if (p->sync_fd < 0) {
            p->real->pMethods->xClose(p->real);
            p->base.pMethods = NULL;
            return SQLITE_CANTOPEN;
        }
        p->is_wal = true;
        sqlite3_file *db = sqlite3_database_file_object(name);
        if (db && db->pMethods == &wb_methods) {
            p->db = (struct wb_file *)db;
            p->db->wal = p;
        }
    }
    return SQLITE_OK;
}

static int wb_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return base_vfs()->xDelete(base_vfs(), name, sync_dir);
}

static int wb_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return base_vfs()->xAccess(base_vfs(), name, flags, out);
}

static int wb_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return base_vfs()->xFullPathname(base_vfs(), name, n, out);
}

static void *wb_dl_open(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return base_vfs()->xDlOpen(base_vfs(), name);
}

static void wb_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    base_vfs()->xDlError(base_vfs(), n, msg);
}

static void (*wb_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return base_vfs()->xDlSym(base_vfs(), h, sym);
}

static void wb_dl_close(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    base_vfs()->xDlClose(base_vfs(), h);
}

static int wb_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return base_vfs()->xRandomness(base_vfs(), n, out);
}

static int wb_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return base_vfs()->xSleep(base_vfs(), us);
}

static int wb_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return base_vfs()->xCurrentTime(base_vfs(), out);
}

static int wb_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return base_vfs()->xGetLastError(base_vfs(), n, out);
}

static int wb_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return base_vfs()->xCurrentTimeInt64(base_vfs(), out);
}

const char *store_walbuf_register(void)
{
    if (wb_vfs.zName) /* registered already */
        return wb_vfs.zName;
    sqlite3_vfs *base = sqlite3_vfs_find(NULL);
    /* version 2 for xCurrentTimeInt64, which SQLite prefers; the system-call hooks of
     * version 3 stay with the default VFS, where tests reach them */
    if (!base || base->iVersion < 2)
        return NULL;
    wb_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)WB_HEAD + base->szOsFile,
        .mxPathname = base->mxPathname,
        .zName = WALBUF_VFS,
        .pAppData = base,
        .xOpen = wb_open,
        .xDelete = wb_delete,
        .xAccess = wb_access,
        .xFullPathname = wb_full_pathname,
        .xDlOpen = wb_dl_open,
        .xDlError = wb_dl_error,
        .xDlSym = wb_dl_sym,
        .xDlClose = wb_dl_close,
        .xRandomness = wb_randomness,
        .xSleep = wb_sleep,
        .xCurrentTime = wb_current_time,
        .xGetLastError = wb_last_error,
        .xCurrentTimeInt64 = wb_current_time64,
    };
    if (sqlite3_vfs_register(&wb_vfs, 0) != SQLITE_OK) {
        wb_vfs.zName = NULL;
        return NULL;
    }
    return wb_vfs.zName;
}

int store_walbuf_wal_fd(sqlite3 *db, int *failed)
{
    sqlite3_file *f = NULL;
    *failed = SQLITE_OK;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK || !f ||
        f->pMethods != &wb_methods)
        return -1;
    struct wb_file *p = (struct wb_file *)f;
    if (!p->is_wal)
        return -1;
    *failed = atomic_load(&p->failed);
    return p->sync_fd;
}
