using System.Security.Cryptography;
using System.Text;
using Wasmtime;

namespace WasmKube.Guest.Wasmtime;

/// <summary>
/// Compiled modules on disk, shared by every process of a node (the shim's executors, <c>wasmkube compile</c>):
/// <c>KEY.cwasm</c> holds Wasmtime's serialized code and <c>KEY.sha256</c> its digest. The key is the sha256 of the
/// module's bytes and a hash of every engine setting that changes the code, so a new engine version or setting never
/// meets old code. An entry is loaded only after its digest matches: Wasmtime trusts serialized code, a corrupt or
/// truncated entry must be recompiled instead. Writers publish by rename, so concurrent writers of one key and readers
/// never see a half-written file. Past the size limit the least recently used entries (a hit sets the access time;
/// the modification time stays the write's) are removed.
/// </summary>
public sealed class ModuleCache(string directory, string engineSettings, long sizeLimitBytes = ModuleCache.DefaultSizeLimitBytes)
{
    public const long DefaultSizeLimitBytes = 1L << 30;

    private const string CodeExtension = ".cwasm";
    private const string DigestExtension = ".sha256";

    private readonly string _settingsKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(engineSettings)))[..16];

    public string Directory { get; } = directory;

    /// <summary>The entry's path without extension for a module's bytes: its sha256, then that of the settings.</summary>
    public string EntryPath(ReadOnlySpan<byte> module) =>
        Path.Combine(Directory, $"{Convert.ToHexStringLower(SHA256.HashData(module))}-{_settingsKey}");

    /// <summary>
    /// The code of the entry at <paramref name="entry"/> (<see cref="EntryPath"/>), or null when absent, unreadable or
    /// corrupt (then it is removed).
    /// </summary>
    public Module? TryLoad(Engine engine, string entry, string name)
    {
        var code = entry + CodeExtension;
        try
        {
            if (!File.Exists(code)) return null;
            var expected = File.ReadAllText(entry + DigestExtension).Trim();
            using (var stream = File.OpenRead(code))
            {
                if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(stream)), expected, StringComparison.Ordinal))
                {
                    Remove(entry);
                    return null;
                }
            }

            var loaded = Module.DeserializeFile(engine, name, code);
            File.SetLastAccessTimeUtc(code, DateTime.UtcNow);
            return loaded;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or WasmtimeException)
        {
            // A missing digest, a file of another engine build or a read error: compile again; it only costs time.
            if (e is WasmtimeException) Remove(entry);
            return null;
        }
    }

    /// <summary>Adds the module's code at <paramref name="entry"/>; failures (a read-only or full disk) only cost the next start its compile.</summary>
    public void Store(Module compiled, string entry)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var code = compiled.Serialize();
            var unique = $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(entry + CodeExtension + unique, code);
            File.Move(entry + CodeExtension + unique, entry + CodeExtension, overwrite: true);
            File.WriteAllText(entry + DigestExtension + unique, Convert.ToHexStringLower(SHA256.HashData(code)));
            File.Move(entry + DigestExtension + unique, entry + DigestExtension, overwrite: true);
            Evict();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or WasmtimeException)
        {
        }
    }

    /// <summary>Removes the least recently used entries until the cache is at most three quarters of its limit.</summary>
    private void Evict()
    {
        var entries = new DirectoryInfo(Directory).EnumerateFiles("*" + CodeExtension).ToList();
        var total = entries.Sum(f => f.Length);
        if (total <= sizeLimitBytes) return;
        foreach (var file in entries.OrderBy(f => f.LastAccessTimeUtc))
        {
            if (total <= sizeLimitBytes * 3 / 4) break;
            total -= file.Length;
            Remove(file.FullName[..^CodeExtension.Length]);
        }
    }

    private static void Remove(string entry)
    {
        foreach (var path in new[] { entry + CodeExtension, entry + DigestExtension })
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
