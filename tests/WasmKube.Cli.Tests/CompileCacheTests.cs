using System.Security.Cryptography;

namespace WasmKube.Cli.Tests;

/// <summary>
/// <c>wasmkube compile</c> fills the cache that <c>run</c> reads; a damaged entry is detected and rebuilt. Each engine
/// has its own entries (the subclasses): Wasmtime's native code with its digest, or our engine's assembly.
/// </summary>
public abstract class CompileCacheTests : IClassFixture<ExamplesFixture>, IDisposable
{
    private readonly ExamplesFixture _examples;
    private readonly string _cache = Directory.CreateTempSubdirectory("wasmkube-cache-").FullName;

    protected CompileCacheTests(ExamplesFixture examples) => _examples = examples;

    protected abstract string Engine { get; }

    /// <summary>The files of an entry that hold the compiled code.</summary>
    protected abstract string CodePattern { get; }

    public void Dispose()
    {
        Directory.Delete(_cache, recursive: true);
        GC.SuppressFinalize(this);
    }

    private ProcessResult Wasmkube(params string[] args) => Tooling.Wasmkube([args[0], "--engine", Engine, .. args[1..]]);

    private ProcessResult Wasmkube(Dictionary<string, string> environment, params string[] args) =>
        Tooling.Wasmkube(environment, [args[0], "--engine", Engine, .. args[1..]]);

    private string[] CodeFiles() => Directory.GetFiles(_cache, CodePattern, SearchOption.AllDirectories);

    [Fact]
    public void Compile_writes_one_entry_keyed_by_the_module_hash()
    {
        var module = _examples.Wasm("hello");
        var result = Wasmkube("compile", module, "-o", _cache);
        Assert.True(result.ExitCode == 0, result.ToString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(module)));
        Assert.Contains(hash, result.Stdout);
        var entry = Assert.Single(CodeFiles());
        Assert.Contains(hash, Path.GetFileName(entry));
    }

    [Fact]
    public void Run_uses_the_compiled_entry_without_rewriting_it()
    {
        var module = _examples.Wasm("hello");
        Assert.Equal(0, Wasmkube("compile", module, "-o", _cache).ExitCode);
        var entry = Assert.Single(CodeFiles());
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(entry, stamp);

        var result = Wasmkube("run", "--cache-dir", _cache, module);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("platform: wasi", result.Stdout);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(entry));
        Assert.Single(CodeFiles());
    }

    [Fact]
    public void A_corrupt_entry_is_detected_and_replaced()
    {
        var module = _examples.Wasm("hello");
        Assert.Equal(0, Wasmkube("compile", module, "-o", _cache).ExitCode);
        var entry = Assert.Single(CodeFiles());
        var good = File.ReadAllBytes(entry);
        var corrupt = good.ToArray();
        for (var i = corrupt.Length / 2; i < corrupt.Length / 2 + 64; i++) corrupt[i] ^= 0xFF;
        File.WriteAllBytes(entry, corrupt);

        var result = Wasmkube("run", "--cache-dir", _cache, module);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("platform: wasi", result.Stdout);
        var rebuilt = CodeFiles().Select(File.ReadAllBytes).ToList();
        Assert.DoesNotContain(rebuilt, bytes => bytes.SequenceEqual(corrupt));
        Assert.Contains(rebuilt, bytes => bytes.Length > 0);
    }

    [Fact]
    public void No_cache_leaves_the_cache_folder_alone()
    {
        var result = Wasmkube(new Dictionary<string, string> { ["WASMKUBE_CACHE_DIR"] = _cache }, "run", "--no-cache", _examples.Wasm("hello"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(Directory.GetFiles(_cache, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_cache_folder_comes_from_the_environment_when_not_given()
    {
        var result = Wasmkube(new Dictionary<string, string> { ["WASMKUBE_CACHE_DIR"] = _cache }, "compile", _examples.Wasm("hello"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEmpty(Directory.GetFiles(_cache, "*", SearchOption.AllDirectories));
    }
}

public sealed class WasmtimeCompileCacheTests(ExamplesFixture examples) : CompileCacheTests(examples)
{
    protected override string Engine => "wasmtime";

    protected override string CodePattern => "*.cwasm";
}

public sealed class WasmKubeEngineCompileCacheTests(ExamplesFixture examples) : CompileCacheTests(examples)
{
    protected override string Engine => "wasmkube";

    protected override string CodePattern => "*";
}
