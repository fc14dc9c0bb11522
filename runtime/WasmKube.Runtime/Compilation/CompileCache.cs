using System.Security.Cryptography;
using System.Text;

namespace WasmKube.Runtime.Compilation;

/// <summary>
/// The on-disk compile cache (<see cref="EngineOptions.CacheDirectory"/>): compiled assembly images keyed by the
/// module's sha256, the engine version and the code-shaping options. Each entry starts with a header naming all
/// three plus the image's own sha256; an entry whose header or checksum does not match is recompiled and rewritten,
/// never loaded. With <see cref="EngineOptions.ReadyToRunCompiler"/> a second entry holds the same image with
/// ReadyToRun native code added; it is preferred whenever present and valid.
/// </summary>
internal static class CompileCache
{
    private static readonly byte[] Magic = "WKCACHE1"u8.ToArray();

    public static byte[] GetOrCompile(Engine engine, byte[] moduleBytes, ModuleInfo info, string? name)
    {
        var directory = engine.Options.CacheDirectory;
        var moduleHash = SHA256.HashData(moduleBytes);
        var assemblyName = "wasm_" + Convert.ToHexStringLower(moduleHash.AsSpan(0, 8));
        if (directory is null) return ModuleCompiler.Compile(info, assemblyName);

        // A ReadyToRun entry is a separate file with its own flavour, so IL-only and native entries never mix.
        var flavor = Flavor(engine);
        var nativeFlavor = NativeFlavor(flavor);
        var nativePath = EntryPath(directory, moduleHash, nativeFlavor);
        if (TryRead(nativePath, moduleHash, nativeFlavor) is { } native && ReadyToRunImage.HasNativeCode(CompiledCode.Unpack(native).Assembly))
        {
            return native;
        }

        var compiler = engine.Options.ReadyToRunCompiler;
        if (compiler is null && File.Exists(nativePath))
        {
            // Damaged, and nothing here can rebuild it: drop it rather than re-reading it on every start.
            engine.Options.Diagnostic?.Invoke($"discarding damaged ReadyToRun cache entry {nativePath}");
            TryDelete(nativePath);
        }

        var path = EntryPath(directory, moduleHash, flavor);
        var image = TryRead(path, moduleHash, flavor);
        if (image is null)
        {
            image = ModuleCompiler.Compile(info, assemblyName);
            TryWrite(path, moduleHash, flavor, image);
        }

        if (compiler is null) return image;
        var (assembly, offsetMaps) = CompiledCode.Unpack(image);
        if (ReadyToRunCompiler.TryCompile(compiler, assembly, out var failure) is not { } nativeAssembly)
        {
            engine.Options.Diagnostic?.Invoke($"{failure}; the cache holds IL only for {name ?? assemblyName}");
            return image;
        }

        native = CompiledCode.Pack(nativeAssembly, offsetMaps);
        TryWrite(nativePath, moduleHash, nativeFlavor, native);
        return native;
    }

    private static string EntryPath(string directory, byte[] moduleHash, string flavor) => Path.Combine(directory,
        $"{Convert.ToHexStringLower(moduleHash)}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(flavor)).AsSpan(0, 8))}.wkc");

    /// <summary>Everything besides the module bytes that changes the generated code.</summary>
    private static string Flavor(Engine engine) => $"{Engine.Version};fuel={engine.Options.ConsumeFuel}";

    /// <summary>
    /// Native code is also tied to the target, the framework and the exact runtime build it was compiled against
    /// (the runtime would reject stale code method by method; a new key avoids paying for that on every start).
    /// </summary>
    private static string NativeFlavor(string flavor) =>
        $"{flavor};r2r={ReadyToRunCompiler.Target};framework={Environment.Version};runtime={typeof(Func).Assembly.ManifestModule.ModuleVersionId}";

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static byte[]? TryRead(string path, byte[] moduleHash, string flavor)
    {
        try
        {
            if (!File.Exists(path)) return null;
            using var reader = new BinaryReader(File.OpenRead(path));
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            if (reader.ReadString() != flavor) return null;
            if (!reader.ReadBytes(moduleHash.Length).AsSpan().SequenceEqual(moduleHash)) return null;
            var length = reader.ReadInt32();
            var checksum = reader.ReadBytes(32);
            if (length <= 0 || length > reader.BaseStream.Length) return null;
            var image = reader.ReadBytes(length);
            return image.Length == length && SHA256.HashData(image).AsSpan().SequenceEqual(checksum) ? image : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException)
        {
            return null;
        }
    }

    private static void TryWrite(string path, byte[] moduleHash, string flavor, byte[] image)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var writer = new BinaryWriter(File.Create(temporary)))
            {
                writer.Write(Magic);
                writer.Write(flavor);
                writer.Write(moduleHash);
                writer.Write(image.Length);
                writer.Write(SHA256.HashData(image));
                writer.Write(image);
            }

            // Rename is atomic: readers see the old entry or the complete new one.
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimization; a read-only or full disk must not fail compilation.
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
