using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace WasmKube.Kube.Testing.Storage;

/// <summary>One watch event as sent on the wire: {"type": ..., "object": ...}.</summary>
internal sealed record WatchEvent(string Type, JsonObject Object);

/// <summary>An open watch: the storage pushes matching events into <see cref="Events"/> in resourceVersion order.</summary>
internal sealed class Watcher(ResourceType type, string? @namespace, Func<JsonObject, bool> matches, bool bookmarks)
{
    public ResourceType Type { get; } = type;
    public string? Namespace { get; } = @namespace;
    public bool Bookmarks { get; } = bookmarks;
    public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    /// <summary>Cancelled when a fault hook drops the connection.</summary>
    public CancellationTokenSource Dropped { get; } = new();
    /// <summary>Whether a drop resets the connection instead of ending the response.</summary>
    public bool AbortConnection { get; set; }

    /// <summary>
    /// Turns a storage change into what this watcher sees: selector transitions become ADDED/DELETED, as the
    /// watch cache does (an object that stops matching a label selector is reported DELETED).
    /// </summary>
    public WatchEvent? Translate(string groupResource, string? objectNamespace, string type, JsonObject? old, JsonObject current)
    {
        if (groupResource != Type.GroupResource || (Namespace is not null && Namespace != objectNamespace))
        {
            return null;
        }
        var now = matches(current);
        var before = old is not null && matches(old);
        return type switch
        {
            "MODIFIED" when now && before => new WatchEvent("MODIFIED", current),
            "MODIFIED" when now => new WatchEvent("ADDED", current),
            "MODIFIED" when before => new WatchEvent("DELETED", current),
            "ADDED" or "DELETED" when now => new WatchEvent(type, current),
            _ => null,
        };
    }
}
