using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WasmKube.Prometheus;

namespace WasmKube.Endpoints.Tests;

/// <summary>/metrics from a registry and /healthz, /readyz from the host's health checks.</summary>
public sealed class StandardPathsTests : IAsyncLifetime
{
    private readonly EndpointServer _server = new(EndpointAddress.Parse("127.0.0.1:0"));
    private readonly MetricRegistry _registry = new();
    private readonly HttpClient _http = new();
    private ServiceProvider _services = null!;
    private volatile bool _synced;

    public Task InitializeAsync()
    {
        _services = new ServiceCollection().AddLogging().AddHealthChecks()
            .AddCheck("alive", () => HealthCheckResult.Healthy("running"))
            .AddCheck("informers", () => _synced ? HealthCheckResult.Healthy("synced") : HealthCheckResult.Unhealthy("waiting for the first list"), tags: ["ready"])
            .Services.BuildServiceProvider();
        _server.MapMetrics(_registry).MapHealthProbes(_services.GetRequiredService<HealthCheckService>(), "ready");
        return _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.StopAsync(CancellationToken.None);
        _server.Dispose();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_are_the_registrys_exposition_with_its_content_type()
    {
        _registry.CreateCounter("scrapes_total", "Scrapes.", "path").WithLabels("a\"b").Inc();
        _registry.CreateHistogram("wait_seconds", "Wait.", [1]).Observe(2);

        using var response = await _http.GetAsync(new Uri(_server.LocalUrl!, "/metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TextFormat.ContentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(TextFormat.Write(_registry.Collect()), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_follows_the_tagged_checks_and_liveness_the_others()
    {
        var (healthz, healthzText) = await GetAsync("/healthz");
        var (readyz, readyzText) = await GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, healthz);
        Assert.Equal("[+]alive: running\nhealthz check passed\n", healthzText);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz);
        Assert.Equal("[-]informers: waiting for the first list\nreadyz check failed\n", readyzText);

        _synced = true;

        (readyz, readyzText) = await GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, readyz);
        Assert.Equal("[+]informers: synced\nreadyz check passed\n", readyzText);
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(_server.LocalUrl!, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
