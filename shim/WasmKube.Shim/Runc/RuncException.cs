namespace WasmKube.Shim.Runc;

public sealed class RuncException(string message) : Exception(message);
