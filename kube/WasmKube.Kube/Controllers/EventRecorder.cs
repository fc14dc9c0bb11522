using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Kube.Client;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Controllers;

/// <summary>
/// Writes Events, folding repeats of the same reason and message into one Event with a growing count, as client-go's
/// event correlator does, so a failing object cannot flood the namespace.
/// </summary>
public sealed class EventRecorder(IKubernetesClient client, string component, ILogger<EventRecorder>? logger = null) : IEventRecorder
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<string, (string Namespace, string Name, int Count)> _recent = new();

    public string Host { get; init; } = Environment.MachineName;

    public async Task RecordAsync(IKubernetesObject subject, EventSeverity severity, string reason, string message, CancellationToken cancellationToken = default)
    {
        var meta = subject.Metadata;
        var @namespace = meta.Namespace ?? "default";
        var key = $"{meta.Uid}|{severity}|{reason}|{message}";
        var now = DateTimeOffset.UtcNow;
        try
        {
            if (_recent.TryGetValue(key, out var seen))
            {
                var count = seen.Count + 1;
                var patch = $$"""{"count":{{count}},"lastTimestamp":"{{now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}"}""";
                try
                {
                    await client.PatchAsync<Corev1Event>(seen.Namespace, seen.Name, new KubernetesPatch(PatchType.Merge, patch), cancellationToken: cancellationToken)
                        .ConfigureAwait(false);
                    _recent[key] = (seen.Namespace, seen.Name, count);
                    return;
                }
                catch (KubernetesApiException e) when (e.IsNotFound)
                {
                    // The Event expired (events have a TTL); write a new one.
                }
            }
            var created = await client.CreateAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { Namespace = @namespace, GenerateName = $"{meta.Name}." },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = subject.ApiVersion,
                    Kind = subject.Kind,
                    Name = meta.Name,
                    Namespace = meta.Namespace,
                    Uid = meta.Uid,
                    ResourceVersion = meta.ResourceVersion,
                },
                Reason = reason,
                Message = message,
                Type = severity.ToString(),
                Count = 1,
                FirstTimestamp = now,
                LastTimestamp = now,
                Source = new V1EventSource { Component = component, Host = Host },
                ReportingComponent = component,
                ReportingInstance = Host,
            }, cancellationToken).ConfigureAwait(false);
            _recent[key] = (@namespace, created.Metadata.Name!, 1);
            if (_recent.Count > 4096)
            {
                _recent.Clear();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not record event {Reason} on {Kind} {Namespace}/{Name}", reason, subject.Kind, meta.Namespace, meta.Name);
        }
    }
}
