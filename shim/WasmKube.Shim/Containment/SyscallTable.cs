using System.Collections.Frozen;
using System.Runtime.InteropServices;

namespace WasmKube.Shim.Containment;

/// <summary>Syscall numbers by name for the architectures the containment supports (tables generated from kernel headers).</summary>
internal static partial class SyscallTable
{
    /// <summary>The table of <paramref name="architecture"/>.</summary>
    public static FrozenDictionary<string, int> For(Architecture architecture) => architecture switch
    {
        Architecture.X64 => X64,
        Architecture.Arm64 => Arm64,
        _ => throw new PlatformNotSupportedException(
            $"seccomp filters are built for x86_64 and aarch64 only, not for {architecture}"),
    };
}
