using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using WasmKube.Cli.Image;

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
