using System.Text.Json.Serialization;

namespace WasmKube.Contracts;

/// <summary>
/// The JSON forms of the contracts (camelCase, nulls left out), source-generated so that the NativeAOT shim,
/// executor and agent read and write them without reflection.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(EngineStats))]
[JsonSerializable(typeof(ExecutorConfig))]
public sealed partial class ContractJson : JsonSerializerContext;
