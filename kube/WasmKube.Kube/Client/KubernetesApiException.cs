using System.Net;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Client;

/// <summary>The API server answered with an error; <see cref="Status"/> holds its metav1.Status when it sent one.</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException(HttpStatusCode statusCode, V1Status? status, string method, string path)
        : base($"{method} {path} failed: {(int)statusCode} {status?.Reason ?? statusCode.ToString()}: {status?.Message ?? "(no message)"}")
    {
        StatusCode = statusCode;
        Status = status;
    }

    public HttpStatusCode StatusCode { get; }

    public V1Status? Status { get; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>409 on update: someone else wrote first. 409 on create is <see cref="IsAlreadyExists"/>.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict && Status?.Reason != "AlreadyExists";

    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Status?.Reason == "AlreadyExists";

    /// <summary>410: the requested resourceVersion was compacted away; relist.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    public bool IsInvalid => StatusCode == HttpStatusCode.UnprocessableEntity;
}
