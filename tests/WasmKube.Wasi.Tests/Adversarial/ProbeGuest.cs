using System.Diagnostics;

namespace WasmKube.Wasi.Tests.Adversarial;

/// <summary>Guests/probe.c built once for the test class with clang for wasm32-wasi (scripts/deps.sh installs it).</summary>
public sealed class ProbeGuest : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-wasi-probe-").FullName;

    public ProbeGuest()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Guests", "probe.c");
        ModulePath = Path.Combine(_directory, "probe.wasm");
        var clang = Process.Start(new ProcessStartInfo("clang", ["--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wall", "-Wextra", "-Werror", "-o", ModulePath, source])
        {
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start clang");
        var errors = clang.StandardError.ReadToEnd();
        clang.WaitForExit();
        if (clang.ExitCode != 0) throw new InvalidOperationException($"clang could not build {source} (scripts/deps.sh installs clang and wasi-libc): {errors}");
    }

    public string ModulePath { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
