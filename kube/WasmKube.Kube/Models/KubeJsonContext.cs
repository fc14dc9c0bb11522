using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WasmKube.Kube.Models;

/// <summary>Source-generated JSON contracts for the built-in models: no reflection at run time, trimming-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SharedStringJsonConverter)])]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(KubernetesList<V1Deployment>))]
[JsonSerializable(typeof(V1Service))]
[JsonSerializable(typeof(KubernetesList<V1Service>))]
[JsonSerializable(typeof(V1Lease))]
[JsonSerializable(typeof(KubernetesList<V1Lease>))]
[JsonSerializable(typeof(Corev1Event))]
[JsonSerializable(typeof(KubernetesList<Corev1Event>))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(KubernetesList<V1ConfigMap>))]
[JsonSerializable(typeof(V1ConfigMapMetadata))]
[JsonSerializable(typeof(KubernetesList<V1ConfigMapMetadata>))]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(KubernetesList<V1Secret>))]
[JsonSerializable(typeof(V1RuntimeClass))]
[JsonSerializable(typeof(KubernetesList<V1RuntimeClass>))]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(KubernetesList<V1Namespace>))]
[JsonSerializable(typeof(V1Node))]
[JsonSerializable(typeof(KubernetesList<V1Node>))]
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(KubernetesList<V1Pod>))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(RawWatchEvent))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
public sealed partial class KubeJsonContext : JsonSerializerContext;
