namespace WasmKube.Shim.Ttrpc;

/// <summary>An RPC failure carried back to the caller as a google.rpc.Status.</summary>
public sealed class TtrpcException(StatusCode code, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;

    public static TtrpcException NotFound(string what) => new(StatusCode.NotFound, $"{what}: not found");
}
