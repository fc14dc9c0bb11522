namespace WasmKube.Kube.Testing.Tests;

/// <summary>
/// One server per test class, with the stand-in WasmWorkload CRD of Manifests/ registered (these tests are about the
/// server's semantics, so they use a CRD whose schema and columns they control); tests use distinct object names.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    TestApiServer? _server;
    ApiClient? _client;

    public TestApiServer Server => _server ?? throw new InvalidOperationException("not started");

    internal ApiClient Client => _client ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(new TestApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        await _server.ApplyFileAsync(Path.Combine(AppContext.BaseDirectory, Objects.CrdFile));
        _client = new ApiClient(_server);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
