namespace WasmKube.Kube.Models;

/// <summary>One decoded watch event. Error events carry a Status instead of an object.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Error)
    where T : class;
