using System.Text.Json;
using WasmKube.Testing.Registry;

namespace WasmKube.Cli.Tests.Registry;

/// <summary>
/// `wasmkube image build --push` and `wasmkube image push` against a real distribution registry, with skopeo as the
/// third-party client that reads back what was pushed.
/// </summary>
public sealed class RegistryPushTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-push-").FullName;
    private TestRegistry _registry = null!;
    private string _module = null!;

    public async Task InitializeAsync()
    {
        _registry = await TestRegistry.StartAsync();
        _module = Tooling.Wat(_directory, "hello", """(module (memory (export "memory") 1) (func (export "_start")))""");
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>wasmkube with HOME and DOCKER_CONFIG of the test, so no credential of the machine's user is read.</summary>
    private ProcessResult Wasmkube(string? dockerConfig, params string[] args) =>
        Tooling.Wasmkube(new Dictionary<string, string> { ["HOME"] = _directory, ["DOCKER_CONFIG"] = dockerConfig ?? Path.Combine(_directory, "no-docker-config") }, args);

    private static JsonDocument SkopeoRaw(string reference, params string[] options)
    {
        var result = Tooling.Run("skopeo", ["inspect", "--raw", "--tls-verify=false", .. options, "docker://" + reference]);
        Assert.True(result.ExitCode == 0, $"skopeo inspect --raw {reference} failed: {result}");
        return JsonDocument.Parse(result.Stdout);
    }

    [Fact]
    public void Build_push_stores_an_index_that_skopeo_reads_and_copies_per_platform()
    {
        var target = $"{_registry.Host}/wasm/hello:1.0";

        var build = Wasmkube(null, "image", "build", "-m", _module, "-t", "hello:1.0", "--push", target, "--plain-http");
        var again = Wasmkube(null, "image", "build", "-m", _module, "--push", target, "--plain-http");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains($"pushed {target} (index sha256:", build.Stdout);
        Assert.Contains("4 blobs uploaded, 2 already there", build.Stdout);
        Assert.True(again.Stdout.Contains("0 blobs uploaded, 6 already there"), again.ToString());
        using var index = SkopeoRaw(target);
        Assert.Equal("application/vnd.oci.image.index.v1+json", index.RootElement.GetProperty("mediaType").GetString());
        var platforms = new List<string>();
        foreach (var entry in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            var platform = entry.GetProperty("platform");
            platforms.Add(platform.GetProperty("os").GetString() + "/" + platform.GetProperty("architecture").GetString());
            using var manifest = SkopeoRaw($"{_registry.Host}/wasm/hello@{entry.GetProperty("digest").GetString()}");
            Assert.Equal("application/vnd.oci.image.manifest.v1+json", manifest.RootElement.GetProperty("mediaType").GetString());
        }

        Assert.Equal(["wasi/wasm", "linux/amd64", "linux/arm64"], platforms);
        var wasi = Tooling.Run("skopeo", ["--override-os", "wasi", "--override-arch", "wasm", "inspect", "--tls-verify=false", "docker://" + target]);
        Assert.True(wasi.ExitCode == 0, wasi.ToString());
        using (var inspected = JsonDocument.Parse(wasi.Stdout))
        {
            Assert.Equal("wasi", inspected.RootElement.GetProperty("Os").GetString());
            Assert.Equal("/app.wasm", inspected.RootElement.GetProperty("Labels").GetProperty("io.wasmkube.module").GetString());
        }

        var copy = Path.Combine(_directory, "copy");
        var copied = Tooling.Run("skopeo", ["copy", "--all", "--src-tls-verify=false", "docker://" + target, $"oci:{copy}:1.0"]);
        Assert.True(copied.ExitCode == 0, copied.ToString());
        var blobs = Directory.GetFiles(Path.Combine(copy, "blobs", "sha256"));
        Assert.Equal(8, blobs.Length);
        var layer = blobs.Select(File.ReadAllBytes).Single(b => b.Length > 2 && b[0] == 0x1f && b[1] == 0x8b);
        Assert.True(layer.Length > 0);
    }

    [Fact]
    public void Push_uploads_an_archive_under_its_own_name_or_a_given_one()
    {
        var archive = Path.Combine(_directory, "native.tar");
        var build = Wasmkube(null, "image", "build", "-m", _module, "--platform", "linux/amd64", "-t", $"{_registry.Host}/wasm/own:2", "-o", archive, "hello", "world");
        Assert.True(build.ExitCode == 0, build.ToString());

        var own = Wasmkube(null, "image", "push", archive, "--plain-http");
        var given = Wasmkube(null, "image", "push", "--plain-http", archive, $"{_registry.Host}/other/name:3");

        Assert.True(own.ExitCode == 0, own.ToString());
        Assert.Contains($"pushed {_registry.Host}/wasm/own:2 (manifest sha256:", own.Stdout);
        Assert.True(given.ExitCode == 0, given.ToString());
        using var manifest = SkopeoRaw($"{_registry.Host}/other/name:3");
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", manifest.RootElement.GetProperty("mediaType").GetString());
        var inspect = Tooling.Run("skopeo", ["inspect", "--tls-verify=false", $"docker://{_registry.Host}/wasm/own:2"]);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using var config = JsonDocument.Parse(inspect.Stdout);
        Assert.Equal("amd64", config.RootElement.GetProperty("Architecture").GetString());
    }

    [Fact]
    public void Linux_compatible_builds_the_default_image_byte_for_byte()
    {
        var plain = Path.Combine(_directory, "plain.tar");
        var compatible = Path.Combine(_directory, "compatible.tar");

        var first = Wasmkube(null, "image", "build", "-m", _module, "-t", "same:1", "-o", plain);
        var second = Wasmkube(null, "image", "build", "-m", _module, "-t", "same:1", "-o", compatible, "--linux-compatible");
        var both = Wasmkube(null, "image", "build", "-m", _module, "-t", "same:1", "-o", compatible, "--linux-compatible", "--platform", "wasi/wasm");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("(wasi/wasm, linux/amd64, linux/arm64/v8; index sha256:", second.Stdout);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(compatible));
        Assert.Equal(CommandExitCodes.UsageError, both.ExitCode);
        Assert.Contains("give only one of them", both.Stderr);
    }

    [Fact]
    public void Network_failures_name_the_registry_and_what_to_do()
    {
        var closed = TestRegistry.FreePort();

        var refused = Wasmkube(null, "image", "build", "-m", _module, "-t", "x:1", "--push", $"127.0.0.1:{closed}/wasm/x:1", "--plain-http");
        var tls = Wasmkube(null, "image", "build", "-m", _module, "-t", "x:1", "--push", $"{_registry.Host}/wasm/x:1");

        Assert.Equal(CommandExitCodes.Failure, refused.ExitCode);
        Assert.Contains($"cannot reach registry 127.0.0.1:{closed} at http://127.0.0.1:{closed}", refused.Stderr);
        Assert.Contains("check the address and that the registry is running", refused.Stderr);
        Assert.Equal(CommandExitCodes.Failure, tls.ExitCode);
        Assert.Contains($"cannot reach registry {_registry.Host} at https://{_registry.Host}", tls.Stderr);
        Assert.Contains("pass --plain-http", tls.Stderr);
    }

    [Fact]
    public void A_server_without_the_distribution_api_is_reported_as_not_found()
    {
        // The token server is an HTTP server that answers 404 to everything but /token.
        using var other = TokenServer.Start("nobody", "nothing");
        var host = new Uri(other.Realm).Authority;

        var result = Wasmkube(null, "image", "build", "-m", _module, "-t", "x:1", "--push", $"{host}/wasm/x:1", "--plain-http");

        Assert.Equal(CommandExitCodes.Failure, result.ExitCode);
        Assert.Contains($"registry {host} has no repository wasm/x or does not serve the distribution API at http://{host}/v2/ (HTTP 404", result.Stderr);
    }

    [Fact]
    public void Bad_arguments_and_archives_are_explained()
    {
        var notTar = Path.Combine(_directory, "notes.tar");
        File.WriteAllText(notTar, "plain text, not a tar archive\n");
        var damaged = Path.Combine(_directory, "damaged.tar");
        Assert.Equal(0, Wasmkube(null, "image", "build", "-m", _module, "--platform", "wasi/wasm", "-t", "d:1", "-o", damaged).ExitCode);
        Corrupt(damaged);

        var nowhere = Wasmkube(null, "image", "build", "-m", _module, "-t", "x:1");
        var nameless = Wasmkube(null, "image", "build", "-m", _module, "-o", Path.Combine(_directory, "nameless.tar"));
        var missing = Wasmkube(null, "image", "push", Path.Combine(_directory, "nope.tar"), $"{_registry.Host}/a/b:1");
        var text = Wasmkube(null, "image", "push", notTar, $"{_registry.Host}/a/b:1");
        var broken = Wasmkube(null, "image", "push", damaged, $"{_registry.Host}/a/b:1");
        var platform = Wasmkube(null, "image", "build", "-m", _module, "-t", "x:1", "-o", Path.Combine(_directory, "p.tar"), "--platform", "linux");
        var partial = Path.Combine(_directory, "partial.tar");
        Assert.Equal(0, Wasmkube(null, "image", "build", "-m", _module, "-t", "p:1", "-o", partial).ExitCode);
        var dropped = DropOneManifest(partial);
        var incomplete = Wasmkube(null, "image", "push", partial, $"{_registry.Host}/a/b:1");

        Assert.Equal(CommandExitCodes.UsageError, nowhere.ExitCode);
        Assert.Contains("-o FILE.tar", nowhere.Stderr);
        Assert.Equal(CommandExitCodes.UsageError, nameless.ExitCode);
        Assert.Contains("-t NAME", nameless.Stderr);
        Assert.Equal(CommandExitCodes.UsageError, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr);
        Assert.Equal(CommandExitCodes.UsageError, text.ExitCode);
        Assert.Contains($"{notTar} is not", text.Stderr);
        Assert.Contains("OCI", text.Stderr);
        Assert.Equal(CommandExitCodes.UsageError, broken.ExitCode);
        Assert.Contains("damaged", broken.Stderr);
        Assert.Equal(CommandExitCodes.UsageError, platform.ExitCode);
        Assert.Contains("OS/ARCH", platform.Stderr);
        Assert.Equal(CommandExitCodes.UsageError, incomplete.ExitCode);
        Assert.Contains($"lacks blob {dropped}", incomplete.Stderr);
        Assert.Contains("--all-platforms", incomplete.Stderr);
    }

    /// <summary>Flips one byte inside the first blob's data, keeping the tar headers intact.</summary>
    private static void Corrupt(string archive)
    {
        long offset;
        using (var file = File.OpenRead(archive))
        {
            using var reader = new System.Formats.Tar.TarReader(file);
            System.Formats.Tar.TarEntry? entry;
            while ((entry = reader.GetNextEntry()) is not null && !(entry.Name.StartsWith("blobs/sha256/", StringComparison.Ordinal) && entry.Length > 0))
            {
            }

            offset = entry!.DataOffset;
        }

        var bytes = File.ReadAllBytes(archive);
        bytes[offset] ^= 0xff;
        File.WriteAllBytes(archive, bytes);
    }

    /// <summary>Rewrites the archive without the blob of the index's last manifest (as an export of one platform lacks the others); returns its digest.</summary>
    private static string DropOneManifest(string archive)
    {
        var entries = new List<System.Formats.Tar.TarEntry>();
        using (var file = File.OpenRead(archive))
        {
            using var reader = new System.Formats.Tar.TarReader(file);
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                entries.Add(entry);
            }
        }

        string Read(string name)
        {
            var entry = entries.Single(e => e.Name == name);
            entry.DataStream!.Position = 0;
            return new StreamReader(entry.DataStream).ReadToEnd();
        }

        var indexDigest = JsonDocument.Parse(Read("index.json")).RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        var manifests = JsonDocument.Parse(Read("blobs/sha256/" + indexDigest[7..])).RootElement.GetProperty("manifests");
        var dropped = manifests[manifests.GetArrayLength() - 1].GetProperty("digest").GetString()!;
        using (var file = File.Create(archive))
        {
            using var writer = new System.Formats.Tar.TarWriter(file);
            foreach (var entry in entries.Where(e => e.Name != "blobs/sha256/" + dropped[7..]))
            {
                entry.DataStream?.Seek(0, SeekOrigin.Begin);
                writer.WriteEntry(entry);
            }
        }

        return dropped;
    }
}
