using System.Diagnostics;
using System.Text;
using WasmKube.Guest;

namespace WasmKube.Wasi.Tests;

/// <summary>WASI bound to the engine: every import links with its witx signature, and commands run to an exit code.</summary>
public sealed class LinkerIntegrationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-wasi-link-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Every function of wasi_snapshot_preview1 with its signature (witx, phases/snapshot).</summary>
    private const string AllImports = """
        (import "wasi_snapshot_preview1" "args_get" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "args_sizes_get" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_get" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_sizes_get" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "clock_res_get" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_advise" (func (param i32 i64 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_allocate" (func (param i32 i64 i64) (result i32)))
        (import "wasi_snapshot_preview1" "fd_close" (func (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_datasync" (func (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_fdstat_get" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func (param i32 i64 i64) (result i32)))
        (import "wasi_snapshot_preview1" "fd_filestat_get" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func (param i32 i64) (result i32)))
        (import "wasi_snapshot_preview1" "fd_filestat_set_times" (func (param i32 i64 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_pread" (func (param i32 i32 i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_prestat_get" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func (param i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_pwrite" (func (param i32 i32 i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_read" (func (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_readdir" (func (param i32 i32 i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_renumber" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_sync" (func (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_tell" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_create_directory" (func (param i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_filestat_get" (func (param i32 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_filestat_set_times" (func (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_link" (func (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_readlink" (func (param i32 i32 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_remove_directory" (func (param i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_rename" (func (param i32 i32 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_symlink" (func (param i32 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_unlink_file" (func (param i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "poll_oneoff" (func (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
        (import "wasi_snapshot_preview1" "proc_raise" (func (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
        (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "sock_recv" (func (param i32 i32 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "sock_send" (func (param i32 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "sock_shutdown" (func (param i32 i32) (result i32)))
        """;

    [Theory]
    [MemberData(nameof(GuestEngines.Names), MemberType = typeof(GuestEngines))]
    public void A_module_importing_all_46_functions_links_runs_and_exits(string engine)
    {
        var stdout = new MemoryStream();
        var result = GuestEngines.RunWat(engine, _directory, $$"""
            (module
              {{AllImports}}
              (memory (export "memory") 1)
              (data (i32.const 16) "linked\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 7))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $proc_exit (i32.const 3))))
            """, new WasiConfiguration().WithStdout(WasiStdio.Stream(stdout)));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(GuestOutcome.Exited, result.Outcome);
        Assert.Equal("linked\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Null(result.Message);
    }

    [Theory]
    [MemberData(nameof(GuestEngines.Names), MemberType = typeof(GuestEngines))]
    public void Returning_from_start_exits_with_zero_and_a_trap_with_its_description(string engine)
    {
        var ok = GuestEngines.RunWat(engine, _directory, """(module (memory (export "memory") 1) (func (export "_start")))""", new WasiConfiguration());
        Assert.Equal(0, ok.ExitCode);

        var trapping = GuestEngines.RunWat(engine, _directory, """
            (module (memory (export "memory") 1) (func $inner (unreachable)) (func (export "_start") (call $inner)))
            """, new WasiConfiguration());
        Assert.Equal(GuestExitCodes.Trapped, trapping.ExitCode);
        Assert.Equal(GuestOutcome.Trapped, trapping.Outcome);
        Assert.StartsWith("wasm trap: unreachable", trapping.Message);
        Assert.Contains("wasm backtrace:", trapping.Message);
    }

    [Theory]
    [MemberData(nameof(GuestEngines.Names), MemberType = typeof(GuestEngines))]
    public void A_module_without_start_is_not_a_command(string engine)
    {
        var reactor = GuestEngines.RunWat(engine, _directory, """(module (memory (export "memory") 1) (func (export "_initialize")))""", new WasiConfiguration());
        Assert.Equal(GuestOutcome.Refused, reactor.Outcome);
        Assert.Equal(GuestExitCodes.InvalidModule, reactor.ExitCode);
        Assert.Contains("_start", reactor.Message);
    }

    [Theory]
    [MemberData(nameof(GuestEngines.Names), MemberType = typeof(GuestEngines))]
    public void A_wasi_pointer_outside_memory_traps_with_the_wasi_reason(string engine)
    {
        var result = GuestEngines.RunWat(engine, _directory, """
            (module
              (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start") (drop (call $random_get (i32.const 65530) (i32.const 100)))))
            """, new WasiConfiguration());
        Assert.Equal(GuestOutcome.Trapped, result.Outcome);
        Assert.StartsWith("wasm trap: out of bounds memory access: WASI argument 0xfffa+100", result.Message);
    }

    [Theory]
    [MemberData(nameof(GuestEngines.Names), MemberType = typeof(GuestEngines))]
    public void An_unknown_import_is_refused_with_its_name(string engine)
    {
        var result = GuestEngines.RunWat(engine, _directory, """
            (module (import "env" "mystery" (func)) (memory (export "memory") 1) (func (export "_start")))
            """, new WasiConfiguration());
        Assert.Equal(GuestOutcome.Refused, result.Outcome);
        Assert.Contains("env.mystery", result.Message);
    }

    [Theory]
    [MemberData(nameof(GuestEngines.Names), MemberType = typeof(GuestEngines))]
    public void Limits_hold_on_every_engine(string engine)
    {
        const string grow = """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start") (call $proc_exit (i32.eq (memory.grow (i32.const 64)) (i32.const -1)))))
            """;
        Assert.Equal(0, GuestEngines.RunWat(engine, _directory, grow, new WasiConfiguration()).ExitCode);
        Assert.Equal(1, GuestEngines.RunWat(engine, _directory, grow, new WasiConfiguration(), new GuestLimits(MemoryLimitBytes: 1 << 20)).ExitCode);

        const string spin = """(module (memory (export "memory") 1) (func (export "_start") (loop $forever (br $forever))))""";
        var outOfFuel = GuestEngines.RunWat(engine, _directory, spin, new WasiConfiguration(), new GuestLimits(Fuel: 100_000));
        Assert.Equal(GuestOutcome.OutOfFuel, outOfFuel.Outcome);
        Assert.Equal(GuestExitCodes.Trapped, outOfFuel.ExitCode);

        var timedOut = GuestEngines.RunWat(engine, _directory, spin, new WasiConfiguration(), timeout: TimeSpan.FromMilliseconds(300));
        Assert.Equal(GuestOutcome.TimedOut, timedOut.Outcome);
        Assert.Equal(GuestExitCodes.TimedOut, timedOut.ExitCode);
    }

    [Theory]
    [MemberData(nameof(GuestEngines.Names), MemberType = typeof(GuestEngines))]
    public void Deep_recursion_traps_as_call_stack_exhausted(string engine)
    {
        var result = GuestEngines.RunWat(engine, _directory, """
            (module (memory (export "memory") 1) (func $down (call $down)) (func (export "_start") (call $down)))
            """, new WasiConfiguration());
        Assert.Equal(GuestOutcome.Trapped, result.Outcome);
        Assert.StartsWith("wasm trap: call stack exhausted", result.Message);
    }
}
