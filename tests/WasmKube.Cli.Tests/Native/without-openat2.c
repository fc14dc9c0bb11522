// Runs a command on a system that seems to have no openat2: a seccomp filter answers ENOSYS to that system call
// (as a kernel before 5.6, or a container runtime's seccomp profile, would) and lets every other one through.
//   without-openat2 COMMAND [ARGS...]
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#define OPENAT2 437 // the same number in the unified system call table of every architecture

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: without-openat2 COMMAND [ARGS...]\n");
        return 2;
    }

    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, OPENAT2, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {.len = sizeof filter / sizeof filter[0], .filter = filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        perror("without-openat2: cannot install the seccomp filter");
        return 2;
    }

    execvp(argv[1], argv + 1);
    perror("without-openat2: cannot run the command");
    return 127;
}
