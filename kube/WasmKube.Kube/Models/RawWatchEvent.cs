using System.Text.Json;

namespace WasmKube.Kube.Models;

/// <summary>The wire form of a watch event: the object stays raw until the type is known.</summary>
public sealed class RawWatchEvent
{
    public string Type { get; set; } = "";
    public JsonElement Object { get; set; }
}
