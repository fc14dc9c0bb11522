// A test-only stand-in for an executor (never part of the node payload). The shim starts it exactly where it starts
// an executor: inside the container, with the container's user, capabilities and seccomp filter. It tries to reach
// the host without going through WASI, using the targets the test wrote into its image at /targets (a host file's
// path, then a host process's pid), and prints one line per attempt. Exit status: the number of attempts that worked.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int escapes;

static void attempt(const char *name, int result)
{
    if (result < 0) {
        printf("%s: blocked (%s)\n", name, strerrorname_np(errno));
    } else {
        printf("%s: ESCAPED\n", name);
        escapes++;
    }
}

// The classic chroot breakout: chroot into a subdirectory, walk up past it, chroot to where the walk ended.
static int chroot_breakout(const char *secret)
{
    mkdir("/.breakout", 0700);
    if (chroot("/.breakout") < 0) return -1;
    for (int i = 0; i < 64; i++) chdir("..");
    if (chroot(".") < 0) return -1;
    return open(secret, O_RDONLY);
}

int main(void)
{
    char start;
    if (read(7, &start, 1) != 1) return 100;  // the task's Start, as executors wait for it

    char secret[4096];
    int host_pid;
    FILE *targets = fopen("/targets", "r");
    if (!targets || fscanf(targets, "%4095s %d", secret, &host_pid) != 2) return 101;
    fclose(targets);

    char path[8192];
    attempt("open host file", open(secret, O_RDONLY));
    snprintf(path, sizeof path, "/proc/%d/root%s", host_pid, secret);
    attempt("open host file through the host process's root", open(path, O_RDONLY));
    snprintf(path, sizeof path, "/proc/1/root%s", secret);
    attempt("open host file through pid 1's root", open(path, O_RDONLY));
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", host_pid);
    attempt("open the host process's mount namespace", open(path, O_RDONLY));
    attempt("signal host process", kill(host_pid, SIGKILL));
    attempt("ptrace host process", (int)ptrace(PTRACE_ATTACH, host_pid, NULL, NULL));
    attempt("mount a filesystem", mount("none", "/", "tmpfs", 0, NULL));
    attempt("unshare a mount namespace", unshare(CLONE_NEWNS));
    // Creating a device node is allowed (as under runc); opening it is what the device cgroup refuses.
    mknod("/.disk", S_IFBLK | 0600, makedev(8, 0));
    attempt("open a host disk through a device node", open("/.disk", O_RDONLY));
    attempt("chroot breakout", chroot_breakout(secret));
    printf("escapes: %d\n", escapes);
    return escapes;
}
