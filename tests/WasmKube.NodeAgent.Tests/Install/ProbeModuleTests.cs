using System.Diagnostics;

namespace WasmKube.NodeAgent.Tests.Install;

public sealed class ProbeModuleTests
{
    [Fact]
    public void The_embedded_probe_is_its_source_compiled()
    {
        var output = Path.Combine(Path.GetTempPath(), $"probe-{Guid.NewGuid():N}.wasm");
        try
        {
            using (var wat2wasm = Process.Start(new ProcessStartInfo("wat2wasm", $"{Path.Combine(AppContext.BaseDirectory, "Install", "probe.wat")} -o {output}") { RedirectStandardError = true })!)
            {
                wat2wasm.WaitForExit();
                Assert.True(wat2wasm.ExitCode == 0, wat2wasm.StandardError.ReadToEnd());
            }

            using var embedded = typeof(WasmKube.NodeAgent.Install.ContainerdService).Assembly.GetManifestResourceStream("probe.wasm")!;
            using var copy = new MemoryStream();
            embedded.CopyTo(copy);
            Assert.Equal(File.ReadAllBytes(output), copy.ToArray());
        }
        finally
        {
            File.Delete(output);
        }
    }
}
