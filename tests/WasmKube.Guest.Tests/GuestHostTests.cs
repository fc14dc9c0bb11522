using System.Text;
using WasmKube.Guest.Cil;
using WasmKube.Wasi;

namespace WasmKube.Guest.Tests;

/// <summary>The guest host's refusals: one message and exit code per reason, whichever engine refuses.</summary>
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
}
