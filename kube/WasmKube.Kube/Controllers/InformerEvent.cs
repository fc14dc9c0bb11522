namespace WasmKube.Kube.Controllers;

/// <summary>A cache change: <see cref="Object"/> is the new state (the last known state for deletions).</summary>
public sealed record InformerEvent<T>(InformerEventType Type, T Object, T? OldObject)
    where T : class;
