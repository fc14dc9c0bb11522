using System.Text.Json;
using WasmKube.Contracts;
using WasmKube.Shim.Containment;

namespace WasmKube.Shim.Tests.Containment;

public sealed class EngineStatsRelayTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-relay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Only_engine_statistics_records_within_the_size_limit_reach_the_statistics_file()
    {
        var file = Path.Combine(_directory, "c.engine.json");
        using (var pipe = new FileStream(EngineStatsRelay.Start(file), FileAccess.Write, bufferSize: 0))
        {
            await WriteLineAsync(pipe, "{\"version\":1,\"engine\":\"wasmtime\",\"linearMemoryBytes\":65536,\"smuggled\":\"../../etc\"}");
            var first = await WaitForContentAsync(file, "65536");

            // Garbage, a JSON value that is not an object, a field of the wrong type and an object over the limit
            // leave the last record in place.
            await WriteLineAsync(pipe, "not json");
            await WriteLineAsync(pipe, "[1,2,3]");
            await WriteLineAsync(pipe, "{\"engine\":\"wasmtime\",\"linearMemoryBytes\":\"lots\"}");
            await WriteLineAsync(pipe, "{\"pad\":\"" + new string('x', EngineStats.MaxBytes) + "\"}");
            await WriteLineAsync(pipe, "{\"version\":1,\"engine\":\"wasmtime\",\"linearMemoryBytes\":131072}");
            var last = await WaitForContentAsync(file, "131072");

            // What lands is the record as the shim reads it, written again: fields the format lacks never reach the host.
            Assert.DoesNotContain("smuggled", first, StringComparison.Ordinal);
            Assert.Equal(new EngineStats { Engine = "wasmtime", LinearMemoryBytes = 65536 }, JsonSerializer.Deserialize(first, ContractJson.Default.EngineStats));
            Assert.Equal(new EngineStats { Engine = "wasmtime", LinearMemoryBytes = 131072 }, JsonSerializer.Deserialize(last, ContractJson.Default.EngineStats));
        }

        Assert.Equal([file], Directory.GetFiles(_directory));
    }

    private static async Task WriteLineAsync(FileStream pipe, string line)
    {
        await pipe.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        await pipe.FlushAsync();
    }

    private static async Task<string> WaitForContentAsync(string file, string expected)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (File.Exists(file) && await File.ReadAllTextAsync(file) is var text && text.Contains(expected, StringComparison.Ordinal)) return text;
            await Task.Delay(25);
        }

        throw new TimeoutException($"{file} never held {expected}");
    }
}
