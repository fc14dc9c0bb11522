using System.Text;
using WasmKube.Guest.Cil;
using WasmKube.Guest.Wasmtime;
using WasmKube.Wasi;

namespace WasmKube.Guest.Tests;

/// <summary>
/// The guest host's refusals (one message and exit code per reason, whichever engine refuses), and how it stops a
/// guest its engine cannot interrupt.
/// </summary>
public sealed class GuestHostTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-guest-host-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_module_past_an_engine_limit_is_refused_naming_the_engine_and_the_limit()
    {
        // A valid module whose operand stack is deeper than the wasm-to-CIL engine takes (Wasmtime runs it).
        const int depth = 70_000;
        var body = new StringBuilder();
        for (var i = 0; i < depth; i++) body.Append("(i32.const 0)");
        for (var i = 0; i < depth; i++) body.Append("(drop)");
        var module = Wat.Assemble(_directory, $$"""(module (memory (export "memory") 1) (func (export "_start") {{body}}))""");

        using var engine = new CilGuestEngine();
        var result = GuestHost.Run(engine, new GuestRequest { ModulePath = module, Wasi = new WasiConfiguration() });

        Assert.Equal(GuestOutcome.Refused, result.Outcome);
        Assert.Equal(GuestExitCodes.InvalidModule, result.ExitCode);
        Assert.Contains("exceeds a limit of the wasmkube engine", result.Message);
        Assert.Contains("operand stack", result.Message);
    }

    [Fact]
    public void A_missing_file_and_a_file_that_is_not_wasm_get_the_shell_codes()
    {
        var text = Path.Combine(_directory, "script.sh");
        File.WriteAllText(text, "#!/bin/sh\n");
        using var engine = new CilGuestEngine();

        var missing = GuestHost.Run(engine, new GuestRequest { ModulePath = Path.Combine(_directory, "nope.wasm"), Wasi = new WasiConfiguration() });
        var notWasm = GuestHost.Run(engine, new GuestRequest { ModulePath = text, Wasi = new WasiConfiguration() });

        Assert.Equal((GuestOutcome.Refused, GuestExitCodes.NotFound), (missing.Outcome, missing.ExitCode));
        Assert.Equal((GuestOutcome.Refused, GuestExitCodes.NotExecutable), (notWasm.Outcome, notWasm.ExitCode));
        Assert.Contains("no such file", missing.Message);
        Assert.Contains("\\0asm", notWasm.Message);
    }

    [Fact]
    public void A_guest_its_engine_cannot_interrupt_is_left_running_at_its_timeout_and_every_wasi_call_it_makes_then_traps()
    {
        // Computes for a while (about 50 ms), writes one byte to stdout, and again, forever.
        var module = Wat.Assemble(_directory, """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "x")
              (func (export "_start") (local $i i32)
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 1))
                (loop $forever
                  (local.set $i (i32.const 100000000))
                  (loop $compute (local.set $i (i32.sub (local.get $i) (i32.const 1))) (br_if $compute (local.get $i)))
                  (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                  (br $forever))))
            """);
        var output = Path.Combine(_directory, "stdout");
        using var engine = new WasmtimeGuestEngine(interruptible: false);

        var result = GuestHost.Run(engine, new GuestRequest
        {
            ModulePath = module,
            Wasi = new WasiConfiguration().WithStdout(WasiStdio.File(output)),
            Timeout = TimeSpan.FromMilliseconds(400),
        });
        Thread.Sleep(200);
        var written = new FileInfo(output).Length;
        Thread.Sleep(500);

        Assert.Equal(GuestOutcome.TimedOut, result.Outcome);
        Assert.Equal(GuestExitCodes.TimedOut, result.ExitCode);
        Assert.True(result.GuestStillRunning);
        Assert.True(written > 0, "the guest wrote before its timeout");
        Assert.Equal(written, new FileInfo(output).Length);
    }
}
