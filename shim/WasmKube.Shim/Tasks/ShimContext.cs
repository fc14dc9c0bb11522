using WasmKube.Cgroups;
using WasmKube.Shim.Events;
using WasmKube.Shim.Runc;

namespace WasmKube.Shim.Tasks;

/// <summary>What every task of one shim shares.</summary>
public sealed record ShimContext
{
    public required string Namespace { get; init; }

    public required EventPublisher Events { get; init; }

    public required RuncRunner Runc { get; init; }

    public required CgroupHierarchy Cgroups { get; init; }

    /// <summary>The executor program of each engine name.</summary>
    public required IReadOnlyDictionary<string, string> Executors { get; init; }

    public required ContainerRecordStore Records { get; init; }

    public string? CacheDirectory { get; init; }

    /// <summary>Whether executors run contained (the default; WASMKUBE_CONTAINMENT=off only for measuring what it costs).</summary>
    public bool Contain { get; init; } = true;

    public required Action<string> Log { get; init; }
}
