namespace WasmKube.Shim.Containment;

/// <summary>The <c>SECCOMP_FILTER_FLAG_*</c> bits an OCI profile's <c>flags</c> may name (linux/seccomp.h).</summary>
[Flags]
public enum SeccompFilterFlags : uint
{
    None = 0,

    /// <summary>Put the filter on every thread of the process, not only the calling one.</summary>
    Tsync = 1,

    /// <summary>Log every action but <c>SECCOMP_RET_ALLOW</c>.</summary>
    Log = 2,

    /// <summary>Leave speculative store bypass mitigation off.</summary>
    SpecAllow = 4,
}
