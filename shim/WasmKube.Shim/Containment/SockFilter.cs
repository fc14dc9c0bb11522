using System.Runtime.InteropServices;

namespace WasmKube.Shim.Containment;

/// <summary>One classic BPF instruction, laid out as the kernel's <c>struct sock_filter</c> (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SockFilter(ushort Code, byte Jt, byte Jf, uint K)
{
    public override string ToString() => $"{{ 0x{Code:x2}, {Jt}, {Jf}, 0x{K:x8} }}";
}
