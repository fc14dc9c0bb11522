using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Testing;

namespace WasmKube.Kube.Tests;

public sealed class KubeConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: dev
          cluster: { server: "https://dev.example:6443", insecure-skip-tls-verify: true }
        - name: prod
          cluster: { server: "https://prod.example:6443", tls-server-name: api.prod }
        users:
        - name: alice
          user: { token: alice-token }
        - name: bot
          user: { tokenFile: bot.token }
        contexts:
        - name: dev
          context: { cluster: dev, user: alice, namespace: team-a }
        - name: prod
          context: { cluster: prod, user: bot }
        current-context: dev
        """;

    [Fact]
    public async Task The_current_context_or_the_named_one_selects_cluster_user_and_namespace()
    {
        File.WriteAllText(Path.Combine(_directory, "bot.token"), "bot-token\n");

        var dev = KubeConfigLoader.Parse(TwoContexts, _directory);
        var prod = KubeConfigLoader.Parse(TwoContexts, _directory, context: "prod");

        Assert.Equal(new Uri("https://dev.example:6443"), dev.Host);
        Assert.Equal("team-a", dev.Namespace);
        Assert.True(dev.SkipTlsVerify);
        Assert.Equal("alice-token", await dev.Credentials!.GetTokenAsync(CancellationToken.None));
        Assert.Equal("default", prod.Namespace);
        Assert.Equal("api.prod", prod.TlsServerName);
        Assert.Equal("bot-token", await prod.Credentials!.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public void An_unknown_context_names_the_known_ones()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KubeConfigLoader.Parse(TwoContexts, _directory, context: "staging"));
        Assert.Contains("staging", error.Message, StringComparison.Ordinal);
        Assert.Contains("dev, prod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exec_credential_plugin_supplies_the_token_the_server_accepts()
    {
        await using var server = await TestApiServer.StartAsync();
        var plugin = Path.Combine(_directory, "plugin.sh");
        File.WriteAllText(plugin, $$$"""
            #!/bin/sh
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"{{{server.Token}}}"}}'
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var original = File.ReadAllText(server.KubeconfigPath);
        var withExec = original.Replace($"token: {server.Token}", $"exec: {{ apiVersion: client.authentication.k8s.io/v1, command: {plugin} }}", StringComparison.Ordinal);
        Assert.NotEqual(original, withExec);

        using var client = new KubernetesClient(KubeConfigLoader.Parse(withExec, _directory));
        var namespaces = await client.ListAsync<V1Namespace>(null);

        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "kube-system");
    }

    [Fact]
    public async Task A_wrong_token_is_reported_as_unauthorized()
    {
        await using var server = await TestApiServer.StartAsync();
        var config = KubeConfigLoader.Load(server.KubeconfigPath) with { Credentials = new StaticTokenProvider("wrong") };
        using var client = new KubernetesClient(config, RetryPolicy.None);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync<V1Namespace>(null));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task A_rotated_service_account_token_is_picked_up_after_the_refresh_interval()
    {
        var path = Path.Combine(_directory, "token");
        File.WriteAllText(path, "first");
        var clock = new ManualTimeProvider();
        var provider = new TokenFileProvider(path, clock);

        Assert.Equal("first", await provider.GetTokenAsync(CancellationToken.None));
        File.WriteAllText(path, "second");
        Assert.Equal("first", await provider.GetTokenAsync(CancellationToken.None));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("second", await provider.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public void A_plugin_answer_without_a_token_explains_what_is_supported()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExecCredentialProvider.Parse("""{"status":{"clientCertificateData":"x"}}""", "aws"));
        Assert.Contains("client-certificate-data", error.Message, StringComparison.Ordinal);
    }
}
