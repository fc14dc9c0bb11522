using WasmKube.Guest.Wasmtime;

namespace WasmKube.Guest.Tests;

/// <summary>
/// Wasmtime's compiled-module cache, shared by every executor of a node: keyed by module and engine settings, never
/// trusting a damaged entry, safe under concurrent writers, bounded in size.
/// </summary>
public sealed class ModuleCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-module-cache-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Cache => Path.Combine(_directory, "cache");

    private string[] CodeFiles() => Directory.Exists(Path.Combine(Cache, "wasmtime"))
        ? Directory.GetFiles(Path.Combine(Cache, "wasmtime"), "*.cwasm")
        : [];

    /// <summary>Distinct modules (a constant differs), each a valid command.</summary>
    private string Module(int variant) =>
        Wat.Assemble(_directory, $$"""(module (memory (export "memory") 1) (func (export "_start") (drop (i32.const {{variant}}))))""");

    private bool CompileFromCache(string module, bool meterFuel = false, long limit = ModuleCache.DefaultSizeLimitBytes)
    {
        using var engine = new WasmtimeGuestEngine(Cache, meterFuel, limit);
        using var compiled = GuestHost.Compile(engine, module);
        return compiled.FromCache;
    }

    [Fact]
    public void A_second_compile_loads_the_entry_and_other_settings_get_their_own()
    {
        var module = Module(1);
        Assert.False(CompileFromCache(module));
        Assert.True(CompileFromCache(module));
        Assert.Single(CodeFiles());

        // Fuel metering changes the generated code: it must never load code compiled without it.
        Assert.False(CompileFromCache(module, meterFuel: true));
        Assert.True(CompileFromCache(module, meterFuel: true));
        Assert.Equal(2, CodeFiles().Length);
    }

    [Fact]
    public void A_damaged_or_truncated_entry_is_recompiled_never_loaded()
    {
        var module = Module(2);
        Assert.False(CompileFromCache(module));
        var entry = Assert.Single(CodeFiles());
        var good = File.ReadAllBytes(entry);

        var flipped = good.ToArray();
        flipped[flipped.Length / 2] ^= 0x01;
        File.WriteAllBytes(entry, flipped);
        Assert.False(CompileFromCache(module));
        Assert.Equal(good, File.ReadAllBytes(entry));

        File.WriteAllBytes(entry, good[..(good.Length / 3)]);
        Assert.False(CompileFromCache(module));
        Assert.True(CompileFromCache(module));

        File.Delete(Path.ChangeExtension(entry, ".sha256"));
        Assert.False(CompileFromCache(module));
        Assert.True(CompileFromCache(module));
    }

    [Fact]
    public void Concurrent_writers_of_one_module_leave_one_loadable_entry()
    {
        var module = Module(3);
        Parallel.For(0, 8, _ => CompileFromCache(module));

        Assert.Single(CodeFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(Cache, "wasmtime"), "*.tmp"));
        Assert.True(CompileFromCache(module));
    }

    [Fact]
    public void Past_its_size_limit_the_least_recently_used_entries_go()
    {
        var modules = Enumerable.Range(10, 4).Select(Module).ToList();
        var limit = long.MaxValue;
        for (var i = 0; i < modules.Count; i++)
        {
            var before = CodeFiles().ToHashSet();
            Assert.False(CompileFromCache(modules[i], limit: limit));
            var added = CodeFiles().Single(f => !before.Contains(f));
            if (i == 0) limit = new FileInfo(added).Length * 3;
            if (i < modules.Count - 1) File.SetLastAccessTimeUtc(added, new DateTime(2020, 1, 1, i, 0, 0, DateTimeKind.Utc));
        }

        // Four entries of one size against a limit of three: the two least recently used went, down to 3/4 of it.
        Assert.Equal(2, CodeFiles().Length);
        Assert.True(CompileFromCache(modules[3], limit: limit));
        Assert.True(CompileFromCache(modules[2], limit: limit));
        Assert.False(CompileFromCache(modules[0], limit: limit));
    }
}
