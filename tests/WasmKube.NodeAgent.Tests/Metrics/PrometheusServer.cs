using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WasmKube.Kube.Testing;

namespace WasmKube.NodeAgent.Tests.Metrics;

/// <summary>A real Prometheus server on loopback scraping one target every second, stopped on dispose.</summary>
public sealed class PrometheusServer : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly int _port = LoopbackPort.Free();

    public PrometheusServer(string directory, string target)
    {
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: wasmkube-node-agent
                static_configs:
                  - targets: ["{target}"]
            """);
        _process = Process.Start(new ProcessStartInfo(
            "prometheus", $"--config.file={config} --storage.tsdb.path={Path.Combine(directory, "tsdb")} --web.listen-address=127.0.0.1:{_port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start prometheus (apt-get install prometheus)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Evaluates an instant query through the HTTP API until it has a first result, or a minute passed.</summary>
    public async Task<double?> QueryFirstValueAsync(string promql)
    {
        var query = Uri.EscapeDataString(promql);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, "prometheus exited early");
            await Task.Delay(TimeSpan.FromSeconds(1));
            try
            {
                using var answer = JsonDocument.Parse(await _http.GetStringAsync($"http://127.0.0.1:{_port}/api/v1/query?query={query}"));
                var result = answer.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                    return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException)
            {
                // Prometheus is still starting.
            }
        }

        return null;
    }

    public void Dispose()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
