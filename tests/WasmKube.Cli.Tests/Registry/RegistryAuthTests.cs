using System.Net;
using System.Text.Json;
using WasmKube.Testing.Registry;

namespace WasmKube.Cli.Tests.Registry;

/// <summary>Pushing to registries that want credentials: htpasswd Basic auth, and the token flow with a token server.</summary>
public sealed class RegistryAuthTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-auth-").FullName;
    private TestRegistry _basic = null!;
    private TestRegistry _token = null!;
    private string _module = null!;

    public async Task InitializeAsync()
    {
        _basic = await TestRegistry.StartAsync(RegistryAuth.Basic);
        _token = await TestRegistry.StartAsync(RegistryAuth.Token);
        _module = Tooling.Wat(_directory, "hello", """(module (memory (export "memory") 1) (func (export "_start")))""");
    }

    public async Task DisposeAsync()
    {
        await _basic.DisposeAsync();
        await _token.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private ProcessResult Push(string? dockerConfig, string target, string? path = null) =>
        Tooling.Wasmkube(new Dictionary<string, string>
            {
                ["HOME"] = _directory,
                ["DOCKER_CONFIG"] = dockerConfig ?? Path.Combine(_directory, "none"),
                ["PATH"] = path ?? Environment.GetEnvironmentVariable("PATH")!,
            },
            "image", "build", "-m", _module, "-t", "hello:1", "--push", target, "--plain-http");

    private static ProcessResult Skopeo(TestRegistry registry, string reference) =>
        Tooling.Run("skopeo", ["inspect", "--raw", "--tls-verify=false", "--creds", $"{registry.Username}:{registry.Password}", "docker://" + reference]);

    [Fact]
    public void Basic_auth_takes_the_credential_from_the_docker_config()
    {
        var target = $"{_basic.Host}/wasm/hello:1";

        var anonymous = Push(null, target);
        var wrong = Push(_basic.DockerConfig(_basic.Username, "not-the-password", "wrong"), target);
        var right = Push(_basic.DockerConfig(_basic.Username, _basic.Password, "right"), target);

        Assert.Equal(CommandExitCodes.Failure, anonymous.ExitCode);
        Assert.Contains($"registry {_basic.Host} requires authentication to push to wasm/hello", anonymous.Stderr);
        Assert.Contains($"docker login {_basic.Host}", anonymous.Stderr);
        Assert.Equal(CommandExitCodes.Failure, wrong.ExitCode);
        Assert.Contains($"registry {_basic.Host} rejected the credentials of user {_basic.Username}", wrong.Stderr);
        Assert.DoesNotContain("not-the-password", wrong.Stderr);
        Assert.True(right.ExitCode == 0, right.ToString());
        var stored = Skopeo(_basic, target);
        Assert.True(stored.ExitCode == 0, stored.ToString());
        Assert.Equal(3, JsonDocument.Parse(stored.Stdout).RootElement.GetProperty("manifests").GetArrayLength());
    }

    [Fact]
    public void A_credential_store_is_asked_through_its_helper_program()
    {
        // A helper speaking the docker-credential-helpers protocol: the server on stdin, {"Username","Secret"} out.
        var bin = Path.Combine(_directory, "bin");
        Directory.CreateDirectory(bin);
        var helper = Path.Combine(bin, "docker-credential-wasmkube-test");
        File.WriteAllText(helper, $$"""
            #!/bin/sh
            [ "$1" = get ] || exit 2
            read -r server
            echo "$server" >> "{{bin}}/asked"
            if [ "$server" = "{{_basic.Host}}" ]; then
              printf '{"ServerURL":"%s","Username":"{{_basic.Username}}","Secret":"{{_basic.Password}}"}\n' "$server"
            else
              echo "credentials not found in native keychain"; exit 1
            fi
            """);
        File.SetUnixFileMode(helper, (UnixFileMode)0b111_101_101);
        var config = Path.Combine(_directory, "store");
        Directory.CreateDirectory(config);
        File.WriteAllText(Path.Combine(config, "config.json"), "{\"auths\": {\"" + _basic.Host + "\": {}}, \"credsStore\": \"wasmkube-test\"}");
        var path = bin + ":" + Environment.GetEnvironmentVariable("PATH");

        var pushed = Push(config, $"{_basic.Host}/wasm/from-store:1", path);
        var unknown = Push(config, $"{_token.Host}/team/from-store:1", path);

        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.Contains(_basic.Host, File.ReadAllLines(Path.Combine(bin, "asked")));
        Assert.Equal(CommandExitCodes.Failure, unknown.ExitCode);
        Assert.Contains($"the credential helper docker-credential-wasmkube-test has no credentials for {_token.Host}", unknown.Stderr);
    }

    [Fact]
    public void The_token_flow_fetches_a_push_token_from_the_realm_with_the_credential()
    {
        var target = $"{_token.Host}/team/app:v1";

        var pushed = Push(_token.DockerConfig(_token.Username, _token.Password, "token"), target);

        Assert.True(pushed.ExitCode == 0, pushed.ToString() + _token.Log);
        var requests = _token.TokenServer!.Requests;
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal(_token.Username, r.User));
        Assert.All(requests, r => Assert.Equal(TokenServer.Service, r.Service));
        Assert.Contains(requests, r => r.Scopes.Contains("repository:team/app:pull,push"));
        var stored = Skopeo(_token, target);
        Assert.True(stored.ExitCode == 0, stored.ToString());
        Assert.Equal("application/vnd.oci.image.index.v1+json", JsonDocument.Parse(stored.Stdout).RootElement.GetProperty("mediaType").GetString());
    }

    [Fact]
    public void Token_flow_failures_say_whose_credentials_or_rights_are_missing()
    {
        var target = $"{_token.Host}/team/denied:v1";

        var anonymous = Push(null, target);
        var wrong = Push(_token.DockerConfig(_token.Username, "wrong-password", "token-wrong"), target);
        _token.TokenServer!.RefuseWith = HttpStatusCode.Forbidden;
        ProcessResult forbidden;
        try
        {
            forbidden = Push(_token.DockerConfig(_token.Username, _token.Password, "token-forbidden"), target);
        }
        finally
        {
            _token.TokenServer.RefuseWith = null;
        }

        Assert.Equal(CommandExitCodes.Failure, anonymous.ExitCode);
        Assert.Contains($"registry {_token.Host} requires authentication to push to team/denied", anonymous.Stderr);
        Assert.Equal(CommandExitCodes.Failure, wrong.ExitCode);
        Assert.Contains($"rejected the credentials of user {_token.Username}", wrong.Stderr);
        Assert.Equal(CommandExitCodes.Failure, forbidden.ExitCode);
        Assert.Contains("HTTP 403", forbidden.Stderr);
        Assert.Contains($"user {_token.Username} may not push to team/denied", forbidden.Stderr);
    }
}
