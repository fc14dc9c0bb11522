using WasmKube.Shim.Containment;

namespace WasmKube.Shim.Tests.Containment;

public sealed class EngineStatsRelayTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmkube-relay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Only_json_objects_within_the_size_limit_reach_the_statistics_file()
    {
        var file = Path.Combine(_directory, "c.engine.json");
        using (var pipe = new FileStream(EngineStatsRelay.Start(file), FileAccess.Write, bufferSize: 0))
        {
            await WriteLineAsync(pipe, "{\"engine\":\"wasmtime\",\"linearMemoryBytes\":65536}");
            var first = await WaitForContentAsync(file, "65536");

            // Garbage, a JSON value that is not an object, and an object over the limit leave the last record in place.
            await WriteLineAsync(pipe, "not json");
            await WriteLineAsync(pipe, "[1,2,3]");
            await WriteLineAsync(pipe, "{\"pad\":\"" + new string('x', EngineStatsRelay.MaxRecordBytes) + "\"}");
            await WriteLineAsync(pipe, "{\"engine\":\"wasmtime\",\"linearMemoryBytes\":131072}");
            var last = await WaitForContentAsync(file, "131072");

            Assert.Equal("{\"engine\":\"wasmtime\",\"linearMemoryBytes\":65536}", first);
            Assert.Equal("{\"engine\":\"wasmtime\",\"linearMemoryBytes\":131072}", last);
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
