using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace WasmKube.Images;

/// <summary>
/// Builds an image FROM scratch holding a wasm module as its entrypoint: one gzip layer, and per platform an image
/// config with the module as Entrypoint and a manifest; several platforms are listed in an image index (each entry
/// carries its platform, as containerd selects by it). The result is written as an OCI layout archive or pushed.
/// </summary>
public static class OciImageBuilder
{
    public const string ManifestMediaType = OciImage.ManifestMediaType;
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string IndexMediaType = OciImage.IndexMediaType;

    /// <summary>Writes the layout archive; returns the image's digest (its manifest's, or its index's for several platforms).</summary>
    public static string Build(ImageBuildOptions options, Stream output)
    {
        var image = Create(options);
        image.WriteLayout(output, options.Reference, options.Created);
        return image.Digest;
    }

    public static OciImage Create(ImageBuildOptions options)
    {
        if (!File.Exists(options.ModulePath))
        {
            throw new FileNotFoundException($"module {options.ModulePath} does not exist; pass the path of a .wasm file with --module", options.ModulePath);
        }

        if (options.RequireWasm && !HasWasmMagic(options.ModulePath))
        {
            throw new InvalidDataException($"{options.ModulePath} is not a WebAssembly module (it does not start with \"\\0asm\"); build it for wasm32-wasi first");
        }

        foreach (var file in options.Files.Where(f => !File.Exists(f.HostPath)))
        {
            throw new FileNotFoundException($"--file source {file.HostPath} does not exist", file.HostPath);
        }

        if (options.Platforms.Count == 0 || options.Platforms.Distinct().Count() != options.Platforms.Count)
        {
            throw new ArgumentException($"the platforms ({string.Join(", ", options.Platforms)}) must be at least one and each given once");
        }

        var modulePath = "/" + options.ModuleImagePath.TrimStart('/');
        var files = new List<ImageFile> { new(options.ModulePath, modulePath, ImageFile.Executable) };
        files.AddRange(options.Files);
        var duplicate = files.GroupBy(f => f.ImagePath).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{duplicate.Key} is given more than once; each image path may hold one file");
        }

        var (layerTar, layerGz) = BuildLayer(files, options.Created);
        var diffId = OciImage.DigestOf(layerTar);
        var layerDigest = OciImage.DigestOf(layerGz);
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [layerDigest] = layerGz };
        var created = options.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");

        var manifests = new JsonArray();
        foreach (var platform in options.Platforms)
        {
            var config = new JsonObject
            {
                ["created"] = created,
                ["architecture"] = platform.Architecture,
                ["os"] = platform.Os,
                ["variant"] = platform.Variant,
                ["config"] = new JsonObject
                {
                    ["Entrypoint"] = Array([modulePath]),
                    ["Cmd"] = options.Args.Count > 0 ? Array(options.Args) : null,
                    ["Env"] = options.Env.Count > 0 ? Array(options.Env) : null,
                    ["WorkingDir"] = "/",
                    ["Labels"] = new JsonObject { ["io.wasmkube.module"] = modulePath },
                },
                ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = Array([diffId]) },
                ["history"] = new JsonArray(new JsonObject { ["created"] = created, ["created_by"] = "wasmkube image build" }),
            };
            RemoveNulls(config);
            RemoveNulls(config["config"]!.AsObject());
            var configBytes = OciImage.Json(config);
            blobs[OciImage.DigestOf(configBytes)] = configBytes;

            var manifest = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = ManifestMediaType,
                ["config"] = Descriptor(ConfigMediaType, configBytes),
                ["layers"] = new JsonArray(Descriptor(LayerMediaType, layerGz)),
            };
            var manifestBytes = OciImage.Json(manifest);
            blobs[OciImage.DigestOf(manifestBytes)] = manifestBytes;
            var entry = Descriptor(ManifestMediaType, manifestBytes);
            entry["platform"] = OciImage.PlatformJson(platform);
            manifests.Add((JsonNode)entry);
        }

        if (options.Platforms.Count == 1)
        {
            return new OciImage
            {
                MediaType = ManifestMediaType,
                Digest = manifests[0]!["digest"]!.GetValue<string>(),
                Platform = options.Platforms[0],
                Blobs = blobs,
            };
        }

        var indexBytes = OciImage.Json(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = IndexMediaType, ["manifests"] = manifests });
        var indexDigest = OciImage.DigestOf(indexBytes);
        blobs[indexDigest] = indexBytes;
        return new OciImage { MediaType = IndexMediaType, Digest = indexDigest, Blobs = blobs };
    }

    /// <summary>
    /// The layer as a ustar archive: unlike pax, whose writer names its extended headers after the process id, it
    /// gives the same bytes in every run, so rebuilding an image yields the same digests and a push uploads nothing new.
    /// </summary>
    private static (byte[] Tar, byte[] Gzip) BuildLayer(IReadOnlyList<ImageFile> files, DateTimeOffset created)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var directories = files
                .SelectMany(f => Parents(f.ImagePath))
                .Distinct()
                .Order(StringComparer.Ordinal);
            foreach (var directory in directories)
            {
                Write(writer, new UstarTarEntry(TarEntryType.Directory, directory.TrimStart('/') + "/") { Mode = (UnixFileMode)0b111_101_101, ModificationTime = created });
            }

            foreach (var file in files.OrderBy(f => f.ImagePath, StringComparer.Ordinal))
            {
                Write(writer, new UstarTarEntry(TarEntryType.RegularFile, file.ImagePath.TrimStart('/'))
                {
                    Mode = file.Mode,
                    ModificationTime = created,
                    DataStream = new MemoryStream(File.ReadAllBytes(file.HostPath)),
                });
            }
        }

        var tarBytes = tar.ToArray();
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(tarBytes);
        }

        return (tarBytes, gz.ToArray());
    }

    private static void Write(TarWriter writer, UstarTarEntry entry)
    {
        try
        {
            writer.WriteEntry(entry);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"image path /{entry.Name} cannot be stored in the layer ({e.Message}); use a path of at most 255 bytes whose last component has at most 100", e);
        }
    }

    private static IEnumerable<string> Parents(string path)
    {
        var directory = Path.GetDirectoryName(path);
        while (!string.IsNullOrEmpty(directory) && directory != "/")
        {
            yield return directory;
            directory = Path.GetDirectoryName(directory);
        }
    }

    private static bool HasWasmMagic(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("\0asm"u8);
    }

    private static JsonObject Descriptor(string mediaType, byte[] content) =>
        new() { ["mediaType"] = mediaType, ["digest"] = OciImage.DigestOf(content), ["size"] = content.Length };

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static void RemoveNulls(JsonObject node)
    {
        foreach (var key in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(key);
        }
    }
}
