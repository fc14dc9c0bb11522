using WasmKube.Images;
using WasmKube.Shim.Tests.Infrastructure;
using WasmKube.Testing.Cri;
using WasmKube.Testing.Registry;

namespace WasmKube.Shim.Tests;

/// <summary>
/// Images pushed to a real registry as `wasmkube image push` does (the default index of wasi/wasm, linux/amd64 and
/// linux/arm64) are pulled by containerd 1.6 without platform flags, through ctr and through CRI as kubelet pulls,
/// and run through the shim.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class RegistryPullTests(ContainerdInstance containerd) : IClassFixture<ContainerdInstance>, IAsyncLifetime
{
    private const string Ns = "k8s.io";
    private TestRegistry _registry = null!;
    private TestRegistry _private = null!;
    private CriSession _session = null!;

    public async Task InitializeAsync()
    {
        _registry = await TestRegistry.StartAsync();
        _private = await TestRegistry.StartAsync(RegistryAuth.Basic);
        _session = await CriSession.StartAsync(containerd);
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _registry.DisposeAsync();
        await _private.DisposeAsync();
    }

    /// <summary>Builds the hello guest with the default platforms and pushes it; returns the index digest.</summary>
    private async Task<string> PushHelloAsync(TestRegistry registry, string name, RegistryCredential? credential = null)
    {
        var reference = ImageReference.Parse(name);
        var image = OciImageBuilder.Create(new ImageBuildOptions { ModulePath = containerd.Guest("hello"), ModuleImagePath = "/hello.wasm", Reference = reference });
        Assert.Equal(OciImage.IndexMediaType, image.MediaType);
        using var client = new RegistryClient(registry.Host, plainHttp: true, credential);
        return await client.PushAsync(image, reference);
    }

    [Fact]
    public async Task Ctr_pulls_the_pushed_index_and_runs_it_through_the_shim()
    {
        var name = $"{_registry.Host}/wasm/ctr-hello:1";
        var digest = await PushHelloAsync(_registry, name);

        var pull = await containerd.Ctr("image", "pull", "--plain-http", name);
        var list = await containerd.Ctr("image", "ls");
        var run = await containerd.Ctr("run", "--rm", "--runtime", ContainerdInstance.Runtime, name, "pulled-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains(digest, list.Stdout);
        Assert.Contains(OciImage.IndexMediaType, list.Stdout);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("hello from wasm\n", run.Stdout);
    }

    [Fact]
    public async Task Cri_pulls_as_kubelet_does_and_a_pod_runs_the_image()
    {
        var name = $"{_registry.Host}/wasm/cri-hello:1";
        var digest = await PushHelloAsync(_registry, name);
        await containerd.AllowPlainHttpRegistryAsync(_registry.Host);

        var pulled = await _session.Cri.CallAsync<PullImageResponse>("runtime.v1.ImageService", "PullImage", new PullImageRequest { Image = new ImageSpec { Image = name } });
        var status = await _session.Cri.CallAsync<ImageStatusResponse>("runtime.v1.ImageService", "ImageStatus", new ImageStatusRequest { Image = new ImageSpec { Image = name } });
        var (podId, podConfig) = await _session.Pods.RunPodAsync("pulled");
        var hello = await _session.Pods.WaitForExitAsync(await _session.Pods.CreateAndStartAsync(podId, podConfig, "hello", name));
        var log = await CriPods.ReadLogAsync(hello.LogPath, "hello from wasm");

        Assert.StartsWith("sha256:", pulled.ImageRef);
        Assert.Contains(name, status.Image.RepoTags);
        Assert.Contains($"{_registry.Host}/wasm/cri-hello@{digest}", status.Image.RepoDigests);
        Assert.Equal(0, hello.ExitCode);
        Assert.Contains(" stdout F hello from wasm", log);
        await _session.Pods.StopAndRemovePodAsync(podId);
    }

    [Fact]
    public async Task Cri_pulls_from_a_private_registry_with_pull_secret_credentials()
    {
        var name = $"{_private.Host}/team/private-hello:1";
        await PushHelloAsync(_private, name, new RegistryCredential(_private.Username, _private.Password));
        await containerd.AllowPlainHttpRegistryAsync(_private.Host);

        var anonymous = await Assert.ThrowsAsync<CriException>(() =>
            _session.Cri.CallAsync<PullImageResponse>("runtime.v1.ImageService", "PullImage", new PullImageRequest { Image = new ImageSpec { Image = name } }));
        var pulled = await _session.Cri.CallAsync<PullImageResponse>("runtime.v1.ImageService", "PullImage", new PullImageRequest
        {
            Image = new ImageSpec { Image = name },
            Auth = new AuthConfig { Username = _private.Username, Password = _private.Password },
        });

        Assert.Contains("401", anonymous.Message);
        Assert.StartsWith("sha256:", pulled.ImageRef);
    }

    [Fact]
    public async Task The_default_archive_imports_and_runs_without_platform_flags()
    {
        var image = await containerd.ImportImageAsync("default", new ImageBuildOptions
        {
            ModulePath = containerd.Guest("hello"),
            ModuleImagePath = "/hello.wasm",
            Reference = ImageReference.Parse("portable-hello:1"),
        });

        var run = await containerd.Ctr("run", "--rm", "--runtime", ContainerdInstance.Runtime, image, "portable-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("hello from wasm\n", run.Stdout);
    }
}
