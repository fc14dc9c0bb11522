/*
 * The experiment of "WebAssembly: Docker without containers" (its index.php) in C: what does a guest see of the
 * machine it runs on? The platform, the environment, the time, and the file system from "/".
 * Built for wasm32-wasi by ../build.sh; it builds natively too (cc hello.c), for comparison.
 *
 *   hello [DIR...]   lists "/" and then each DIR; without DIR, each directory preopened for the guest.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#ifdef __wasi__
#include <wasi/api.h>
#endif

extern char **environ;

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the entries of a directory, sorted, without "." and "..". */
static void list(const char *path) {
    printf("listing of %s:\n", path);
    DIR *dir = opendir(path);
    if (dir == NULL) {
        printf("  cannot list %s: %s\n", path, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        char **grown = realloc(names, (count + 1) * sizeof *names);
        if (grown == NULL) break;
        names = grown;
        names[count++] = strdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        printf("  %s\n", names[i]);
        free(names[i]);
    }
    free(names);
}

#ifdef __wasi__
/* The directories the host preopened: fds from 3 on, until one is not a preopen. */
static void list_preopens(void) {
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t prestat;
        if (__wasi_fd_prestat_get(fd, &prestat) != __WASI_ERRNO_SUCCESS) break;
        size_t length = prestat.u.dir.pr_name_len;
        char *name = calloc(length + 1, 1);
        if (name == NULL || __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, length) != __WASI_ERRNO_SUCCESS) {
            free(name);
            break;
        }
        list(name);
        free(name);
    }
}
#endif

int main(int argc, char **argv) {
    struct utsname system;
    if (uname(&system) == 0) printf("platform: %s\n", system.sysname);

    size_t variables = 0;
    for (char **e = environ; *e != NULL; e++) variables++;
    printf("environment variables: %zu\n", variables);
    for (char **e = environ; *e != NULL; e++) {
        const char *equals = strchr(*e, '=');
        int length = equals ? (int)(equals - *e) : (int)strlen(*e);
        printf("  %.*s\n", length, *e);
    }

    time_t now = time(NULL);
    struct tm utc;
    char date[64];
    gmtime_r(&now, &utc);
    strftime(date, sizeof date, "%Y-%m-%d and the time is %H:%M:%S UTC", &utc);
    printf("Hello from WebAssembly! The date is %s.\n", date);

    list("/");
    if (argc > 1) {
        for (int i = 1; i < argc; i++) list(argv[i]);
    } else {
#ifdef __wasi__
        list_preopens();
#endif
    }
    return 0;
}
