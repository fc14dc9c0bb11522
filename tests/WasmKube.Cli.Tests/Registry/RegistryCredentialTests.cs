using WasmKube.Images;

namespace WasmKube.Cli.Tests.Registry;

/// <summary>Reading Docker's client config the way `docker login` writes it.</summary>
public sealed class RegistryCredentialTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-creds-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Config(string json)
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public void The_config_is_found_through_DOCKER_CONFIG_else_the_home_directory()
    {
        Assert.Equal("/d/config.json", RegistryCredential.ConfigPath(name => name == "DOCKER_CONFIG" ? "/d" : "/home/u"));
        Assert.Equal("/home/u/.docker/config.json", RegistryCredential.ConfigPath(name => name == "HOME" ? "/home/u" : null));
    }

    [Theory]
    [InlineData("registry.example.com:5000", "registry.example.com:5000")]
    [InlineData("https://registry.example.com:5000", "registry.example.com:5000")]
    [InlineData("http://registry.example.com:5000/v2/", "registry.example.com:5000")]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    public void An_auths_entry_is_matched_by_its_host(string key, string registry)
    {
        var path = Config("{\"auths\": {\"other.example.com\": {\"auth\": \"" + Base64("x:y") + "\"}, \"" + key + "\": {\"auth\": \"" + Base64("alice:pa:ss") + "\"}}}");

        var credential = RegistryCredential.Find(path, registry, out _);

        Assert.Equal(new RegistryCredential("alice", "pa:ss"), credential);
        Assert.Null(RegistryCredential.Find(path, "unknown.example.com", out _));
        Assert.DoesNotContain("pa:ss", credential!.ToString());
    }

    [Fact]
    public void Username_and_password_fields_work_without_auth()
    {
        var path = Config("""{"auths": {"r.example.com": {"username": "bob", "password": "secret"}}}""");

        Assert.Equal(new RegistryCredential("bob", "secret"), RegistryCredential.Find(path, "r.example.com", out _));
    }

    [Fact]
    public void A_missing_file_means_no_credential()
    {
        Assert.Null(RegistryCredential.Find(Path.Combine(_directory, "absent.json"), "r.example.com", out var note));
        Assert.Null(note);
    }

    [Fact]
    public void Broken_entries_are_explained()
    {
        var notJson = Assert.Throws<InvalidDataException>(() => RegistryCredential.Find(Config("{auths"), "r.example.com", out _));
        var notBase64 = Assert.Throws<InvalidDataException>(() => RegistryCredential.Find(Config("""{"auths": {"r.example.com": {"auth": "%%%"}}}"""), "r.example.com", out _));
        var noColon = Assert.Throws<InvalidDataException>(() => RegistryCredential.Find(Config("{\"auths\": {\"r.example.com\": {\"auth\": \"" + Base64("nocolon") + "\"}}}"), "r.example.com", out _));

        Assert.Contains("not valid JSON", notJson.Message);
        Assert.Contains("not base64", notBase64.Message);
        Assert.Contains("USER:PASSWORD", noColon.Message);
    }

    [Fact]
    public void A_credential_helper_that_is_not_installed_is_named_in_the_note()
    {
        var path = Config("""{"credHelpers": {"r.example.com": "wasmkube-test-absent"}}""");

        Assert.Null(RegistryCredential.Find(path, "r.example.com", out var note));
        Assert.Contains("docker-credential-wasmkube-test-absent", note);
        Assert.Contains("not on PATH", note);
        Assert.Contains("\"auths\"", note);
    }

    [Fact]
    public void Challenge_parameters_keep_commas_inside_quotes()
    {
        var parameters = RegistryClient.Parameters("realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:team/app:pull,push\"");

        Assert.Equal("https://auth.example.com/token", parameters["realm"]);
        Assert.Equal("registry.example.com", parameters["service"]);
        Assert.Equal("repository:team/app:pull,push", parameters["scope"]);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/wasm/hello:1", "127.0.0.1:5000", "wasm/hello")]
    [InlineData("hello", "docker.io", "library/hello")]
    [InlineData("ghcr.io/org/team/app:2", "ghcr.io", "org/team/app")]
    public void References_split_into_registry_and_repository(string text, string registry, string path)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(path, reference.Path);
    }
}
