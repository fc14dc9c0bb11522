using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace WasmKube.Cli.Image;

/// <summary>
/// Builds an image FROM scratch holding a wasm module as its entrypoint, as an OCI image layout in a tar archive
/// (image-spec v1.0: oci-layout, index.json, blobs/sha256/…), the form `ctr image import` and registries' tooling
/// accept. One gzip layer, an image config with the module as Entrypoint, a manifest, and an index naming the image
/// through the io.containerd.image.name and org.opencontainers.image.ref.name annotations.
/// </summary>
public static class OciImageBuilder
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string IndexMediaType = "application/vnd.oci.image.index.v1+json";

    /// <summary>Writes the archive; returns the manifest digest.</summary>
    public static string Build(ImageBuildOptions options, Stream output)
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

        var files = new List<ImageFile> { new(options.ModulePath, "/" + options.ModuleImagePath.TrimStart('/'), ImageFile.Executable) };
        files.AddRange(options.Files);
        var duplicate = files.GroupBy(f => f.ImagePath).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{duplicate.Key} is given more than once; each image path may hold one file");
        }

        var (layerTar, layerGz) = BuildLayer(files, options.Created);
        var diffId = Digest(layerTar);
        var layerDigest = Digest(layerGz);

        var config = new JsonObject
        {
            ["created"] = options.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["architecture"] = options.Platform.Architecture,
            ["os"] = options.Platform.Os,
            ["config"] = new JsonObject
            {
                ["Entrypoint"] = Array(["/" + options.ModuleImagePath.TrimStart('/')]),
                ["Cmd"] = options.Args.Count > 0 ? Array(options.Args) : null,
                ["Env"] = options.Env.Count > 0 ? Array(options.Env) : null,
                ["WorkingDir"] = "/",
                ["Labels"] = new JsonObject { ["io.wasmkube.module"] = "/" + options.ModuleImagePath.TrimStart('/') },
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = Array([diffId]) },
            ["history"] = new JsonArray(new JsonObject
            {
                ["created"] = options.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["created_by"] = "wasmkube image build",
            }),
        };
        RemoveNulls(config["config"]!.AsObject());
        var configBytes = Json(config);
        var configDigest = Digest(configBytes);

        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["config"] = Descriptor(ConfigMediaType, configDigest, configBytes.Length),
            ["layers"] = new JsonArray(Descriptor(LayerMediaType, layerDigest, layerGz.Length)),
        };
        var manifestBytes = Json(manifest);
        var manifestDigest = Digest(manifestBytes);

        var manifestDescriptor = Descriptor(ManifestMediaType, manifestDigest, manifestBytes.Length);
        manifestDescriptor["platform"] = new JsonObject { ["architecture"] = options.Platform.Architecture, ["os"] = options.Platform.Os };
        manifestDescriptor["annotations"] = new JsonObject
        {
            ["io.containerd.image.name"] = options.Reference.ToString(),
            ["org.opencontainers.image.ref.name"] = options.Reference.Tag,
        };
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = IndexMediaType,
            ["manifests"] = new JsonArray(manifestDescriptor),
        };

        using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        AddDirectory(writer, "blobs/", options.Created);
        AddDirectory(writer, "blobs/sha256/", options.Created);
        AddBytes(writer, "oci-layout", Json(new JsonObject { ["imageLayoutVersion"] = "1.0.0" }), options.Created);
        AddBytes(writer, "index.json", Json(index), options.Created);
        AddBytes(writer, BlobPath(manifestDigest), manifestBytes, options.Created);
        AddBytes(writer, BlobPath(configDigest), configBytes, options.Created);
        AddBytes(writer, BlobPath(layerDigest), layerGz, options.Created);
        return manifestDigest;
    }

    private static (byte[] Tar, byte[] Gzip) BuildLayer(IReadOnlyList<ImageFile> files, DateTimeOffset created)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var directories = files
                .SelectMany(f => Parents(f.ImagePath))
                .Distinct()
                .Order(StringComparer.Ordinal);
            foreach (var directory in directories)
            {
                AddDirectory(writer, directory.TrimStart('/') + "/", created);
            }

            foreach (var file in files.OrderBy(f => f.ImagePath, StringComparer.Ordinal))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, file.ImagePath.TrimStart('/'))
                {
                    Mode = file.Mode,
                    ModificationTime = created,
                    DataStream = new MemoryStream(File.ReadAllBytes(file.HostPath)),
                };
                writer.WriteEntry(entry);
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

    private static JsonObject Descriptor(string mediaType, string digest, long size) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static void RemoveNulls(JsonObject node)
    {
        foreach (var key in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(key);
        }
    }

    private static byte[] Json(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string BlobPath(string digest) => "blobs/sha256/" + digest["sha256:".Length..];

    private static void AddDirectory(TarWriter writer, string name, DateTimeOffset created) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = created });

    private static void AddBytes(TarWriter writer, string name, byte[] bytes, DateTimeOffset created) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = ImageFile.Regular,
            ModificationTime = created,
            DataStream = new MemoryStream(bytes),
        });
}
