using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WasmKube.Images;

/// <summary>
/// An image held in memory: its blobs by digest and the descriptor of its root, which is a manifest or an image
/// index. It is written to and read from an OCI image layout archive (image-spec v1: oci-layout, index.json,
/// blobs/ALG/HEX), the form `ctr image import` loads and `wasmkube image push` uploads.
/// </summary>
public sealed class OciImage
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string IndexMediaType = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestListMediaType = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Media type of the root: a manifest or an index (OCI or Docker).</summary>
    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    /// <summary>The root's platform, when it is a single manifest made for one.</summary>
    public ImagePlatform? Platform { get; init; }

    public required IReadOnlyDictionary<string, byte[]> Blobs { get; init; }

    /// <summary>The name the archive gave the image (io.containerd.image.name), if any.</summary>
    public string? Name { get; init; }

    public static bool IsIndex(string mediaType) => mediaType is IndexMediaType or DockerManifestListMediaType;

    public byte[] Blob(string digest) => Blobs.TryGetValue(digest, out var bytes)
        ? bytes
        : throw new InvalidDataException($"the image lacks blob {digest}, which one of its manifests names");

    public static string DigestOf(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Writes the layout archive, naming the image for containerd (io.containerd.image.name) and for OCI tools (ref.name).</summary>
    public void WriteLayout(Stream output, ImageReference reference, DateTimeOffset created)
    {
        var root = new JsonObject { ["mediaType"] = MediaType, ["digest"] = Digest, ["size"] = Blob(Digest).Length };
        if (Platform is not null)
        {
            root["platform"] = PlatformJson(Platform);
        }

        root["annotations"] = new JsonObject
        {
            ["io.containerd.image.name"] = reference.ToString(),
            ["org.opencontainers.image.ref.name"] = reference.Tag,
        };
        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = IndexMediaType, ["manifests"] = new JsonArray(root) };

        using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        AddDirectory(writer, "blobs/", created);
        AddDirectory(writer, "blobs/sha256/", created);
        AddFile(writer, "oci-layout", Json(new JsonObject { ["imageLayoutVersion"] = "1.0.0" }), created);
        AddFile(writer, "index.json", Json(index), created);
        foreach (var (digest, bytes) in Blobs.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            AddFile(writer, "blobs/" + digest.Replace(':', '/'), bytes, created);
        }
    }

    /// <summary>Reads a layout archive holding one image (what `wasmkube image build` and `ctr image export` write).</summary>
    public static OciImage ReadLayout(Stream input, string archiveName)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var reader = new TarReader(input);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is not null)
                {
                    using var data = new MemoryStream();
                    entry.DataStream.CopyTo(data);
                    files[entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name] = data.ToArray();
                }
            }
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"{archiveName} is not a tar archive ({e.Message}); pass an OCI layout archive such as `wasmkube image build -o` writes");
        }

        if (!files.TryGetValue("index.json", out var indexBytes))
        {
            throw new InvalidDataException($"{archiveName} is not an OCI image layout (it has no index.json); build it with `wasmkube image build -o` or export it with `ctr image export`");
        }

        JsonElement root;
        string? name;
        try
        {
            using var index = JsonDocument.Parse(indexBytes);
            var manifests = index.RootElement.GetProperty("manifests");
            if (manifests.GetArrayLength() != 1)
            {
                throw new InvalidDataException($"{archiveName} holds {manifests.GetArrayLength()} images in its index.json; push takes an archive of exactly one image");
            }

            root = manifests[0].Clone();
            name = root.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("io.containerd.image.name", out var n) ? n.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"the index.json of {archiveName} is not a valid OCI index ({e.Message})");
        }

        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, bytes) in files.Where(f => f.Key.StartsWith("blobs/", StringComparison.Ordinal)))
        {
            var parts = path.Split('/');
            if (parts.Length != 3)
            {
                continue;
            }

            var digest = parts[1] + ":" + parts[2];
            if (parts[1] == "sha256" && DigestOf(bytes) != digest)
            {
                throw new InvalidDataException($"blob {path} of {archiveName} does not match its digest: the archive is damaged; build or export it again");
            }

            blobs[digest] = bytes;
        }

        var image = new OciImage { MediaType = root.GetProperty("mediaType").GetString()!, Digest = root.GetProperty("digest").GetString()!, Blobs = blobs, Name = name };
        var missing = image.MissingBlobs(image.MediaType, image.Digest).FirstOrDefault();
        if (missing is not null)
        {
            throw new InvalidDataException($"{archiveName} lacks blob {missing}, which its image names; an archive exported for some platforms only lacks the others' (use `ctr image export --all-platforms`)");
        }

        return image;
    }

    /// <summary>The digests a manifest or index names, directly or through its manifests, that are not held.</summary>
    private IEnumerable<string> MissingBlobs(string mediaType, string digest)
    {
        if (!Blobs.TryGetValue(digest, out var bytes))
        {
            return [digest];
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (IsIndex(mediaType))
            {
                return document.RootElement.GetProperty("manifests").EnumerateArray()
                    .Select(m => (MediaType: m.GetProperty("mediaType").GetString()!, Digest: m.GetProperty("digest").GetString()!))
                    .ToList()
                    .SelectMany(m => MissingBlobs(m.MediaType, m.Digest));
            }

            return new[] { document.RootElement.GetProperty("config") }.Concat(document.RootElement.GetProperty("layers").EnumerateArray())
                .Select(d => d.GetProperty("digest").GetString()!)
                .Where(d => !Blobs.ContainsKey(d))
                .ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{digest} is not a valid {mediaType} ({e.Message})");
        }
    }

    internal static JsonObject PlatformJson(ImagePlatform platform)
    {
        var json = new JsonObject { ["architecture"] = platform.Architecture, ["os"] = platform.Os };
        if (platform.Variant is not null)
        {
            json["variant"] = platform.Variant;
        }

        return json;
    }

    internal static byte[] Json(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());

    private static void AddDirectory(TarWriter writer, string name, DateTimeOffset created) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = created });

    private static void AddFile(TarWriter writer, string name, byte[] bytes, DateTimeOffset created) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = ImageFile.Regular,
            ModificationTime = created,
            DataStream = new MemoryStream(bytes),
        });
}
