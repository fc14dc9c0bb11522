using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace WasmKube.NodeAgent.Tests.Images;

/// <summary>Reads an OCI image archive: its index, the manifest per platform, and a platform's root filesystem.</summary>
internal sealed class OciArchive
{
    private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

    public OciArchive(string path)
    {
        using var reader = new TarReader(File.OpenRead(path));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null) continue;
            using var copy = new MemoryStream();
            entry.DataStream.CopyTo(copy);
            _entries[entry.Name] = copy.ToArray();
        }
    }

    /// <summary>The image index the archive's index.json names (one image, several platforms).</summary>
    public JsonNode ImageIndex => Blob(Json("index.json")["manifests"]![0]!["digest"]!.GetValue<string>());

    public IReadOnlyList<string> Architectures =>
        [.. ImageIndex["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    public JsonNode Config(string architecture) => Blob(Manifest(architecture)["config"]!["digest"]!.GetValue<string>());

    /// <summary>Unpacks a platform's layers in order into <paramref name="directory"/>.</summary>
    public void Unpack(string architecture, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var layer in Manifest(architecture)["layers"]!.AsArray())
        {
            using var gzip = new GZipStream(new MemoryStream(_entries[BlobPath(layer!["digest"]!.GetValue<string>())]), CompressionMode.Decompress);
            TarFile.ExtractToDirectory(gzip, directory, overwriteFiles: true);
        }
    }

    private JsonNode Manifest(string architecture) => Blob(ImageIndex["manifests"]!.AsArray()
        .Single(m => m!["platform"]!["architecture"]!.GetValue<string>() == architecture)!["digest"]!.GetValue<string>());

    private JsonNode Blob(string digest) => JsonNode.Parse(_entries[BlobPath(digest)])!;

    private JsonNode Json(string name) => JsonNode.Parse(_entries[name])!;

    private static string BlobPath(string digest) => "blobs/sha256/" + digest["sha256:".Length..];
}
