// An adversarial WASI guest: runs the commands given as arguments with raw wasi_snapshot_preview1 calls (so it can
// pass any pointer, length and count) and reports, one line each:
//   = INDEX ERRNO       the errno the call returned
//   > INDEX TEXT        what it learned or did after a call succeeded (read data, directory entries, inodes)
// After every successful open it tries to exploit the descriptor: it reads or lists it and, for a directory, creates
// a file in it; the host checks that nothing of that reached outside the preopen.
//
// Commands (one argument each, words separated by spaces; paths are %XX-escaped, so "%00" is a NUL byte, and ''
// is the empty path):
//   open DIR FOLLOW OFLAGS RIGHTS FDFLAGS PATH   keep DIR FOLLOW OFLAGS RIGHTS PATH (open, no exploit; fd becomes $)
//   stat DIR FOLLOW PATH    times DIR FOLLOW PATH    readlink DIR PATH    mkdir DIR PATH    rmdir DIR PATH
//   unlink DIR PATH    symlink TARGET DIR PATH    link DIR FOLLOW OLD DIR2 NEW    rename DIR OLD DIR2 NEW
//   write FD    pwrite FD    allocate FD    truncate FD    fdtimes FD    setflags FD FLAGS
//   setrights FD BASE INHERITING    renumber FROM TO    readdir FD COOKIE
//   race DIR MAX PATH     poll COUNT    writev COUNT    rawpath POINTER LENGTH
// DIR and FD are numbers, or $ for the descriptor kept last. Numbers may be hexadecimal (0x...).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

IMPORT("path_open") int32_t raw_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t, int64_t, int32_t, int32_t);
IMPORT("path_filestat_get") int32_t raw_path_filestat_get(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("path_filestat_set_times") int32_t raw_path_filestat_set_times(int32_t, int32_t, int32_t, int32_t, int64_t, int64_t, int32_t);
IMPORT("path_readlink") int32_t raw_path_readlink(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("path_create_directory") int32_t raw_path_create_directory(int32_t, int32_t, int32_t);
IMPORT("path_remove_directory") int32_t raw_path_remove_directory(int32_t, int32_t, int32_t);
IMPORT("path_unlink_file") int32_t raw_path_unlink_file(int32_t, int32_t, int32_t);
IMPORT("path_symlink") int32_t raw_path_symlink(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("path_link") int32_t raw_path_link(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("path_rename") int32_t raw_path_rename(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("fd_read") int32_t raw_fd_read(int32_t, int32_t, int32_t, int32_t);
IMPORT("fd_write") int32_t raw_fd_write(int32_t, int32_t, int32_t, int32_t);
IMPORT("fd_pwrite") int32_t raw_fd_pwrite(int32_t, int32_t, int32_t, int64_t, int32_t);
IMPORT("fd_allocate") int32_t raw_fd_allocate(int32_t, int64_t, int64_t);
IMPORT("fd_fdstat_set_flags") int32_t raw_fd_fdstat_set_flags(int32_t, int32_t);
IMPORT("fd_close") int32_t raw_fd_close(int32_t);
IMPORT("fd_fdstat_get") int32_t raw_fd_fdstat_get(int32_t, int32_t);
IMPORT("fd_fdstat_set_rights") int32_t raw_fd_fdstat_set_rights(int32_t, int64_t, int64_t);
IMPORT("fd_filestat_set_size") int32_t raw_fd_filestat_set_size(int32_t, int64_t);
IMPORT("fd_filestat_set_times") int32_t raw_fd_filestat_set_times(int32_t, int64_t, int64_t, int32_t);
IMPORT("fd_renumber") int32_t raw_fd_renumber(int32_t, int32_t);
IMPORT("fd_readdir") int32_t raw_fd_readdir(int32_t, int32_t, int32_t, int64_t, int32_t);
IMPORT("poll_oneoff") int32_t raw_poll_oneoff(int32_t, int32_t, int32_t, int32_t);

#define P(x) ((int32_t)(intptr_t)(x))
#define ALL_RIGHTS 0x1FFFFFFFll
#define Y2001 978307200000000000ll // 2001-01-01T00:00:00Z in nanoseconds
#define SET_BOTH_TIMES 5           // atim | mtim

static int kept = -1;
static int current;
static char *words[8];
static int word_count;
static char paths[2][8192];
static int path_lengths[2];
static _Alignas(8) unsigned char scratch[65536];

static void result(int error) { printf("= %d %d\n", current, error); }

static void learned(const char *what, const unsigned char *text, size_t length)
{
    printf("> %d %s ", current, what);
    for (size_t i = 0; i < length; i++) putchar(text[i] >= 32 && text[i] < 127 ? text[i] : '?');
    putchar('\n');
}

static int64_t number(const char *word)
{
    if (strcmp(word, "$") == 0) return kept;
    return (int64_t)strtoull(word, NULL, 0);
}

// Decodes %XX escapes into paths[slot]; the length is explicit, so NUL bytes survive. '' is the empty path.
static void path(int slot, const char *word)
{
    int n = 0;
    if (strcmp(word, "''") == 0) word = "";
    for (const char *c = word; *c && n < (int)sizeof paths[slot]; c++) {
        if (c[0] == '%' && c[1] && c[2]) {
            char hex[3] = {c[1], c[2], 0};
            paths[slot][n++] = (char)strtol(hex, NULL, 16);
            c += 2;
        } else {
            paths[slot][n++] = *c;
        }
    }
    path_lengths[slot] = n;
}

#define PATH(slot) P(paths[slot]), path_lengths[slot]

static void list_directory(int fd)
{
    uint32_t used = 0;
    if (raw_fd_readdir(fd, P(scratch), sizeof scratch, 0, P(&used)) != 0) return;
    for (uint32_t at = 0; at + 24 <= used;) {
        uint64_t inode;
        uint32_t length;
        memcpy(&inode, scratch + at + 8, 8);
        memcpy(&length, scratch + at + 16, 4);
        if (at + 24 + length > used) break;
        learned("entry", scratch + at + 24, length);
        char text[32];
        int n = snprintf(text, sizeof text, "%llu", (unsigned long long)inode);
        learned("inode", (unsigned char *)text, (size_t)n);
        at += 24 + length;
    }
}

// What an attacker does with a descriptor it should not have: read it, list it, write into it.
static void exploit(int fd)
{
    unsigned char stat[24];
    if (raw_fd_fdstat_get(fd, P(stat)) != 0) return;
    if (stat[0] == 3) { // directory
        list_directory(fd);
        static const char name[] = "probe-was-here";
        int32_t created;
        if (raw_path_open(fd, 0, P(name), sizeof name - 1, 1, 0x40 /* fd_write */, 0, 0, P(&created)) == 0) {
            learned("created", (const unsigned char *)name, sizeof name - 1);
            raw_fd_close(created);
        }
    } else {
        unsigned char data[200];
        uint32_t iov[2] = {(uint32_t)P(data), sizeof data}, count = 0;
        if (raw_fd_read(fd, P(iov), 1, P(&count)) == 0) learned("data", data, count);
        static const char pwned[] = "PWNED";
        uint32_t out[2] = {(uint32_t)P(pwned), sizeof pwned - 1};
        if (raw_fd_write(fd, P(out), 1, P(&count)) == 0 && count > 0) learned("wrote", (const unsigned char *)pwned, 5);
    }
}

static void race(int dir, int count, int slot)
{
    int opened = 0, refused = 0, other = 0;
    unsigned char seen[4][64];
    int seen_lengths[4], distinct = 0;
    // Stops early once both outcomes were seen often enough to show the race ran both ways.
    for (int i = 0; i < count && (opened < 100 || refused < 100); i++) {
        int32_t fd;
        int error = raw_path_open(dir, 1, PATH(slot), 0, 2 /* fd_read */, 0, 0, P(&fd));
        if (error == 76) refused++;
        if (error != 0) {
            if (error != 76) other++;
            continue;
        }
        opened++;
        unsigned char data[64];
        uint32_t iov[2] = {(uint32_t)P(data), sizeof data}, n = 0;
        if (raw_fd_read(fd, P(iov), 1, P(&n)) == 0) {
            int known = 0;
            for (int k = 0; k < distinct; k++) known |= seen_lengths[k] == (int)n && memcmp(seen[k], data, n) == 0;
            if (!known && distinct < 4) {
                memcpy(seen[distinct], data, n);
                seen_lengths[distinct++] = (int)n;
            }
        }
        raw_fd_close(fd);
    }
    result(0);
    printf("> %d race opened %d refused %d other %d\n", current, opened, refused, other);
    for (int k = 0; k < distinct; k++) learned("data", seen[k], (size_t)seen_lengths[k]);
}

static void run(void)
{
    const char *op = words[0];
    int32_t fd;
    unsigned char stat[64];
    if (strcmp(op, "open") == 0 && word_count == 7) {
        path(0, words[6]);
        int error = raw_path_open(number(words[1]), number(words[2]), PATH(0), number(words[3]), number(words[4]), ALL_RIGHTS, number(words[5]), P(&fd));
        result(error);
        if (error == 0) {
            exploit(fd);
            raw_fd_close(fd);
        }
    } else if (strcmp(op, "keep") == 0 && word_count == 6) {
        path(0, words[5]);
        int error = raw_path_open(number(words[1]), number(words[2]), PATH(0), number(words[3]), number(words[4]), ALL_RIGHTS, 0, P(&fd));
        if (error == 0) kept = fd;
        result(error);
    } else if (strcmp(op, "stat") == 0 && word_count == 4) {
        path(0, words[3]);
        int error = raw_path_filestat_get(number(words[1]), number(words[2]), PATH(0), P(stat));
        result(error);
        if (error == 0) {
            uint64_t inode;
            memcpy(&inode, stat + 8, 8);
            char text[32];
            int n = snprintf(text, sizeof text, "%llu", (unsigned long long)inode);
            learned("inode", (unsigned char *)text, (size_t)n);
        }
    } else if (strcmp(op, "times") == 0 && word_count == 4) {
        path(0, words[3]);
        result(raw_path_filestat_set_times(number(words[1]), number(words[2]), PATH(0), Y2001, Y2001, SET_BOTH_TIMES));
    } else if (strcmp(op, "readlink") == 0 && word_count == 3) {
        path(0, words[2]);
        uint32_t used = 0;
        int error = raw_path_readlink(number(words[1]), PATH(0), P(scratch), 256, P(&used));
        result(error);
    } else if (strcmp(op, "mkdir") == 0 && word_count == 3) {
        path(0, words[2]);
        result(raw_path_create_directory(number(words[1]), PATH(0)));
    } else if (strcmp(op, "rmdir") == 0 && word_count == 3) {
        path(0, words[2]);
        result(raw_path_remove_directory(number(words[1]), PATH(0)));
    } else if (strcmp(op, "unlink") == 0 && word_count == 3) {
        path(0, words[2]);
        result(raw_path_unlink_file(number(words[1]), PATH(0)));
    } else if (strcmp(op, "symlink") == 0 && word_count == 4) {
        path(0, words[1]);
        path(1, words[3]);
        result(raw_path_symlink(PATH(0), number(words[2]), PATH(1)));
    } else if (strcmp(op, "link") == 0 && word_count == 6) {
        path(0, words[3]);
        path(1, words[5]);
        result(raw_path_link(number(words[1]), number(words[2]), PATH(0), number(words[4]), PATH(1)));
    } else if (strcmp(op, "rename") == 0 && word_count == 5) {
        path(0, words[2]);
        path(1, words[4]);
        result(raw_path_rename(number(words[1]), PATH(0), number(words[3]), PATH(1)));
    } else if (strcmp(op, "write") == 0 && word_count == 2) {
        static const char pwned[] = "PWNED";
        uint32_t out[2] = {(uint32_t)P(pwned), sizeof pwned - 1}, count = 0;
        result(raw_fd_write(number(words[1]), P(out), 1, P(&count)));
    } else if (strcmp(op, "pwrite") == 0 && word_count == 2) {
        static const char pwned[] = "PWNED";
        uint32_t out[2] = {(uint32_t)P(pwned), sizeof pwned - 1}, count = 0;
        result(raw_fd_pwrite(number(words[1]), P(out), 1, 0, P(&count)));
    } else if (strcmp(op, "allocate") == 0 && word_count == 2) {
        result(raw_fd_allocate(number(words[1]), 0, 1 << 20));
    } else if (strcmp(op, "setflags") == 0 && word_count == 3) {
        result(raw_fd_fdstat_set_flags(number(words[1]), number(words[2])));
    } else if (strcmp(op, "truncate") == 0 && word_count == 2) {
        result(raw_fd_filestat_set_size(number(words[1]), 0));
    } else if (strcmp(op, "fdtimes") == 0 && word_count == 2) {
        result(raw_fd_filestat_set_times(number(words[1]), Y2001, Y2001, SET_BOTH_TIMES));
    } else if (strcmp(op, "setrights") == 0 && word_count == 4) {
        result(raw_fd_fdstat_set_rights(number(words[1]), number(words[2]), number(words[3])));
    } else if (strcmp(op, "renumber") == 0 && word_count == 3) {
        result(raw_fd_renumber(number(words[1]), number(words[2])));
    } else if (strcmp(op, "readdir") == 0 && word_count == 3) {
        uint32_t used = 0;
        int error = raw_fd_readdir(number(words[1]), P(scratch), sizeof scratch, number(words[2]), P(&used));
        result(error);
        if (error == 0) {
            char text[32];
            int n = snprintf(text, sizeof text, "%u", used);
            learned("used", (unsigned char *)text, (size_t)n);
        }
    } else if (strcmp(op, "race") == 0 && word_count == 4) {
        path(0, words[3]);
        race(number(words[1]), number(words[2]), 0);
    } else if (strcmp(op, "poll") == 0 && word_count == 2) {
        uint32_t events = 0;
        memset(scratch, 0, 48); // one clock subscription with a zero timeout, should the call read it
        fflush(stdout);
        result(raw_poll_oneoff(P(scratch), P(scratch + 1024), number(words[1]), P(&events)));
    } else if (strcmp(op, "writev") == 0 && word_count == 2) {
        static const char text[] = "vector\n";
        uint32_t iov[2] = {(uint32_t)P(text), sizeof text - 1}, count = 0;
        fflush(stdout);
        result(raw_fd_write(1, P(iov), number(words[1]), P(&count)));
    } else if (strcmp(op, "rawpath") == 0 && word_count == 3) {
        fflush(stdout);
        result(raw_path_open(3, 0, number(words[1]), number(words[2]), 0, 2, 0, 0, P(&fd)));
    } else {
        fprintf(stderr, "probe: cannot read command %d: %s\n", current, op);
        exit(2);
    }
}

int main(int argc, char **argv)
{
    for (current = 1; current < argc; current++) {
        word_count = 0;
        for (char *word = strtok(argv[current], " "); word && word_count < 8; word = strtok(NULL, " ")) words[word_count++] = word;
        if (word_count == 0) continue;
        run();
        fflush(stdout);
    }
    return 0;
}
