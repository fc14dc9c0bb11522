using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WasmKube.Endpoints;
using WasmKube.Kube.Testing;

namespace WasmKube.NodeAgent.Tests.Metrics;

/// <summary>The agent's endpoint as Prometheus and kubelet see it, on a node with no wasm container yet.</summary>
public sealed class AgentEndpointTests : IDisposable
{
    private readonly TempDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Metrics_carry_the_agents_own_footprint_once_and_pass_promtool_and_the_probes_answer()
    {
        using var agent = NodeAgentHost.Build(
            new NodeAgentOptions { HostRoot = "/", StateDirectory = _state.Path, ListenAddress = EndpointAddress.Parse("127.0.0.1:0"), MetricsOnly = true, Standalone = true },
            kubernetes: null);
        await agent.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = agent.Services.GetServices<IHostedService>().OfType<EndpointServer>().Single().LocalUrl };
            using var response = await http.GetAsync("/metrics");
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            var exposition = await response.Content.ReadAsStringAsync();

            Assert.Single(exposition.Split('\n'), line => line.StartsWith("process_resident_memory_bytes ", StringComparison.Ordinal));
            Assert.Single(exposition.Split('\n'), line => line == "# TYPE process_cpu_seconds_total counter");
            Assert.Contains("# TYPE wasmkube_wasm_instance_start_seconds histogram\n", exposition, StringComparison.Ordinal);
            var (code, lint) = await Promtool.CheckMetricsAsync(exposition);
            Assert.True(code == 0 && !lint.Contains("problem", StringComparison.OrdinalIgnoreCase), $"promtool check metrics: {lint}");

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/other")).StatusCode);
        }
        finally
        {
            await agent.StopAsync();
        }
    }
}
