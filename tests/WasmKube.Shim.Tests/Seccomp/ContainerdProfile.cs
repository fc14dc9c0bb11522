using System.Text.Json.Nodes;

namespace WasmKube.Shim.Tests.Seccomp;

/// <summary>
/// containerd 1.6.20's default seccomp profile on x86_64, as <c>ctr container create --seccomp</c> wrote it into a
/// container spec (contrib/seccomp's DefaultProfile, the same one CRI applies for RuntimeDefault, here for the default
/// capability set).
/// </summary>
internal static class ContainerdProfile
{
    public static JsonNode Load() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seccomp", "containerd-1.6.20-default-x86_64.json")))!;
}
