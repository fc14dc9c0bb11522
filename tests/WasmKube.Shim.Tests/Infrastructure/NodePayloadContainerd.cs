using System.Runtime.InteropServices;

namespace WasmKube.Shim.Tests.Infrastructure;

/// <summary>
/// A private containerd that runs the node payload (as every <see cref="ContainerdInstance"/> does) in a mount
/// namespace where the .NET installation is covered by an empty tmpfs: what a node without .NET has. The shims and
/// executors containerd starts inherit that namespace.
/// </summary>
public sealed class NodePayloadContainerd : ContainerdInstance
{
    /// <summary>The .NET installation of this machine: the runtime directory's root (…/shared/Microsoft.NETCore.App/VERSION/).</summary>
    public static string DotnetRoot { get; } =
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    protected override string ContainerdCommand =>
        $"mount -t tmpfs -o ro,size=4k wasmkube-no-dotnet '{DotnetRoot}' && exec containerd --config \"$1\" >>\"$2\" 2>&1 </dev/null";

    protected override IReadOnlyList<string> ContainerdLauncher => ["unshare", "--mount", "--propagation", "private", "/bin/sh"];
}
