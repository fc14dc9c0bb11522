using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace WasmKube.Cli.Tests;

/// <summary>The http-server example serving a real HTTP client on loopback through a host-preopened listener.</summary>
public sealed partial class HttpServerTests : IClassFixture<ExamplesFixture>, IDisposable
{
    private readonly ExamplesFixture _examples;
    private readonly string _docroot = Directory.CreateTempSubdirectory("wasmkube-docroot-").FullName;

    public HttpServerTests(ExamplesFixture examples) => _examples = examples;

    public void Dispose() => Directory.Delete(_docroot, recursive: true);

    [Theory]
    [InlineData("wasmtime")]
    [InlineData("wasmkube")]
    public async Task Serves_files_from_the_preopened_docroot_and_nothing_else(string engine)
    {
        // The served site, a secret beside it, and symlinks in the site pointing at the secret; one stays inside.
        var site = Directory.CreateDirectory(Path.Combine(_docroot, "site")).FullName;
        Directory.CreateDirectory(Path.Combine(site, "docs"));
        await File.WriteAllTextAsync(Path.Combine(site, "index.html"), "<h1>hello from wasm</h1>\n");
        await File.WriteAllTextAsync(Path.Combine(site, "docs", "a.txt"), "document a");
        var secret = Path.Combine(_docroot, "secret.txt");
        await File.WriteAllTextAsync(secret, "not for the guest");
        File.CreateSymbolicLink(Path.Combine(site, "absolute.txt"), secret);
        File.CreateSymbolicLink(Path.Combine(site, "relative.txt"), "../secret.txt");
        File.CreateSymbolicLink(Path.Combine(site, "inside.txt"), "docs/a.txt");

        using var server = Tooling.Start("dotnet", [Tooling.WasmkubeDll, "run", "--engine", engine, "--cache-dir", _examples.CacheDirectory,
            "--listen", "127.0.0.1:0", "--dir", $"/docroot:{site}:ro", _examples.Wasm("http-server")]);
        try
        {
            var endpoint = await ListeningEndpoint(server);
            using var client = new HttpClient { BaseAddress = new Uri($"http://{endpoint}/"), Timeout = TimeSpan.FromMinutes(1) };

            var index = await client.GetAsync("");
            Assert.Equal(HttpStatusCode.OK, index.StatusCode);
            Assert.Equal("<h1>hello from wasm</h1>\n", await index.Content.ReadAsStringAsync());
            Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);

            Assert.Equal("document a", await client.GetStringAsync("docs/a.txt"));
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("missing.html")).StatusCode);
            Assert.Equal("document a", await client.GetStringAsync("inside.txt"));
            // The guest itself would serve these; the sandbox refuses to open them.
            Assert.True(File.Exists(secret));
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("absolute.txt")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("relative.txt")).StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>wasmkube announces the bound address on stderr before the guest starts.</summary>
    private static async Task<string> ListeningEndpoint(Process server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await server.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = ListeningLine().Match(line);
            if (match.Success) return match.Groups[1].Value;
        }

        throw new InvalidOperationException($"wasmkube exited ({server.ExitCode}) without announcing its listener");
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningLine();
}
