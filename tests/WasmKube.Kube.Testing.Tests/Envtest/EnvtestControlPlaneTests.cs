using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Testing.Envtest;

namespace WasmKube.Kube.Testing.Tests.Envtest;

/// <summary>
/// <see cref="EnvtestControlPlane"/> run for real from a KUBEBUILDER_ASSETS-style directory. kube-apiserver cannot be
/// installed on the build machines (no package provides it), so that directory holds the real etcd and a STAND-IN
/// kube-apiserver (Envtest/kube-apiserver-standin.sh): a script that checks the flags it was given, the key files
/// and token file they name, and that etcd answers on --etcd-servers, and then execs the standalone test API server
/// with the launcher's serving certificate, port and token. Real here: etcd, both child processes and their
/// lifetime, the generated CA/serving certificate/service-account keys/token file, the HTTPS readiness wait
/// trusting only that CA, the kubeconfig (used by our client and by the real kubectl), the error reports. Not real:
/// kube-apiserver itself — the stand-in neither stores objects in etcd nor evaluates RBAC or admission.
/// </summary>
public sealed class EnvtestControlPlaneTests(EnvtestControlPlaneFixture fixture) : IClassFixture<EnvtestControlPlaneFixture>
{
    EnvtestControlPlane Plane => fixture.Plane;

    [Fact]
    public async Task The_kubeconfig_takes_our_client_to_the_api_server_with_the_admin_token()
    {
        using var client = new KubernetesClient(KubeConfigLoader.Load(Plane.KubeconfigPath));

        await client.CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "envtest-probe", Namespace = "default" },
            Data = new Dictionary<string, string> { ["greeting"] = "hello" },
        });
        var read = await client.GetAsync<V1ConfigMap>("default", "envtest-probe");

        Assert.NotNull(read);
        Assert.Equal("hello", read.Data!["greeting"]);
        Assert.False(string.IsNullOrEmpty(read.Metadata.Uid));
    }

    [Fact]
    public async Task The_kubeconfig_works_with_kubectl()
    {
        using var kubectl = new Kubectl(Plane.KubeconfigPath);
        var output = (await kubectl.RunAsync("get", "ns", "-o", "name")).Ok();

        Assert.Contains("namespace/default", output.Split('\n'));
    }

    [Fact]
    public async Task Crds_are_installed_established_and_reinstallable()
    {
        var crd = Objects.WasmWorkloadCrdPath();

        await Plane.InstallCrdsAsync(crd);
        await Plane.InstallCrdsAsync(crd);

        using var kubectl = new Kubectl(Plane.KubeconfigPath);
        var established = (await kubectl.RunAsync("get", "crd", "wasmworkloads.wasmkube.io",
            "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}")).Ok();
        Assert.Equal("True", established.Trim());
    }

    [Fact]
    public async Task Etcd_is_the_real_binary_answering_on_its_advertised_url()
    {
        using var http = new HttpClient();
        var version = await http.GetStringAsync(new Uri(Plane.EtcdUrl, "/version"));

        Assert.Contains("etcdserver", version, StringComparison.Ordinal);
        Assert.Equal(StandInAssets.RealEtcd, ExecutableOf(Plane.EtcdProcessId));
        Assert.NotNull(ExecutableOf(Plane.ApiServerProcessId));
    }

    [Fact]
    public async Task Disposing_kills_both_processes_and_deletes_the_work_directory()
    {
        using var assets = StandInAssets.Create();
        var plane = await EnvtestControlPlane.StartAsync(assets.Directory);
        var processes = new[] { plane.EtcdProcessId, plane.ApiServerProcessId };
        Assert.All(processes, pid => Assert.True(Directory.Exists($"/proc/{pid}"), $"process {pid} runs while the control plane is up"));
        Assert.True(File.Exists(plane.KubeconfigPath));

        await plane.DisposeAsync();

        Assert.All(processes, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is gone after dispose"));
        Assert.False(Directory.Exists(plane.WorkDirectory), $"{plane.WorkDirectory} is deleted");
    }

    [Fact]
    public async Task A_directory_without_kube_apiserver_is_named_with_the_missing_binary()
    {
        using var assets = StandInAssets.WithEtcd();

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => EnvtestControlPlane.StartAsync(assets.Directory));

        Assert.Contains(assets.Directory, error.Message, StringComparison.Ordinal);
        Assert.Contains("has no kube-apiserver;", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no etcd", error.Message, StringComparison.Ordinal);
        Assert.Contains("KUBEBUILDER_ASSETS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_or_absent_directory_is_reported_with_both_binary_names()
    {
        using var assets = StandInAssets.Empty();

        var empty = await Assert.ThrowsAsync<FileNotFoundException>(() => EnvtestControlPlane.StartAsync(assets.Directory));
        var absent = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => EnvtestControlPlane.StartAsync(Path.Combine(assets.Directory, "missing")));

        Assert.Contains("has no etcd and no kube-apiserver", empty.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(assets.Directory, "missing"), absent.Message, StringComparison.Ordinal);
        Assert.Contains("etcd and kube-apiserver", absent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_server_that_exits_is_reported_with_the_end_of_its_stderr()
    {
        using var assets = StandInAssets.CreateWithApiServerScript("""
            #!/bin/sh
            echo "starting" >&2
            echo "Error: unknown flag: --made-up-for-this-test" >&2
            exit 3
            """);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EnvtestControlPlane.StartAsync(assets.Directory));

        Assert.Contains("kube-apiserver exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Error: unknown flag: --made-up-for-this-test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_server_with_a_certificate_not_from_its_ca_times_out_with_the_end_of_its_stderr()
    {
        // Serves the test API server's own self-signed certificate, which the readiness wait must not trust.
        var server = Path.Combine(AppContext.BaseDirectory, "WasmKube.Kube.Testing.dll");
        using var assets = StandInAssets.CreateWithApiServerScript($$"""
            #!/bin/sh
            echo "serving a certificate of its own" >&2
            for arg in "$@"; do case "$arg" in --secure-port=*) port="${arg#*=}";; esac; done
            exec "${DOTNET_HOST_PATH:-dotnet}" "{{server}}" --port "$port"
            """);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => EnvtestControlPlane.StartAsync(assets.Directory, TimeSpan.FromSeconds(3)));

        Assert.Contains("kube-apiserver (pid", error.Message, StringComparison.Ordinal);
        Assert.Contains("/readyz", error.Message, StringComparison.Ordinal);
        Assert.Contains("SSL", error.Message, StringComparison.Ordinal);
        Assert.Contains("serving a certificate of its own", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The executable behind a pid (/proc/PID/exe), or null when the process is gone.</summary>
    static string? ExecutableOf(int pid) =>
        new FileInfo($"/proc/{pid}/exe") is { Exists: true } exe ? exe.ResolveLinkTarget(returnFinalTarget: false)?.FullName : null;
}
