using WasmKube.Runtime;

namespace WasmKube.Wasi;

/// <summary>Defines <c>wasi_snapshot_preview1</c> on a <see cref="Linker"/>.</summary>
public static class WasiLinkerExtensions
{
    /// <summary>
    /// Defines all 46 functions for guests of <paramref name="store"/>, backed by <paramref name="context"/>. The guest
    /// must export its memory as "memory" (every WASI toolchain does).
    /// </summary>
    public static Linker DefineWasi(this Linker linker, Store store, WasiContext context)
    {
        var w = new WasiPreview1(context);
        const string m = WasiPreview1.ModuleName;
        linker.DefineFunction(store, m, "args_get", (Caller c, int a, int b) => (int)w.ArgsGet(Mem(c), a, b));
        linker.DefineFunction(store, m, "args_sizes_get", (Caller c, int a, int b) => (int)w.ArgsSizesGet(Mem(c), a, b));
        linker.DefineFunction(store, m, "environ_get", (Caller c, int a, int b) => (int)w.EnvironGet(Mem(c), a, b));
        linker.DefineFunction(store, m, "environ_sizes_get", (Caller c, int a, int b) => (int)w.EnvironSizesGet(Mem(c), a, b));
        linker.DefineFunction(store, m, "clock_res_get", (Caller c, int id, int p) => (int)w.ClockResGet(Mem(c), id, p));
        linker.DefineFunction(store, m, "clock_time_get", (Caller c, int id, long precision, int p) => (int)w.ClockTimeGet(Mem(c), id, precision, p));
        linker.DefineFunction(store, m, "fd_advise", (Caller c, int fd, long o, long l, int a) => (int)w.FdAdvise(Mem(c), fd, o, l, a));
        linker.DefineFunction(store, m, "fd_allocate", (Caller c, int fd, long o, long l) => (int)w.FdAllocate(Mem(c), fd, o, l));
        linker.DefineFunction(store, m, "fd_close", (Caller c, int fd) => (int)w.FdClose(Mem(c), fd));
        linker.DefineFunction(store, m, "fd_datasync", (Caller c, int fd) => (int)w.FdDatasync(Mem(c), fd));
        linker.DefineFunction(store, m, "fd_fdstat_get", (Caller c, int fd, int p) => (int)w.FdFdstatGet(Mem(c), fd, p));
        linker.DefineFunction(store, m, "fd_fdstat_set_flags", (Caller c, int fd, int f) => (int)w.FdFdstatSetFlags(Mem(c), fd, f));
        linker.DefineFunction(store, m, "fd_fdstat_set_rights", (Caller c, int fd, long b, long i) => (int)w.FdFdstatSetRights(Mem(c), fd, b, i));
        linker.DefineFunction(store, m, "fd_filestat_get", (Caller c, int fd, int p) => (int)w.FdFilestatGet(Mem(c), fd, p));
        linker.DefineFunction(store, m, "fd_filestat_set_size", (Caller c, int fd, long s) => (int)w.FdFilestatSetSize(Mem(c), fd, s));
        linker.DefineFunction(store, m, "fd_filestat_set_times", (Caller c, int fd, long a, long mt, int f) => (int)w.FdFilestatSetTimes(Mem(c), fd, a, mt, f));
        linker.DefineFunction(store, m, "fd_pread", (Caller c, int fd, int iovs, int n, long o, int p) => (int)w.FdPread(Mem(c), fd, iovs, n, o, p));
        linker.DefineFunction(store, m, "fd_prestat_get", (Caller c, int fd, int p) => (int)w.FdPrestatGet(Mem(c), fd, p));
        linker.DefineFunction(store, m, "fd_prestat_dir_name", (Caller c, int fd, int p, int l) => (int)w.FdPrestatDirName(Mem(c), fd, p, l));
        linker.DefineFunction(store, m, "fd_pwrite", (Caller c, int fd, int iovs, int n, long o, int p) => (int)w.FdPwrite(Mem(c), fd, iovs, n, o, p));
        linker.DefineFunction(store, m, "fd_read", (Caller c, int fd, int iovs, int n, int p) => (int)w.FdRead(Mem(c), fd, iovs, n, p));
        linker.DefineFunction(store, m, "fd_readdir", (Caller c, int fd, int b, int l, long cookie, int p) => (int)w.FdReaddir(Mem(c), fd, b, l, cookie, p));
        linker.DefineFunction(store, m, "fd_renumber", (Caller c, int fd, int to) => (int)w.FdRenumber(Mem(c), fd, to));
        linker.DefineFunction(store, m, "fd_seek", (Caller c, int fd, long o, int wh, int p) => (int)w.FdSeek(Mem(c), fd, o, wh, p));
        linker.DefineFunction(store, m, "fd_sync", (Caller c, int fd) => (int)w.FdSync(Mem(c), fd));
        linker.DefineFunction(store, m, "fd_tell", (Caller c, int fd, int p) => (int)w.FdTell(Mem(c), fd, p));
        linker.DefineFunction(store, m, "fd_write", (Caller c, int fd, int iovs, int n, int p) => (int)w.FdWrite(Mem(c), fd, iovs, n, p));
        linker.DefineFunction(store, m, "path_create_directory", (Caller c, int fd, int p, int l) => (int)w.PathCreateDirectory(Mem(c), fd, p, l));
        linker.DefineFunction(store, m, "path_filestat_get", (Caller c, int fd, int f, int p, int l, int s) => (int)w.PathFilestatGet(Mem(c), fd, f, p, l, s));
        linker.DefineFunction(store, m, "path_filestat_set_times", (Caller c, int fd, int f, int p, int l, long a, long mt, int fl) => (int)w.PathFilestatSetTimes(Mem(c), fd, f, p, l, a, mt, fl));
        linker.DefineFunction(store, m, "path_link", (Caller c, int ofd, int of, int op, int ol, int nfd, int np, int nl) => (int)w.PathLink(Mem(c), ofd, of, op, ol, nfd, np, nl));
        linker.DefineFunction(store, m, "path_open", (Caller c, int fd, int df, int p, int l, int of, long rb, long ri, int ff, int o) => (int)w.PathOpen(Mem(c), fd, df, p, l, of, rb, ri, ff, o));
        linker.DefineFunction(store, m, "path_readlink", (Caller c, int fd, int p, int l, int b, int bl, int u) => (int)w.PathReadlink(Mem(c), fd, p, l, b, bl, u));
        linker.DefineFunction(store, m, "path_remove_directory", (Caller c, int fd, int p, int l) => (int)w.PathRemoveDirectory(Mem(c), fd, p, l));
        linker.DefineFunction(store, m, "path_rename", (Caller c, int fd, int op, int ol, int nfd, int np, int nl) => (int)w.PathRename(Mem(c), fd, op, ol, nfd, np, nl));
        linker.DefineFunction(store, m, "path_symlink", (Caller c, int op, int ol, int fd, int np, int nl) => (int)w.PathSymlink(Mem(c), op, ol, fd, np, nl));
        linker.DefineFunction(store, m, "path_unlink_file", (Caller c, int fd, int p, int l) => (int)w.PathUnlinkFile(Mem(c), fd, p, l));
        linker.DefineFunction(store, m, "poll_oneoff", (Caller c, int i, int o, int n, int p) => (int)w.PollOneoff(Mem(c), i, o, n, p));
        linker.DefineFunction(store, m, "proc_exit", (int code) => w.ProcExit(code));
        linker.DefineFunction(store, m, "proc_raise", (int signal) => (int)w.ProcRaise(signal));
        linker.DefineFunction(store, m, "sched_yield", () => (int)w.SchedYield());
        linker.DefineFunction(store, m, "random_get", (Caller c, int p, int l) => (int)w.RandomGet(Mem(c), p, l));
        linker.DefineFunction(store, m, "sock_accept", (Caller c, int fd, int f, int p) => (int)w.SockAccept(Mem(c), fd, f, p));
        linker.DefineFunction(store, m, "sock_recv", (Caller c, int fd, int iovs, int n, int f, int p, int fp) => (int)w.SockRecv(Mem(c), fd, iovs, n, f, p, fp));
        linker.DefineFunction(store, m, "sock_send", (Caller c, int fd, int iovs, int n, int f, int p) => (int)w.SockSend(Mem(c), fd, iovs, n, f, p));
        linker.DefineFunction(store, m, "sock_shutdown", (Caller c, int fd, int how) => (int)w.SockShutdown(Mem(c), fd, how));
        return linker;
    }

    /// <summary>The names defined by <see cref="DefineWasi"/>, in witx order.</summary>
    public static IReadOnlyList<string> FunctionNames { get; } =
    [
        "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
        "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
        "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
        "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
        "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
        "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
        "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
        "sock_recv", "sock_send", "sock_shutdown",
    ];

    private static Span<byte> Mem(Caller caller) =>
        (caller.GetMemory() ?? throw new TrapException(TrapKind.HostError,
            detail: "a WASI function was called by a module that exports no memory named \"memory\"")).Span;
}
