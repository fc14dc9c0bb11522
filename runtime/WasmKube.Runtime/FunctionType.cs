using System.Collections.Immutable;

namespace WasmKube.Runtime;

/// <summary>A function signature; two types are equal when their parameter and result lists are equal.</summary>
public sealed class FunctionType : IEquatable<FunctionType>
{
    public FunctionType(ImmutableArray<ValueType> parameters, ImmutableArray<ValueType> results)
    {
        Parameters = parameters.IsDefault ? [] : parameters;
        Results = results.IsDefault ? [] : results;
    }

    public FunctionType(IEnumerable<ValueType> parameters, IEnumerable<ValueType> results)
        : this([.. parameters], [.. results])
    {
    }

    public ImmutableArray<ValueType> Parameters { get; }

    public ImmutableArray<ValueType> Results { get; }

    public bool Equals(FunctionType? other) =>
        other is not null && Parameters.SequenceEqual(other.Parameters) && Results.SequenceEqual(other.Results);

    public override bool Equals(object? obj) => Equals(obj as FunctionType);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in Parameters) hash.Add(p);
        hash.Add(-1);
        foreach (var r in Results) hash.Add(r);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"[{string.Join(" ", Parameters).ToLowerInvariant()}] -> [{string.Join(" ", Results).ToLowerInvariant()}]";
}
