using System.Security.Cryptography;

namespace WasmKube.Cli.Tests;

/// <summary><c>wasmkube compile</c> fills the cache that <c>run</c> reads; a damaged entry is detected and rebuilt.</summary>
public sealed class CompileCacheTests : IClassFixture<ExamplesFixture>, IDisposable
{
    private readonly ExamplesFixture _examples;
    private readonly string _cache = Directory.CreateTempSubdirectory("wasmkube-cache-").FullName;

    public CompileCacheTests(ExamplesFixture examples) => _examples = examples;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Fact]
    public void Compile_writes_one_entry_keyed_by_the_module_hash()
    {
        var module = _examples.Wasm("hello");
        var result = Tooling.Wasmkube("compile", module, "-o", _cache);
        Assert.True(result.ExitCode == 0, result.ToString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(module)));
        Assert.Contains(hash, result.Stdout);
        var entry = Assert.Single(Directory.GetFiles(_cache, "*", SearchOption.AllDirectories));
        Assert.Contains(hash, Path.GetFileName(entry));
    }

    [Fact]
    public void Run_uses_the_compiled_entry_without_rewriting_it()
    {
        var module = _examples.Wasm("hello");
        Assert.Equal(0, Tooling.Wasmkube("compile", module, "-o", _cache).ExitCode);
        var entry = Assert.Single(Directory.GetFiles(_cache, "*", SearchOption.AllDirectories));
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(entry, stamp);

        var result = Tooling.Wasmkube("run", "--cache-dir", _cache, module);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("platform: wasi", result.Stdout);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(entry));
        Assert.Single(Directory.GetFiles(_cache, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_corrupt_entry_is_detected_and_replaced()
    {
        var module = _examples.Wasm("hello");
        Assert.Equal(0, Tooling.Wasmkube("compile", module, "-o", _cache).ExitCode);
        var entry = Assert.Single(Directory.GetFiles(_cache, "*", SearchOption.AllDirectories));
        var good = File.ReadAllBytes(entry);
        var corrupt = good.ToArray();
        for (var i = corrupt.Length / 2; i < corrupt.Length / 2 + 64; i++) corrupt[i] ^= 0xFF;
        File.WriteAllBytes(entry, corrupt);

        var result = Tooling.Wasmkube("run", "--cache-dir", _cache, module);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("platform: wasi", result.Stdout);
        var rebuilt = Directory.GetFiles(_cache, "*", SearchOption.AllDirectories).Select(File.ReadAllBytes).ToList();
        Assert.DoesNotContain(rebuilt, bytes => bytes.SequenceEqual(corrupt));
        Assert.Contains(rebuilt, bytes => bytes.Length > 0);
    }

    [Fact]
    public void No_cache_leaves_the_cache_folder_alone()
    {
        var result = Tooling.Wasmkube(new Dictionary<string, string> { ["WASMKUBE_CACHE_DIR"] = _cache }, "run", "--no-cache", _examples.Wasm("hello"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(Directory.GetFiles(_cache, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_cache_folder_comes_from_the_environment_when_not_given()
    {
        var result = Tooling.Wasmkube(new Dictionary<string, string> { ["WASMKUBE_CACHE_DIR"] = _cache }, "compile", _examples.Wasm("hello"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEmpty(Directory.GetFiles(_cache, "*", SearchOption.AllDirectories));
    }
}
