using WasmKube.Kube.Models;

namespace WasmKube.Kube.Controllers;

/// <summary>Records core/v1 Events about an object (what kubectl describe shows). Best effort: never throws.</summary>
public interface IEventRecorder
{
    Task RecordAsync(IKubernetesObject subject, EventSeverity severity, string reason, string message, CancellationToken cancellationToken = default);
}
