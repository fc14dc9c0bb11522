using WasmKube.Runtime.Tests.Compilation;

namespace WasmKube.Cli.Tests;

/// <summary><c>wasmkube compile</c> adds ReadyToRun code with crossgen2 and says plainly when it could not.</summary>
public sealed class ReadyToRunCompileTests : IClassFixture<ExamplesFixture>, IDisposable
{
    private readonly ExamplesFixture _examples;
    private readonly string _cache = Directory.CreateTempSubdirectory("wasmkube-r2r-cache-").FullName;

    public ReadyToRunCompileTests(ExamplesFixture examples) => _examples = examples;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static Dictionary<string, string> Crossgen2(string path) => new() { ["WASMKUBE_CROSSGEN2"] = path };

    private string[] Entries() => Directory.GetFiles(_cache, "*.wkc");

    /// <summary>The guest's output without the line that prints the current time.</summary>
    private static string Stable(string stdout) =>
        string.Join('\n', stdout.Split('\n').Where(line => !line.Contains("the time is", StringComparison.Ordinal)));

    [Fact]
    public void Compile_with_crossgen2_stores_native_code_that_run_uses_with_the_same_output()
    {
        var module = _examples.Wasm("hello");
        var expected = Tooling.Wasmkube(Crossgen2(""), "run", "--engine", "wasmkube", "--no-cache", module);
        Assert.True(expected.ExitCode == 0, expected.ToString());

        var compile = Tooling.Wasmkube(Crossgen2(Crossgen2Package.Locate()), "compile", "--engine", "wasmkube", module, "-o", _cache);
        Assert.True(compile.ExitCode == 0, compile.ToString());
        Assert.Contains("(ReadyToRun native code)", compile.Stdout);
        Assert.Equal(2, Entries().Length);

        var stamps = Entries().ToDictionary(path => path, File.GetLastWriteTimeUtc);
        var run = Tooling.Wasmkube(Crossgen2(""), "run", "--engine", "wasmkube", "--cache-dir", _cache, module);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Stable(expected.Stdout), Stable(run.Stdout));
        Assert.All(stamps, entry => Assert.Equal(entry.Value, File.GetLastWriteTimeUtc(entry.Key)));
    }

    [Fact]
    public void Compile_without_crossgen2_falls_back_to_il_and_says_why()
    {
        var missing = Path.Combine(_cache, "missing", "crossgen2");
        var result = Tooling.Wasmkube(Crossgen2(missing), "compile", "--engine", "wasmkube", _examples.Wasm("hello"), "-o", _cache);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(IL only)", result.Stdout);
        Assert.Contains($"crossgen2 not found at {missing}", result.Stderr);
        Assert.Single(Entries());

        var unset = Tooling.Wasmkube(Crossgen2(""), "compile", "--engine", "wasmkube", _examples.Wasm("hello"), "-o", _cache);
        Assert.Contains("IL only: crossgen2 not found (set $WASMKUBE_CROSSGEN2", unset.Stdout);
    }

    [Fact]
    public void A_corrupt_native_entry_is_never_run_and_compile_rebuilds_it()
    {
        var module = _examples.Wasm("hello");
        var crossgen2 = Crossgen2(Crossgen2Package.Locate());
        Assert.Equal(0, Tooling.Wasmkube(crossgen2, "compile", "--engine", "wasmkube", module, "-o", _cache).ExitCode);
        var native = Entries().OrderByDescending(path => new FileInfo(path).Length).First();
        var corrupt = File.ReadAllBytes(native);
        for (var i = corrupt.Length / 2; i < corrupt.Length / 2 + 64; i++) corrupt[i] ^= 0xFF;
        File.WriteAllBytes(native, corrupt);

        var run = Tooling.Wasmkube(Crossgen2(""), "run", "--engine", "wasmkube", "--cache-dir", _cache, module);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("platform: wasi", run.Stdout);
        Assert.False(File.Exists(native));

        var compile = Tooling.Wasmkube(crossgen2, "compile", "--engine", "wasmkube", module, "-o", _cache);
        Assert.Contains("(ReadyToRun native code)", compile.Stdout);
        Assert.NotEqual(corrupt, File.ReadAllBytes(native));
    }
}
