using System.Diagnostics;
using System.Text;
using WasmKube.Runtime;

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

    [Fact]
    public void A_module_importing_all_46_functions_links_runs_and_exits()
    {
        var module = Compile($$"""
            (module
              {{AllImports}}
              (memory (export "memory") 1)
              (data (i32.const 16) "linked\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 7))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $proc_exit (i32.const 3))))
            """);
        var stdout = new MemoryStream();
        using var context = new WasiConfiguration().WithStdout(WasiStdio.Stream(stdout)).Build();
        var diagnostics = new StringWriter();

        var exitCode = WasiCommand.Run(new Store(module.Engine), module, context, diagnostics);

        Assert.Equal(46, module.Imports.Count);
        Assert.Equal(3, exitCode);
        Assert.Equal("linked\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Empty(diagnostics.ToString());
    }

    [Fact]
    public void Returning_from_start_exits_with_zero_and_a_trap_with_its_description()
    {
        var ok = Compile("""(module (memory (export "memory") 1) (func (export "_start")))""");
        using var context = new WasiConfiguration().Build();
        Assert.Equal(0, WasiCommand.Run(new Store(ok.Engine), ok, context, TextWriter.Null));

        var trapping = Compile("""(module (memory (export "memory") 1) (func (export "_start") (unreachable)))""");
        var diagnostics = new StringWriter();
        using var context2 = new WasiConfiguration().Build();
        Assert.Equal(WasiCommand.TrapExitCode, WasiCommand.Run(new Store(trapping.Engine), trapping, context2, diagnostics));
        Assert.Contains("wasm trap: unreachable", diagnostics.ToString());
    }

    [Fact]
    public void A_module_without_start_is_not_a_command()
    {
        var reactor = Compile("""(module (memory (export "memory") 1) (func (export "_initialize")))""");
        using var context = new WasiConfiguration().Build();
        var error = Assert.Throws<ArgumentException>(() => WasiCommand.Run(new Store(reactor.Engine), reactor, context, TextWriter.Null));
        Assert.Contains("_start", error.Message);
    }

    private Module Compile(string wat)
    {
        var source = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".wat");
        var binary = Path.ChangeExtension(source, ".wasm");
        File.WriteAllText(source, wat);
        using (var wat2wasm = Process.Start(new ProcessStartInfo("wat2wasm", [source, "-o", binary]) { RedirectStandardError = true })!)
        {
            var stderr = wat2wasm.StandardError.ReadToEnd();
            wat2wasm.WaitForExit();
            Assert.True(wat2wasm.ExitCode == 0, stderr);
        }

        return Module.FromFile(new Engine(), binary);
    }
}
