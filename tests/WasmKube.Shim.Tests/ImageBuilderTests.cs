using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using WasmKube.Images;

namespace WasmKube.Shim.Tests;

public sealed class ImageBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wk-image-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteModule()
    {
        var path = Path.Combine(_dir, "app.wasm");
        File.WriteAllBytes(path, [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
        return path;
    }

    private static Dictionary<string, byte[]> ReadArchive(byte[] archive)
    {
        var entries = new Dictionary<string, byte[]>();
        using var reader = new TarReader(new MemoryStream(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries[entry.Name] = data.ToArray();
        }

        return entries;
    }

    private static string Sha(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Blob(Dictionary<string, byte[]> entries, string digest) => entries["blobs/sha256/" + digest["sha256:".Length..]];

    [Fact]
    public void Layout_holds_a_verifiable_manifest_config_and_layer_named_for_containerd()
    {
        var extra = Path.Combine(_dir, "index.html");
        File.WriteAllText(extra, "<h1>hi</h1>");
        using var output = new MemoryStream();

        var digest = OciImageBuilder.Build(new ImageBuildOptions
        {
            ModulePath = WriteModule(),
            Files = [ImageFile.Parse($"{extra}=docroot/index.html")],
            Reference = ImageReference.Parse("hello-wasm:1.0"),
            Platform = ImagePlatform.Wasi,
            Args = ["--port", "8080"],
        }, output);

        var entries = ReadArchive(output.ToArray());
        Assert.Contains("oci-layout", entries.Keys);
        using var index = JsonDocument.Parse(entries["index.json"]);
        var descriptor = index.RootElement.GetProperty("manifests")[0];
        Assert.Equal(digest, descriptor.GetProperty("digest").GetString());
        Assert.Equal("docker.io/library/hello-wasm:1.0", descriptor.GetProperty("annotations").GetProperty("io.containerd.image.name").GetString());
        Assert.Equal("1.0", descriptor.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString());

        var manifestBytes = Blob(entries, digest);
        Assert.Equal(digest, Sha(manifestBytes));
        using var manifest = JsonDocument.Parse(manifestBytes);
        var configDigest = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        var layerDigest = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        var configBytes = Blob(entries, configDigest);
        var layerBytes = Blob(entries, layerDigest);
        Assert.Equal(configDigest, Sha(configBytes));
        Assert.Equal(layerDigest, Sha(layerBytes));

        using var config = JsonDocument.Parse(configBytes);
        Assert.Equal("wasi", config.RootElement.GetProperty("os").GetString());
        Assert.Equal("wasm", config.RootElement.GetProperty("architecture").GetString());
        Assert.Equal("/app.wasm", config.RootElement.GetProperty("config").GetProperty("Entrypoint")[0].GetString());
        Assert.Equal("8080", config.RootElement.GetProperty("config").GetProperty("Cmd")[1].GetString());

        using var layerTar = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(layerBytes), CompressionMode.Decompress))
        {
            gzip.CopyTo(layerTar);
        }

        Assert.Equal(config.RootElement.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString(), Sha(layerTar.ToArray()));
        using var reader = new TarReader(new MemoryStream(layerTar.ToArray()));
        var files = new Dictionary<string, TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            files[entry.Name] = entry;
        }

        Assert.Equal(ImageFile.Executable, files["app.wasm"].Mode);
        Assert.Contains("docroot/", files.Keys);
        using var html = new StreamReader(files["docroot/index.html"].DataStream!);
        Assert.Equal("<h1>hi</h1>", html.ReadToEnd());
    }

    [Fact]
    public void By_default_an_index_lists_wasi_and_both_linux_platforms_over_one_layer()
    {
        using var output = new MemoryStream();

        var digest = OciImageBuilder.Build(new ImageBuildOptions { ModulePath = WriteModule(), Reference = ImageReference.Parse("portable:1") }, output);

        var entries = ReadArchive(output.ToArray());
        using var layoutIndex = JsonDocument.Parse(entries["index.json"]);
        var root = layoutIndex.RootElement.GetProperty("manifests")[0];
        Assert.Equal(OciImageBuilder.IndexMediaType, root.GetProperty("mediaType").GetString());
        Assert.Equal(digest, root.GetProperty("digest").GetString());
        Assert.Equal("docker.io/library/portable:1", root.GetProperty("annotations").GetProperty("io.containerd.image.name").GetString());
        var indexBytes = Blob(entries, digest);
        Assert.Equal(digest, Sha(indexBytes));
        using var index = JsonDocument.Parse(indexBytes);
        var platforms = new List<string>();
        var layers = new HashSet<string>();
        foreach (var entry in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            var manifestDigest = entry.GetProperty("digest").GetString()!;
            var manifestBytes = Blob(entries, manifestDigest);
            Assert.Equal(manifestDigest, Sha(manifestBytes));
            Assert.Equal(manifestBytes.Length, entry.GetProperty("size").GetInt32());
            using var manifest = JsonDocument.Parse(manifestBytes);
            layers.Add(manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!);
            using var config = JsonDocument.Parse(Blob(entries, manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!));
            var platform = entry.GetProperty("platform");
            Assert.Equal(platform.GetProperty("os").GetString(), config.RootElement.GetProperty("os").GetString());
            Assert.Equal(platform.GetProperty("architecture").GetString(), config.RootElement.GetProperty("architecture").GetString());
            platforms.Add(ImagePlatform.Parse(string.Join('/', new[] { "os", "architecture", "variant" }
                .Select(p => platform.TryGetProperty(p, out var v) ? v.GetString() : null).OfType<string>())).ToString());
        }

        Assert.Equal(["wasi/wasm", "linux/amd64", "linux/arm64/v8"], platforms);
        Assert.Single(layers);
        Assert.Equal(1 + 1 + 3 + 3, entries.Keys.Count(k => k.StartsWith("blobs/sha256/", StringComparison.Ordinal) && k.Length > "blobs/sha256/".Length));
    }

    [Fact]
    public void A_layout_reads_back_as_the_image_it_was_written_from()
    {
        var built = OciImageBuilder.Create(new ImageBuildOptions { ModulePath = WriteModule(), Reference = ImageReference.Parse("round:1") });
        using var archive = new MemoryStream();
        built.WriteLayout(archive, ImageReference.Parse("round:1"), DateTimeOffset.UnixEpoch);
        archive.Position = 0;

        var read = OciImage.ReadLayout(archive, "round.tar");

        Assert.Equal(built.Digest, read.Digest);
        Assert.Equal(built.MediaType, read.MediaType);
        Assert.Equal("docker.io/library/round:1", read.Name);
        Assert.Equal(built.Blobs.Keys.Order(), read.Blobs.Keys.Order());
    }

    [Fact]
    public void Compatibility_platform_goes_into_config_and_index()
    {
        using var output = new MemoryStream();

        var digest = OciImageBuilder.Build(new ImageBuildOptions
        {
            ModulePath = WriteModule(),
            Reference = ImageReference.Parse("registry.example.com:5000/team/app"),
            Platform = ImagePlatform.Parse("linux/amd64"),
        }, output);

        var entries = ReadArchive(output.ToArray());
        using var index = JsonDocument.Parse(entries["index.json"]);
        var descriptor = index.RootElement.GetProperty("manifests")[0];
        Assert.Equal("linux", descriptor.GetProperty("platform").GetProperty("os").GetString());
        Assert.Equal("registry.example.com:5000/team/app:latest", descriptor.GetProperty("annotations").GetProperty("io.containerd.image.name").GetString());
        using var manifest = JsonDocument.Parse(Blob(entries, digest));
        using var config = JsonDocument.Parse(Blob(entries, manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!));
        Assert.Equal("amd64", config.RootElement.GetProperty("architecture").GetString());
    }

    [Fact]
    public void Same_inputs_give_the_same_digest()
    {
        var module = WriteModule();
        var options = new ImageBuildOptions { ModulePath = module, Reference = ImageReference.Parse("same:1") };

        var first = OciImageBuilder.Build(options, new MemoryStream());
        var second = OciImageBuilder.Build(options, new MemoryStream());

        Assert.Equal(first, second);
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_what_to_do()
    {
        var text = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(text, "not wasm");

        var notWasm = Assert.Throws<InvalidDataException>(() =>
            OciImageBuilder.Build(new ImageBuildOptions { ModulePath = text, Reference = ImageReference.Parse("x:1") }, new MemoryStream()));
        var missing = Assert.Throws<FileNotFoundException>(() =>
            OciImageBuilder.Build(new ImageBuildOptions { ModulePath = Path.Combine(_dir, "nope.wasm"), Reference = ImageReference.Parse("x:1") }, new MemoryStream()));
        var mapping = Assert.Throws<ArgumentException>(() => ImageFile.Parse("no-equals-sign"));
        var name = Assert.Throws<ArgumentException>(() => ImageReference.Parse("Upper/Case:1"));
        var platform = Assert.Throws<ArgumentException>(() => ImagePlatform.Parse("wasm"));

        Assert.Contains("not a WebAssembly module", notWasm.Message);
        Assert.Contains("--module", missing.Message);
        Assert.Contains("HOST_PATH=IMAGE_PATH", mapping.Message);
        Assert.Contains("lower case", name.Message);
        Assert.Contains("OS/ARCH", platform.Message);
    }

    [Theory]
    [InlineData("hello", "docker.io/library/hello:latest")]
    [InlineData("team/app:v2", "docker.io/team/app:v2")]
    [InlineData("localhost/app:1", "localhost/app:1")]
    [InlineData("ghcr.io/org/app:1.2.3", "ghcr.io/org/app:1.2.3")]
    public void References_are_normalized_like_containerd_names_images(string input, string expected) =>
        Assert.Equal(expected, ImageReference.Parse(input).ToString());
}
