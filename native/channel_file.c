/*
 * Channels in files that other processes map. The creator sizes, maps and formats a file under a
 * temporary name, then links it to its path, so that no process opens a half-made channel; it
 * removes the path at close, as does an adopter (host_liveness.c). An opener checks the file's owner
 * and size before it reads a byte, so a short file cannot fault (SIGBUS) and another user's file is
 * not trusted by accident. The Java twin is java/.../ChannelFile.java.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton_internal.h"

/* The code for a file system call's errno, with a detail naming the path, as ChannelFile.java does. */
static int refuse_errno(int error, const char *path)
{
    switch (error) {
    case EEXIST: return baton__refuse(BATON_EEXIST, "%s: a file already exists there", path);
    case ENOENT: return baton__refuse(BATON_ENOENT, "%s: no such file", path);
    case EACCES:
    case EPERM: return baton__refuse(BATON_EACCES, "%s: permission denied", path);
    default: return baton__refuse(BATON_EIO, "%s: %s", path, strerror(error));
    }
}

/* Maps length bytes of fd shared, read-write: the mapping, or NULL. */
static void *map(int fd, uint64_t length)
{
    void *memory = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return memory == MAP_FAILED ? NULL : memory;
}

int baton_create(const char *path, const baton_config *config, uint32_t mode, baton_channel **out)
{
    baton__detail_clear();
    if (path == NULL || config == NULL || out == NULL) {
        return BATON_EFAULT;
    }
    *out = NULL;
    uint64_t length = baton__segment_length(config);
    if (length == 0) {
        return BATON_EINVAL;
    }
    size_t path_length = strlen(path);
    char *temporary = malloc(path_length + 32);
    char *created = malloc(path_length + 1);
    if (temporary == NULL || created == NULL) {
        free(temporary);
        free(created);
        return BATON_ENOMEM;
    }
    memcpy(created, path, path_length + 1);
    snprintf(temporary, path_length + 32, "%s.%ld.creating", path, (long)getpid());
    int fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode != 0 ? mode : BATON_FILE_MODE_DEFAULT);
    if (fd < 0) {
        int code = refuse_errno(errno, temporary);
        free(temporary);
        free(created);
        return code;
    }
    int result = BATON_OK;
    void *memory = NULL;
    if (ftruncate(fd, (off_t)length) != 0 || (memory = map(fd, length)) == NULL) {
        result = refuse_errno(errno, temporary);
    } else if ((result = baton_format(memory, length, config)) == BATON_OK &&
               (result = baton_attach(memory, length, out)) == BATON_OK) {
        /* link, not rename: it fails when path exists, so a channel is never replaced. */
        if (link(temporary, path) != 0) {
            result = refuse_errno(errno, path);
            baton_detach(*out); /* not yet mapped-owned: the mapping is unmapped below */
            *out = NULL;
        }
    }
    close(fd);
    unlink(temporary);
    free(temporary);
    if (result != BATON_OK) {
        if (memory != NULL) {
            munmap(memory, (size_t)length);
        }
        free(created);
        return result;
    }
    (*out)->mapped = 1;
    (*out)->file_path = created;
    (*out)->removes_file = 1;
    return BATON_OK;
}

/* BATON_OK when the open file is one this process may map as a channel: its own (or any owner's,
 * with BATON_OPEN_ANY_OWNER), a regular file, long enough to hold a header, so that nothing is read
 * from a file too short for one. Else the code, with a detail naming the path. */
static int check_file(int fd, const char *path, uint32_t flags, uint64_t *length)
{
    struct stat file;
    if (fstat(fd, &file) != 0) {
        return refuse_errno(errno, path);
    }
    if (file.st_uid != geteuid() && (flags & BATON_OPEN_ANY_OWNER) == 0) {
        return baton__refuse(BATON_EACCES, "%s: owned by uid %u, and this process runs as uid %u", path,
                             (unsigned)file.st_uid, (unsigned)geteuid());
    }
    if (!S_ISREG(file.st_mode)) {
        return baton__refuse(BATON_EINVAL, "%s: not a regular file", path);
    }
    *length = (uint64_t)file.st_size;
    int checked = baton__check_header_room(*length);
    if (checked != BATON_OK) {
        baton__detail_name(path);
    }
    return checked;
}

int baton_open(const char *path, uint32_t flags, baton_channel **out)
{
    baton__detail_clear();
    if (path == NULL || out == NULL) {
        return BATON_EFAULT;
    }
    *out = NULL;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return refuse_errno(errno, path);
    }
    uint64_t length = 0;
    int result = check_file(fd, path, flags, &length);
    void *memory = result == BATON_OK ? map(fd, length) : NULL;
    if (result == BATON_OK && memory == NULL) {
        result = refuse_errno(errno, path);
    }
    close(fd);
    if (result != BATON_OK) {
        return result;
    }
    char *opened = strdup(path); /* kept for an adopter's close (baton_adopt) */
    if (opened == NULL) {
        munmap(memory, (size_t)length);
        return BATON_EIO;
    }
    /* baton_attach checks that every size the header claims fits in the file's length. */
    result = baton_attach(memory, length, out);
    if (result != BATON_OK) {
        baton__detail_name(path);
        munmap(memory, (size_t)length);
        free(opened);
        return result;
    }
    (*out)->mapped = 1;
    (*out)->file_path = opened;
    return BATON_OK;
}
