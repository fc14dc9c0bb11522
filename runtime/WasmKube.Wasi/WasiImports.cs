namespace WasmKube.Wasi;

/// <summary>The value types of WASI preview1 signatures: every parameter is an i32 or an i64.</summary>
public enum WasiValueType
{
    I32,
    I64,
}

/// <summary>
/// One WASI function as an engine binds it: its parameters (each result is one i32 errno), whether it reads or writes
/// the guest's memory, and the call. Arguments arrive as i64 whatever their type; i32 ones are truncated back.
/// </summary>
public delegate int WasiCall(WasiPreview1 wasi, Span<byte> memory, ReadOnlySpan<long> arguments);

/// <param name="UsesMemory">False for the calls that take no pointer, so a module without memory can still exit.</param>
public sealed record WasiImport(string Name, IReadOnlyList<WasiValueType> Parameters, WasiCall Call, bool UsesMemory = true)
{
    /// <summary>proc_exit is the one function without a result: it never returns.</summary>
    public bool HasResult => Name != "proc_exit";
}

/// <summary>
/// The 46 functions of <c>wasi_snapshot_preview1</c> in witx order, the single table both engine bindings define
/// from, so a guest meets the same WASI whichever engine runs it.
/// </summary>
public static class WasiImports
{
    private const WasiValueType I32 = WasiValueType.I32;
    private const WasiValueType I64 = WasiValueType.I64;

    public static IReadOnlyList<WasiImport> All { get; } = RefusedAfterStop(
    [
        new("args_get", [I32, I32], static (w, m, a) => (int)w.ArgsGet(m, (int)a[0], (int)a[1])),
        new("args_sizes_get", [I32, I32], static (w, m, a) => (int)w.ArgsSizesGet(m, (int)a[0], (int)a[1])),
        new("environ_get", [I32, I32], static (w, m, a) => (int)w.EnvironGet(m, (int)a[0], (int)a[1])),
        new("environ_sizes_get", [I32, I32], static (w, m, a) => (int)w.EnvironSizesGet(m, (int)a[0], (int)a[1])),
        new("clock_res_get", [I32, I32], static (w, m, a) => (int)w.ClockResGet(m, (int)a[0], (int)a[1])),
        new("clock_time_get", [I32, I64, I32], static (w, m, a) => (int)w.ClockTimeGet(m, (int)a[0], a[1], (int)a[2])),
        new("fd_advise", [I32, I64, I64, I32], static (w, m, a) => (int)w.FdAdvise(m, (int)a[0], a[1], a[2], (int)a[3])),
        new("fd_allocate", [I32, I64, I64], static (w, m, a) => (int)w.FdAllocate(m, (int)a[0], a[1], a[2])),
        new("fd_close", [I32], static (w, m, a) => (int)w.FdClose(m, (int)a[0])),
        new("fd_datasync", [I32], static (w, m, a) => (int)w.FdDatasync(m, (int)a[0])),
        new("fd_fdstat_get", [I32, I32], static (w, m, a) => (int)w.FdFdstatGet(m, (int)a[0], (int)a[1])),
        new("fd_fdstat_set_flags", [I32, I32], static (w, m, a) => (int)w.FdFdstatSetFlags(m, (int)a[0], (int)a[1])),
        new("fd_fdstat_set_rights", [I32, I64, I64], static (w, m, a) => (int)w.FdFdstatSetRights(m, (int)a[0], a[1], a[2])),
        new("fd_filestat_get", [I32, I32], static (w, m, a) => (int)w.FdFilestatGet(m, (int)a[0], (int)a[1])),
        new("fd_filestat_set_size", [I32, I64], static (w, m, a) => (int)w.FdFilestatSetSize(m, (int)a[0], a[1])),
        new("fd_filestat_set_times", [I32, I64, I64, I32], static (w, m, a) => (int)w.FdFilestatSetTimes(m, (int)a[0], a[1], a[2], (int)a[3])),
        new("fd_pread", [I32, I32, I32, I64, I32], static (w, m, a) => (int)w.FdPread(m, (int)a[0], (int)a[1], (int)a[2], a[3], (int)a[4])),
        new("fd_prestat_get", [I32, I32], static (w, m, a) => (int)w.FdPrestatGet(m, (int)a[0], (int)a[1])),
        new("fd_prestat_dir_name", [I32, I32, I32], static (w, m, a) => (int)w.FdPrestatDirName(m, (int)a[0], (int)a[1], (int)a[2])),
        new("fd_pwrite", [I32, I32, I32, I64, I32], static (w, m, a) => (int)w.FdPwrite(m, (int)a[0], (int)a[1], (int)a[2], a[3], (int)a[4])),
        new("fd_read", [I32, I32, I32, I32], static (w, m, a) => (int)w.FdRead(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3])),
        new("fd_readdir", [I32, I32, I32, I64, I32], static (w, m, a) => (int)w.FdReaddir(m, (int)a[0], (int)a[1], (int)a[2], a[3], (int)a[4])),
        new("fd_renumber", [I32, I32], static (w, m, a) => (int)w.FdRenumber(m, (int)a[0], (int)a[1])),
        new("fd_seek", [I32, I64, I32, I32], static (w, m, a) => (int)w.FdSeek(m, (int)a[0], a[1], (int)a[2], (int)a[3])),
        new("fd_sync", [I32], static (w, m, a) => (int)w.FdSync(m, (int)a[0])),
        new("fd_tell", [I32, I32], static (w, m, a) => (int)w.FdTell(m, (int)a[0], (int)a[1])),
        new("fd_write", [I32, I32, I32, I32], static (w, m, a) => (int)w.FdWrite(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3])),
        new("path_create_directory", [I32, I32, I32], static (w, m, a) => (int)w.PathCreateDirectory(m, (int)a[0], (int)a[1], (int)a[2])),
        new("path_filestat_get", [I32, I32, I32, I32, I32], static (w, m, a) => (int)w.PathFilestatGet(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4])),
        new("path_filestat_set_times", [I32, I32, I32, I32, I64, I64, I32], static (w, m, a) => (int)w.PathFilestatSetTimes(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3], a[4], a[5], (int)a[6])),
        new("path_link", [I32, I32, I32, I32, I32, I32, I32], static (w, m, a) => (int)w.PathLink(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4], (int)a[5], (int)a[6])),
        new("path_open", [I32, I32, I32, I32, I32, I64, I64, I32, I32], static (w, m, a) => (int)w.PathOpen(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4], a[5], a[6], (int)a[7], (int)a[8])),
        new("path_readlink", [I32, I32, I32, I32, I32, I32], static (w, m, a) => (int)w.PathReadlink(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4], (int)a[5])),
        new("path_remove_directory", [I32, I32, I32], static (w, m, a) => (int)w.PathRemoveDirectory(m, (int)a[0], (int)a[1], (int)a[2])),
        new("path_rename", [I32, I32, I32, I32, I32, I32], static (w, m, a) => (int)w.PathRename(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4], (int)a[5])),
        new("path_symlink", [I32, I32, I32, I32, I32], static (w, m, a) => (int)w.PathSymlink(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4])),
        new("path_unlink_file", [I32, I32, I32], static (w, m, a) => (int)w.PathUnlinkFile(m, (int)a[0], (int)a[1], (int)a[2])),
        new("poll_oneoff", [I32, I32, I32, I32], static (w, m, a) => (int)w.PollOneoff(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3])),
        new("proc_exit", [I32], static (w, m, a) =>
        {
            w.ProcExit((int)a[0]);
            return 0;
        }, UsesMemory: false),
        new("proc_raise", [I32], static (w, m, a) => (int)w.ProcRaise((int)a[0]), UsesMemory: false),
        new("sched_yield", [], static (w, m, a) => (int)w.SchedYield(), UsesMemory: false),
        new("random_get", [I32, I32], static (w, m, a) => (int)w.RandomGet(m, (int)a[0], (int)a[1])),
        new("sock_accept", [I32, I32, I32], static (w, m, a) => (int)w.SockAccept(m, (int)a[0], (int)a[1], (int)a[2])),
        new("sock_recv", [I32, I32, I32, I32, I32, I32], static (w, m, a) => (int)w.SockRecv(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4], (int)a[5])),
        new("sock_send", [I32, I32, I32, I32, I32], static (w, m, a) => (int)w.SockSend(m, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4])),
        new("sock_shutdown", [I32, I32], static (w, m, a) => (int)w.SockShutdown(m, (int)a[0], (int)a[1])),
    ]);

    /// <summary>
    /// Once the guest is stopped every call traps, so a guest that engine cannot interrupt mid-computation (one
    /// left running until its process ends) does no more I/O.
    /// </summary>
    private static WasiImport[] RefusedAfterStop(WasiImport[] imports) => Array.ConvertAll(imports, import => import with
    {
        Call = (wasi, memory, arguments) =>
        {
            wasi.ThrowIfStopped();
            return import.Call(wasi, memory, arguments);
        },
    });
}
