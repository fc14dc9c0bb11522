using WasmKube.Contracts;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Ttrpc;

namespace WasmKube.Shim.Tasks;

/// <summary>The limits a pod's annotations set on its guests (<see cref="PodAnnotations.MaxMemory"/>, <see cref="PodAnnotations.Fuel"/>, <see cref="PodAnnotations.Timeout"/>); null where none is set.</summary>
internal sealed record WorkloadLimits(long? MaxMemoryBytes, long? Fuel, TimeSpan? Timeout)
{
    /// <summary>Reads the annotations of <paramref name="spec"/>.</summary>
    /// <exception cref="TtrpcException">InvalidArgument: an annotation does not parse; the message names it, its value and the accepted form.</exception>
    public static WorkloadLimits From(OciSpec spec) => new(
        Parse<long>(spec, PodAnnotations.MaxMemory, LimitValues.MaxMemoryForm, LimitValues.TryParseQuantity),
        Parse<long>(spec, PodAnnotations.Fuel, LimitValues.FuelForm, LimitValues.TryParseFuel),
        Parse<TimeSpan>(spec, PodAnnotations.Timeout, LimitValues.TimeoutForm, LimitValues.TryParseDuration));

    private delegate bool Parser<T>(string text, out T value);

    private static T? Parse<T>(OciSpec spec, string annotation, string form, Parser<T> parse) where T : struct
    {
        if (spec.Annotations.GetValueOrDefault(annotation) is not { } text) return null;
        return parse(text, out var value)
            ? value
            : throw new TtrpcException(StatusCode.InvalidArgument, $"the {annotation} annotation is \"{text}\"; write {form}");
    }
}
