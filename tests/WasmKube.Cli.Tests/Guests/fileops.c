/*
 * Exercises the file system through the C library, identically natively and under WASI, inside the directory given
 * as argv[1]: every line it prints must be the same in both builds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char path_buffer[4][1024];

static const char *at(int slot, const char *root, const char *name) {
    snprintf(path_buffer[slot], sizeof path_buffer[slot], "%s/%s", root, name);
    return path_buffer[slot];
}

static void check(const char *what, int ok) {
    printf("%s: %s\n", what, ok ? "ok" : strerror(errno));
}

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        printf("opendir: %s\n", strerror(errno));
        return;
    }
    char *names[64];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && count < 64) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, compare);
    printf("entries:");
    for (int i = 0; i < count; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    const char *root = argv[1];

    FILE *f = fopen(at(0, root, "data.txt"), "w");
    check("fopen w", f != NULL);
    for (int i = 0; i < 100; i++) fprintf(f, "line %d\n", i);
    check("fclose", fclose(f) == 0);

    struct stat st;
    check("stat", stat(at(0, root, "data.txt"), &st) == 0);
    printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));

    f = fopen(at(0, root, "data.txt"), "r");
    char line[64];
    fseek(f, -8, SEEK_END);
    printf("tail: %s", fgets(line, sizeof line, f));
    rewind(f);
    printf("head: %s", fgets(line, sizeof line, f));
    printf("tell %ld\n", ftell(f));
    fclose(f);

    int fd = open(at(0, root, "data.txt"), O_RDWR);
    check("pwrite", pwrite(fd, "LINE", 4, 0) == 4);
    char four[5] = {0};
    check("pread", pread(fd, four, 4, 7) == 4);
    printf("pread: %s\n", four);
    check("ftruncate", ftruncate(fd, 10) == 0);
    check("fstat", fstat(fd, &st) == 0);
    printf("truncated size %lld\n", (long long)st.st_size);
    close(fd);

    check("exclusive create of existing", open(at(0, root, "data.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644) < 0);
    printf("errno is EEXIST: %d\n", errno == EEXIST);
    check("open missing", open(at(0, root, "missing"), O_RDONLY) >= 0);

    check("mkdir", mkdir(at(0, root, "dir"), 0755) == 0);
    check("mkdir again", mkdir(at(0, root, "dir"), 0755) == 0);
    check("rename", rename(at(0, root, "data.txt"), at(1, root, "dir/moved.txt")) == 0);
    check("symlink", symlink("moved.txt", at(0, root, "dir/link")) == 0);
    char target[64] = {0};
    check("readlink", readlink(at(0, root, "dir/link"), target, sizeof target - 1) > 0);
    printf("link -> %s\n", target);
    check("lstat", lstat(at(0, root, "dir/link"), &st) == 0);
    printf("is link %d\n", S_ISLNK(st.st_mode));
    check("link", link(at(0, root, "dir/moved.txt"), at(1, root, "dir/hard.txt")) == 0);
    check("stat hard", stat(at(0, root, "dir/hard.txt"), &st) == 0);
    printf("nlink %lu\n", (unsigned long)st.st_nlink);
    list(at(0, root, "dir"));
    check("rmdir non-empty", rmdir(at(0, root, "dir")) == 0);
    check("unlink dir", unlink(at(0, root, "dir")) == 0);
    check("unlink link", unlink(at(0, root, "dir/link")) == 0);
    check("unlink hard", unlink(at(0, root, "dir/hard.txt")) == 0);
    check("unlink moved", unlink(at(0, root, "dir/moved.txt")) == 0);
    check("rmdir", rmdir(at(0, root, "dir")) == 0);
    list(root);

    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec pause = {0, 20 * 1000 * 1000};
    check("nanosleep", nanosleep(&pause, NULL) == 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long elapsed = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("slept at least 20 ms: %d\n", elapsed >= 20);
    printf("realtime after 2020: %d\n", time(NULL) > 1577836800);
    return 7;
}
