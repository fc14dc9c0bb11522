namespace WasmKube.Testing.Cri;

public sealed class CriException(int code, string message) : Exception($"gRPC status {code}: {message}")
{
    public int Code { get; } = code;
}
