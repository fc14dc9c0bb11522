namespace WasmKube.Shim.Ttrpc;

/// <summary>The google.rpc codes containerd maps to its error classes (errdefs/grpc.go).</summary>
public enum StatusCode
{
    Ok = 0,
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
}
