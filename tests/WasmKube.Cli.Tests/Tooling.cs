using System.Diagnostics;
using System.Reflection;

namespace WasmKube.Cli.Tests;

/// <summary>Runs wasmkube and the build tools the tests need, as child processes that are always reaped.</summary>
internal static class Tooling
{
    public static string RepositoryRoot { get; } = typeof(Tooling).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The wasmkube assembly built beside the tests (the project reference copies it here).</summary>
    public static string WasmkubeDll { get; } = Path.Combine(AppContext.BaseDirectory, "wasmkube.dll");

    public static ProcessResult Wasmkube(params string[] args) => Wasmkube(null, args);

    public static ProcessResult Wasmkube(IDictionary<string, string>? environment, params string[] args) =>
        Run("dotnet", [WasmkubeDll, .. args], environment);

    /// <summary>Runs to completion (two minutes at most: a hung child is killed and the test fails).</summary>
    public static ProcessResult Run(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null,
        bool clearEnvironment = false, string? stdin = null)
    {
        using var process = Start(file, args, environment, clearEnvironment);
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within two minutes");
        }

        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public static Process Start(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null, bool clearEnvironment = false)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (clearEnvironment) info.Environment.Clear();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
    }

    /// <summary>
    /// Runs <paramref name="file"/> on a guest that writes "running" and then computes forever, sends it SIGTERM once
    /// the guest runs, and gives how it ended (killed after 30 s if it did not).
    /// </summary>
    public static async Task<(bool Ended, int ExitCode, string Stderr)> SigtermOnceRunningAsync(string directory, string file, IEnumerable<string> argsBeforeModule)
    {
        var module = Wat(directory, "busy", """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "running\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 8))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (loop $forever (br $forever))))
            """);
        using var process = Start(file, [.. argsBeforeModule, module]);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.Equal("running", await process.StandardOutput.ReadLineAsync());

        Assert.Equal(0, Run("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
        var ended = process.WaitForExit(TimeSpan.FromSeconds(30));
        if (!ended) process.Kill();
        await process.WaitForExitAsync();
        return (ended, process.ExitCode, await stderr);
    }

    /// <summary>Assembles a .wat text into a module with wabt's wat2wasm.</summary>
    public static string Wat(string directory, string name, string text, bool check = true)
    {
        var wat = Path.Combine(directory, name + ".wat");
        var wasm = Path.Combine(directory, name + ".wasm");
        File.WriteAllText(wat, text);
        var result = Run("wat2wasm", check ? [wat, "-o", wasm] : [wat, "--no-check", "-o", wasm]);
        Assert.True(result.ExitCode == 0, $"wat2wasm failed: {result.Stderr}");
        return wasm;
    }
}

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
