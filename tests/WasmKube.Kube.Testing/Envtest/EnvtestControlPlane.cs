using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Yaml;

namespace WasmKube.Kube.Testing.Envtest;

/// <summary>
/// A real control plane (etcd + kube-apiserver, no controller-manager, no kubelet) started from a directory laid out
/// like controller-runtime's envtest assets (what <c>setup-envtest use -p path</c> prints, usually exported as
/// KUBEBUILDER_ASSETS). It makes its own CA, serving certificate, service-account keys and admin token, waits for
/// <c>/readyz</c>, and writes a kubeconfig. Dispose it to kill both processes and delete its temp directory.
/// <code>
/// await using var plane = await EnvtestControlPlane.StartAsync(Environment.GetEnvironmentVariable("KUBEBUILDER_ASSETS")!);
/// await plane.InstallCrdsAsync("crds/wasmworkloads.wasmkube.io.yaml");
/// // point a client or kubectl at plane.KubeconfigPath
/// </code>
/// </summary>
public sealed class EnvtestControlPlane : IAsyncDisposable
{
    /// <summary>The environment variable controller-runtime's envtest reads the assets directory from.</summary>
    public const string AssetsVariable = "KUBEBUILDER_ASSETS";

    public const string EtcdBinary = "etcd";
    public const string ApiServerBinary = "kube-apiserver";

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    readonly ControlPlaneProcess _etcd;
    readonly ControlPlaneProcess _apiServer;
    readonly HttpClient _http;

    EnvtestControlPlane(string assetsDirectory, string workDirectory, ControlPlaneProcess etcd, ControlPlaneProcess apiServer,
        HttpClient http, Uri etcdUrl, Uri baseUrl, string kubeconfigPath, ControlPlaneCredentials credentials)
    {
        AssetsDirectory = assetsDirectory;
        WorkDirectory = workDirectory;
        _etcd = etcd;
        _apiServer = apiServer;
        _http = http;
        EtcdUrl = etcdUrl;
        BaseUrl = baseUrl;
        KubeconfigPath = kubeconfigPath;
        Token = credentials.Token;
        CaCertificatePem = credentials.CaPem;
    }

    /// <summary>The directory the binaries came from.</summary>
    public string AssetsDirectory { get; }

    /// <summary>Temp directory with etcd's data, the certificates, the token file and the kubeconfig; deleted on dispose.</summary>
    public string WorkDirectory { get; }

    /// <summary>etcd's client URL (plain HTTP on loopback).</summary>
    public Uri EtcdUrl { get; }

    /// <summary>kube-apiserver's secure URL, e.g. https://127.0.0.1:41234/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>A kubeconfig (server, CA data, admin token) for kubectl and clients.</summary>
    public string KubeconfigPath { get; }

    /// <summary>Bearer token of an admin user (group system:masters).</summary>
    public string Token { get; }

    /// <summary>The CA that signed the serving certificate, PEM encoded.</summary>
    public string CaCertificatePem { get; }

    public int EtcdProcessId => _etcd.Id;

    public int ApiServerProcessId => _apiServer.Id;

    /// <summary>The value of KUBEBUILDER_ASSETS, or null when it is unset or empty.</summary>
    public static string? AssetsFromEnvironment =>
        Environment.GetEnvironmentVariable(AssetsVariable) is { Length: > 0 } value ? value : null;

    /// <summary>
    /// Starts etcd, then kube-apiserver, from <paramref name="assetsDirectory"/> and waits until the API server is ready
    /// (within <paramref name="startTimeout"/>, default one minute per process).
    /// </summary>
    public static async Task<EnvtestControlPlane> StartAsync(string assetsDirectory, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
    {
        var (etcdPath, apiServerPath) = FindBinaries(assetsDirectory);
        var timeout = startTimeout ?? TimeSpan.FromMinutes(1);
        var workDirectory = Directory.CreateTempSubdirectory("wasmkube-envtest-").FullName;
        ControlPlaneProcess? etcd = null;
        ControlPlaneProcess? apiServer = null;
        HttpClient? http = null;
        try
        {
            var etcdUrl = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
            etcd = ControlPlaneProcess.Start(etcdPath, await EtcdArgumentsAsync(etcdPath, etcdUrl, workDirectory, cancellationToken), workDirectory);
            using (var plain = new HttpClient())
            {
                await WaitUntilAnswersAsync(etcd, plain, new Uri(etcdUrl, "/health"), timeout, cancellationToken);
            }

            var credentials = ControlPlaneCredentials.Create();
            var certDirectory = Directory.CreateDirectory(Path.Combine(workDirectory, "pki")).FullName;
            await credentials.WriteAsync(certDirectory, cancellationToken);
            var baseUrl = new Uri($"https://127.0.0.1:{LoopbackPort.Free()}/");
            apiServer = ControlPlaneProcess.Start(apiServerPath, ApiServerArguments(etcdUrl, baseUrl, certDirectory), workDirectory);

            http = CreateHttpClient(credentials);
            await WaitUntilAnswersAsync(apiServer, http, new Uri(baseUrl, "readyz"), timeout, cancellationToken);

            var kubeconfigPath = Path.Combine(workDirectory, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfigPath, Kubeconfig(baseUrl, credentials), cancellationToken);
            return new EnvtestControlPlane(assetsDirectory, workDirectory, etcd, apiServer, http, etcdUrl, baseUrl, kubeconfigPath, credentials);
        }
        catch
        {
            http?.Dispose();
            await StopAsync(apiServer, etcd, workDirectory);
            throw;
        }
    }

    static (string Etcd, string ApiServer) FindBinaries(string assetsDirectory)
    {
        const string expected = $"it must hold the {EtcdBinary} and {ApiServerBinary} binaries of an envtest release " +
            $"(set {AssetsVariable} to the directory `setup-envtest use -p path` prints)";
        if (!Directory.Exists(assetsDirectory))
        {
            throw new DirectoryNotFoundException($"envtest assets directory '{assetsDirectory}' does not exist; {expected}");
        }
        var etcd = Path.Combine(assetsDirectory, EtcdBinary);
        var apiServer = Path.Combine(assetsDirectory, ApiServerBinary);
        var missing = new[] { etcd, apiServer }.Where(path => !File.Exists(path)).Select(Path.GetFileName).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException($"envtest assets directory '{assetsDirectory}' has no {string.Join(" and no ", missing)}; {expected}");
        }
        return (etcd, apiServer);
    }

    // Flags as controller-runtime's envtest passes them (pkg/internal/testing/controlplane/etcd.go, defaultArgs).
    static async Task<List<string>> EtcdArgumentsAsync(string etcdPath, Uri clientUrl, string workDirectory, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            $"--data-dir={Path.Combine(workDirectory, "etcd")}",
            // etcd rejects URLs with a path, even "/".
            $"--listen-client-urls={clientUrl.GetLeftPart(UriPartial.Authority)}",
            $"--advertise-client-urls={clientUrl.GetLeftPart(UriPartial.Authority)}",
            $"--listen-peer-urls=http://127.0.0.1:{LoopbackPort.Free()}",
        };
        // etcd 3.5+ can skip fsync, which makes a throw-away test store much faster; 3.4 does not know the flag.
        if (await EtcdSupportsAsync(etcdPath, "--unsafe-no-fsync", workDirectory, cancellationToken))
        {
            arguments.Add("--unsafe-no-fsync=true");
        }
        return arguments;
    }

    static async Task<bool> EtcdSupportsAsync(string etcdPath, string flag, string workDirectory, CancellationToken cancellationToken)
    {
        var help = new ProcessStartInfo(etcdPath, "--help")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workDirectory,
        };
        using var process = Process.Start(help) ?? throw new InvalidOperationException($"{etcdPath} --help did not start");
        // etcd prints its usage to stderr in some versions and to stdout in others.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (await stdout + await stderr).Contains(flag, StringComparison.Ordinal);
    }

    // The flags a 1.2x/1.3x kube-apiserver needs without a controller-manager, after controller-runtime's envtest
    // (pkg/internal/testing/controlplane/apiserver.go, defaultArgs) and the kube-apiserver command-line reference.
    static List<string> ApiServerArguments(Uri etcdUrl, Uri baseUrl, string certDirectory) =>
    [
        $"--etcd-servers={etcdUrl.GetLeftPart(UriPartial.Authority)}",
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        $"--secure-port={baseUrl.Port}",
        $"--cert-dir={certDirectory}",
        $"--tls-cert-file={Path.Combine(certDirectory, ControlPlaneCredentials.ServingCertificateFile)}",
        $"--tls-private-key-file={Path.Combine(certDirectory, ControlPlaneCredentials.ServingKeyFile)}",
        $"--token-auth-file={Path.Combine(certDirectory, ControlPlaneCredentials.TokenFile)}",
        "--authorization-mode=RBAC",
        $"--service-account-issuer={baseUrl}",
        $"--service-account-key-file={Path.Combine(certDirectory, ControlPlaneCredentials.ServiceAccountPublicKeyFile)}",
        $"--service-account-signing-key-file={Path.Combine(certDirectory, ControlPlaneCredentials.ServiceAccountPrivateKeyFile)}",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged=true",
        // No controller-manager creates the default ServiceAccount, so its admission plugin would reject every pod.
        "--disable-admission-plugins=ServiceAccount",
    ];

    static HttpClient CreateHttpClient(ControlPlaneCredentials credentials)
    {
        var ca = X509Certificate2.CreateFromPem(credentials.CaPem);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsSignedBy(ca, certificate, errors),
            },
        };
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Token);
        return http;
    }

    /// <summary>Trusts exactly the control plane's CA, and still requires the name (127.0.0.1) to match.</summary>
    static bool IsSignedBy(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is not X509Certificate2 serving || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(serving);
    }

    static async Task WaitUntilAnswersAsync(ControlPlaneProcess process, HttpClient http, Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var lastAnswer = "no answer yet";
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} stopped before {url} answered OK: {process.ExitReport()}");
            }
            try
            {
                using var response = await http.GetAsync(url, deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                lastAnswer = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(deadline.Token)}";
            }
            catch (HttpRequestException e)
            {
                lastAnswer = e.InnerException is null ? e.Message : $"{e.Message} {e.InnerException.Message}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline, reported below.
            }
            if (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"{process.Name} (pid {process.Id}) did not answer OK at {url} within {timeout.TotalSeconds:0} s " +
                    $"(last: {lastAnswer}); the end of its stderr:\n{process.StderrTail()}");
            }
            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline, reported on the next pass.
            }
        }
    }

    static string Kubeconfig(Uri baseUrl, ControlPlaneCredentials credentials) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: envtest
          cluster:
            server: {baseUrl.GetLeftPart(UriPartial.Authority)}
            certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(credentials.CaPem))}
        users:
        - name: {ControlPlaneCredentials.AdminUser}
          user:
            token: {credentials.Token}
        contexts:
        - name: envtest
          context:
            cluster: envtest
            user: {ControlPlaneCredentials.AdminUser}
            namespace: default
        current-context: envtest

        """;

    /// <summary>
    /// Creates (or replaces) every CustomResourceDefinition in the YAML file at <paramref name="path"/> and waits until
    /// each is Established, so custom resources can be created right away.
    /// </summary>
    public async Task InstallCrdsAsync(string path, CancellationToken cancellationToken = default)
    {
        var collection = new Uri(BaseUrl, "apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        var names = new List<string>();
        foreach (var document in YamlJson.ParseDocuments(await File.ReadAllTextAsync(path, cancellationToken)))
        {
            if (document is not JsonObject crd || (string?)crd["kind"] != "CustomResourceDefinition" || (string?)crd["metadata"]?["name"] is not { } name)
            {
                throw new FormatException($"{path}: every document must be a named CustomResourceDefinition (apiextensions.k8s.io/v1)");
            }
            using var created = await SendJsonAsync(HttpMethod.Post, collection, crd, cancellationToken);
            if (created.StatusCode == HttpStatusCode.Conflict)
            {
                var existing = await ReadJsonAsync(new Uri($"{collection}/{name}"), cancellationToken);
                crd["metadata"]!["resourceVersion"] = existing?["metadata"]?["resourceVersion"]?.DeepClone();
                using var replaced = await SendJsonAsync(HttpMethod.Put, new Uri($"{collection}/{name}"), crd, cancellationToken);
                await EnsureSuccessAsync(replaced, $"replacing CRD {name} from {path}", cancellationToken);
            }
            else
            {
                await EnsureSuccessAsync(created, $"creating CRD {name} from {path}", cancellationToken);
            }
            names.Add(name);
        }
        foreach (var name in names)
        {
            await WaitUntilEstablishedAsync(new Uri($"{collection}/{name}"), name, cancellationToken);
        }
    }

    async Task WaitUntilEstablishedAsync(Uri url, string name, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        while (true)
        {
            var crd = await ReadJsonAsync(url, cancellationToken);
            if (crd?["status"]?["conditions"] is JsonArray conditions
                && conditions.Any(c => (string?)c?["type"] == "Established" && (string?)c?["status"] == "True"))
            {
                return;
            }
            if (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"CRD {name} was not Established within a minute; its status: {crd?["status"]?.ToJsonString() ?? "(none)"}");
            }
            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline, reported on the next pass.
            }
        }
    }

    Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, Uri url, JsonObject body, CancellationToken cancellationToken) =>
        _http.SendAsync(new HttpRequestMessage(method, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        }, cancellationToken);

    async Task<JsonNode?> ReadJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(url, cancellationToken);
        await EnsureSuccessAsync(response, $"reading {url}", cancellationToken);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{what} failed with HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}",
                null, response.StatusCode);
        }
    }

    static async Task StopAsync(ControlPlaneProcess? apiServer, ControlPlaneProcess? etcd, string workDirectory)
    {
        // The API server first, so it does not log a storm of etcd connection errors on the way down.
        if (apiServer is not null)
        {
            await apiServer.DisposeAsync();
        }
        if (etcd is not null)
        {
            await etcd.DisposeAsync();
        }
        Directory.Delete(workDirectory, recursive: true);
    }

    /// <summary>Kills kube-apiserver and etcd (by pid), waits for both to exit, and deletes <see cref="WorkDirectory"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await StopAsync(_apiServer, _etcd, WorkDirectory);
    }
}
