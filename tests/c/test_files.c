/*
 * Channels in files: created atomically with owner-only permissions, attached by path from another
 * attachment (here in the same process; tests/c/handler_process.c does it from others), refused
 * when the file exists, is missing, is too short for what its header claims, or belongs to another
 * user; closed by the creator, which removes the file while the other attachment keeps its mapping
 * until it detaches.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static const baton_config FILE_CONFIG = {
    .slab_capacity = 8,
    .slot_size = 192,
    .dispatch_ring_capacity = 16,
    .completion_ring_capacity = 4096,
    .latency_ring_capacity = 16,
    .attachment_capacity = 16,
    .completion_timeout_ns = 1000000000,
    .starvation_threshold_ns = 1000000000,
};

static void count_one(void *context, const baton_outcome *completion)
{
    (void)completion;
    (*(int *)context)++;
}

static void a_channel_in_a_file_is_shared_by_path_and_removed_at_close(const char *folder)
{
    char path[512];
    snprintf(path, sizeof path, "%s/channel", folder);
    baton_channel *host = NULL;
    CHECK_CODE(BATON_OK, baton_create(path, &FILE_CONFIG, 0, &host));
    struct stat file;
    CHECK(stat(path, &file) == 0 && (file.st_mode & 0777) == BATON_FILE_MODE_DEFAULT);
    CHECK(file.st_size == (off_t)baton_segment_length(&FILE_CONFIG));
    baton_channel *again = NULL;
    CHECK_CODE(BATON_EEXIST, baton_create(path, &FILE_CONFIG, 0, &again));
    CHECK(again == NULL);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: a file already exists there", path);
    CHECK_DETAIL(BATON_EEXIST, expected);

    baton_channel *handler = NULL;
    CHECK_CODE(BATON_OK, baton_open(path, 0, &handler));
    CHECK(baton_dispatch(host, 0, 1, 0, 0, 0, "ping", 4) > 0);
    uint64_t handle;
    CHECK_CODE(1, claim_one(handler, &handle));
    CHECK_CODE(BATON_OK, baton_complete(handler, handle, 200, "pong", 4));
    int drained = 0;
    CHECK_CODE(1, baton_drain_each(host, count_one, &drained, 16));

    CHECK_CODE(BATON_OK, baton_close(host));
    CHECK(access(path, F_OK) != 0);                    /* the creator removed the file */
    CHECK_CODE(BATON_ESHUTDOWN, claim_one(handler, &handle)); /* the mapping is still readable */
    CHECK_CODE(BATON_OK, baton_detach(handler));
    CHECK_CODE(BATON_OK, baton_detach(host));
}

static void bad_files_are_refused_without_reading_past_them(const char *folder)
{
    char path[512];
    baton_channel *channel = (baton_channel *)1;
    snprintf(path, sizeof path, "%s/missing", folder);
    CHECK_CODE(BATON_ENOENT, baton_open(path, 0, &channel));
    CHECK(channel == NULL);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: no such file", path);
    CHECK_DETAIL(BATON_ENOENT, expected);
    CHECK_CODE(BATON_EFAULT, baton_open(NULL, 0, &channel));
    CHECK_CODE(BATON_EFAULT, baton_create(path, NULL, 0, &channel));

    /* Shorter than a header: refused before a byte is mapped. */
    snprintf(path, sizeof path, "%s/short", folder);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0 && ftruncate(fd, 100) == 0);
    close(fd);
    CHECK_CODE(BATON_EINVAL, baton_open(path, 0, &channel));
    snprintf(expected, sizeof expected, "%s: 100 bytes, shorter than a channel header (512 bytes)", path);
    CHECK_DETAIL(BATON_EINVAL, expected);
    unlink(path);

    /* A directory is no channel. */
    CHECK_CODE(BATON_EIO, baton_open(folder, 0, &channel));
    snprintf(expected, sizeof expected, "%s: Is a directory", folder);
    CHECK_DETAIL(BATON_EIO, expected);

    /* A header's worth of bytes that are no channel: the magic found and the magic expected. */
    snprintf(path, sizeof path, "%s/letters", folder);
    fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    char letters[8192];
    memset(letters, 'A', sizeof letters);
    CHECK(fd >= 0 && write(fd, letters, sizeof letters) == (ssize_t)sizeof letters);
    close(fd);
    CHECK_CODE(BATON_EBADMSG, baton_open(path, 0, &channel));
    snprintf(expected, sizeof expected,
             "%s: not a Baton channel: its magic is 0x4141414141414141, a channel's is 0x%016llx", path,
             (unsigned long long)BATON_MAGIC);
    CHECK_DETAIL(BATON_EBADMSG, expected);
    unlink(path);

    /* A whole header that claims more than the file holds: refused by the size checks, no SIGBUS.
     * The short file is a copy of a channel's first half; the channel itself stays whole, since its
     * creator still writes to it. */
    snprintf(path, sizeof path, "%s/whole", folder);
    baton_channel *creator = NULL;
    CHECK_CODE(BATON_OK, baton_create(path, &FILE_CONFIG, 0, &creator));
    const size_t half = (size_t)(baton_segment_length(&FILE_CONFIG) / 2);
    char truncated[512];
    snprintf(truncated, sizeof truncated, "%s/truncated", folder);
    int copy = open(truncated, O_RDWR | O_CREAT | O_EXCL, 0600);
    int whole = open(path, O_RDONLY);
    char *bytes = malloc(half);
    CHECK(copy >= 0 && whole >= 0 && bytes != NULL && read(whole, bytes, half) == (ssize_t)half &&
          write(copy, bytes, half) == (ssize_t)half);
    free(bytes);
    close(whole);
    close(copy);
    snprintf(expected, sizeof expected, "%s: its header claims %llu bytes, and it holds %llu", truncated,
             (unsigned long long)baton_segment_length(&FILE_CONFIG), (unsigned long long)half);
    CHECK_CODE(BATON_EINVAL, baton_open(truncated, 0, &channel));
    CHECK_DETAIL(BATON_EINVAL, expected);
    unlink(truncated);
    CHECK_CODE(BATON_OK, baton_close(creator));
    CHECK_CODE(BATON_OK, baton_detach(creator));

    /* Another user's file is refused unless the caller says it trusts it. */
    if (geteuid() == 0) {
        snprintf(path, sizeof path, "%s/foreign", folder);
        CHECK_CODE(BATON_OK, baton_create(path, &FILE_CONFIG, 0644, &creator));
        CHECK(chown(path, 65534, 65534) == 0);
        CHECK_CODE(BATON_EACCES, baton_open(path, 0, &channel));
        snprintf(expected, sizeof expected, "%s: owned by uid 65534, and this process runs as uid 0", path);
        CHECK_DETAIL(BATON_EACCES, expected);
        CHECK_CODE(BATON_OK, baton_open(path, BATON_OPEN_ANY_OWNER, &channel));
        CHECK_CODE(BATON_OK, baton_detach(channel));
        CHECK_CODE(BATON_OK, baton_close(creator));
        CHECK_CODE(BATON_OK, baton_detach(creator));
    }
}

void test_files(void)
{
    char folder[] = "/dev/shm/baton-test-XXXXXX";
    char fallback[] = "/tmp/baton-test-XXXXXX";
    const char *made = mkdtemp(folder);
    if (made == NULL) {
        made = mkdtemp(fallback);
    }
    CHECK(made != NULL);
    if (made == NULL) {
        return;
    }
    a_channel_in_a_file_is_shared_by_path_and_removed_at_close(made);
    bad_files_are_refused_without_reading_past_them(made);
    CHECK(rmdir(made) == 0); /* every file was removed */
}
