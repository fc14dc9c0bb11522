// seccomp-loader FILTER FLAGS OP...
// Installs the BPF program in FILTER (an array of struct sock_filter; "-" for none) with no_new_privs and
// seccomp(SECCOMP_SET_MODE_FILTER, FLAGS), then runs each OP and prints "OP RESULT ERRNO" for it.
//   nr:N[:ARG...]   syscall N with up to six arguments (numbers as strtoull reads them)
//   mkdir:PATH      mkdir, or mkdirat where the architecture has no mkdir
//   fork:FLAGS      clone(FLAGS | SIGCHLD) whose child exits at once; RESULT is 0 once the child is reaped
//   i386:N          i386 syscall N through int 0x80 (x86_64 only); RESULT is the raw return value
//   trap            catches SIGSYS from now on, printing "sigsys NR" for each
//   exec:PATH[:ARG...]  execve
// Nothing but write, exit_group and the syscalls an OP names runs after the filter is in place.
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *op, long result, int error) {
    char line[512];
    int n = snprintf(line, sizeof line, "%s %ld %d\n", op, result, error);
    write(1, line, (size_t)n);
}

static void on_sigsys(int signal, siginfo_t *info, void *context) {
    (void)signal, (void)context;
    char line[64];
    int n = snprintf(line, sizeof line, "sigsys %d\n", info->si_syscall);
    write(1, line, (size_t)n);
}

static int split(char *text, char **parts, int max) {
    int count = 0;
    for (char *part = strtok(text, ":"); part && count < max; part = strtok(NULL, ":")) parts[count++] = part;
    return count;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s FILTER FLAGS OP...\n", argv[0]);
        return 100;
    }
    if (strcmp(argv[1], "-") != 0) {
        static struct sock_filter program[BPF_MAXINSNS];
        int fd = open(argv[1], O_RDONLY);
        ssize_t size = fd < 0 ? -1 : read(fd, program, sizeof program);
        if (size <= 0 || size % sizeof program[0] != 0) {
            perror(argv[1]);
            return 100;
        }
        close(fd);
        struct sock_fprog fprog = { .len = (unsigned short)(size / sizeof program[0]), .filter = program };
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, strtoul(argv[2], NULL, 0), &fprog) != 0) {
            perror("seccomp");
            return 101;
        }
    }
    for (int i = 3; i < argc; i++) {
        char copy[4096];
        snprintf(copy, sizeof copy, "%s", argv[i]);
        char *parts[8];
        int count = split(copy, parts, 8);
        long result = -1;
        errno = 0;
        if (strcmp(parts[0], "nr") == 0 && count >= 2) {
            unsigned long long a[6] = { 0 };
            for (int j = 2; j < count; j++) a[j - 2] = strtoull(parts[j], NULL, 0);
            result = syscall(strtol(parts[1], NULL, 0), a[0], a[1], a[2], a[3], a[4], a[5]);
        } else if (strcmp(parts[0], "mkdir") == 0 && count == 2) {
#ifdef SYS_mkdir
            result = syscall(SYS_mkdir, parts[1], 0700);
#else
            result = syscall(SYS_mkdirat, AT_FDCWD, parts[1], 0700);
#endif
        } else if (strcmp(parts[0], "fork") == 0 && count == 2) {
            result = syscall(SYS_clone, strtoul(parts[1], NULL, 0) | SIGCHLD, 0, 0, 0, 0);
            if (result == 0) syscall(SYS_exit_group, 0);
            if (result > 0) result = waitpid((pid_t)result, NULL, 0) > 0 ? 0 : -1;
        } else if (strcmp(parts[0], "i386") == 0 && count == 2) {
#ifdef __x86_64__
            long number = strtol(parts[1], NULL, 0);
            __asm__ volatile("int $0x80" : "=a"(result) : "a"(number) : "memory");
#else
            errno = ENOSYS;
#endif
        } else if (strcmp(parts[0], "trap") == 0) {
            struct sigaction action = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
            result = sigaction(SIGSYS, &action, NULL);
        } else if (strcmp(parts[0], "exec") == 0 && count >= 2) {
            parts[count] = NULL;
            execv(parts[1], parts + 1);
        } else {
            fprintf(stderr, "unknown operation %s\n", argv[i]);
            return 100;
        }
        say(argv[i], result, result == -1 ? errno : 0);
    }
    return 0;
}
