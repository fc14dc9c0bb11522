namespace WasmKube.Kube.Models;

/// <summary>The type field of a watch event (k8s.io/apimachinery/pkg/watch).</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}
