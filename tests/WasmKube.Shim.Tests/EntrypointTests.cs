using System.Text.Json.Nodes;
using WasmKube.Shim.Oci;

namespace WasmKube.Shim.Tests;

public sealed class EntrypointTests : IDisposable
{
    private readonly string _rootfs = Directory.CreateTempSubdirectory("wk-rootfs-").FullName;

    public void Dispose() => Directory.Delete(_rootfs, recursive: true);

    private static OciProcess Process(params string[] args) =>
        OciProcess.Parse(JsonNode.Parse($$"""{"args": {{new JsonArray(args.Select(a => (JsonNode?)a).ToArray()).ToJsonString()}}, "env": ["PATH=/usr/bin:/bin"], "cwd": "/"}""")!);

    private void Write(string path, byte[] bytes)
    {
        var host = Path.Combine(_rootfs, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.WriteAllBytes(host, bytes);
    }

    [Fact]
    public void Elf_and_scripts_are_native_and_wasm_goes_to_the_executor()
    {
        Write("/bin/tool", [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1]);
        Write("/bin/run.sh", "#!/bin/sh\necho hi\n"u8.ToArray());
        Write("/app.wasm", [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

        Assert.True(Entrypoint.Resolve(_rootfs, Process("tool")).IsNative);
        Assert.True(Entrypoint.Resolve(_rootfs, Process("/bin/run.sh")).IsNative);
        var wasm = Entrypoint.Resolve(_rootfs, Process("/app.wasm", "arg"));
        Assert.False(wasm.IsNative);
        Assert.Equal(Path.Combine(_rootfs, "app.wasm"), wasm.HostPath);
    }

    [Fact]
    public void Absolute_symlinks_resolve_inside_the_rootfs_not_on_the_host()
    {
        Write("/opt/app/real.wasm", [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
        Directory.CreateDirectory(Path.Combine(_rootfs, "usr/bin"));
        File.CreateSymbolicLink(Path.Combine(_rootfs, "usr/bin/app"), "/opt/app/real.wasm");

        var entrypoint = Entrypoint.Resolve(_rootfs, Process("app"));

        Assert.Equal(Path.Combine(_rootfs, "opt/app/real.wasm"), entrypoint.HostPath);
        Assert.False(entrypoint.IsNative);
    }

    [Fact]
    public void A_missing_entrypoint_is_reported_by_the_executor_path()
    {
        var entrypoint = Entrypoint.Resolve(_rootfs, Process("/missing.wasm"));

        Assert.Null(entrypoint.HostPath);
        Assert.False(entrypoint.IsNative);
        Assert.Equal("/missing.wasm", entrypoint.Written);
    }
}
