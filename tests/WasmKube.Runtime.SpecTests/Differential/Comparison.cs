using System.Runtime.Intrinsics;
using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>How the two engines' outcomes of one step relate.</summary>
internal enum Agreement
{
    Same,

    /// <summary>They differ in a way <see cref="DocumentedDifferences"/> explains.</summary>
    Documented,

    /// <summary>They differ and nothing explains it: an engine bug until shown otherwise.</summary>
    Disagreement,
}

internal sealed record Verdict(Agreement Agreement, string Class, string? Reason = null)
{
    public static readonly Verdict Same = new(Agreement.Same, "same");
}

/// <summary>
/// Compares one step's outcomes. Values must be equal bit for bit, except where the script expects a canonical or
/// arithmetic NaN (each engine must then produce one of that class, payloads may differ) and, for modules without
/// expectations, where both produced a NaN (the spec leaves the payload of an arithmetic NaN open).
/// </summary>
internal static class Comparison
{
    public static Verdict Compare(Outcome ours, Outcome theirs, IReadOnlyList<SpecValue>? expected = null)
    {
        if (DocumentedDifferences.Explain(ours, theirs) is { } documented)
        {
            return documented;
        }

        if (ours.Failure is not null || theirs.Failure is not null)
        {
            if (ours.Class != theirs.Class)
            {
                return new Verdict(Agreement.Disagreement, $"{Name(ours)} vs {Name(theirs)}");
            }

            return ours.Failure!.Trap == theirs.Failure!.Trap ? Verdict.Same : new Verdict(Agreement.Disagreement, "trap kind");
        }

        var a = ours.Values!;
        var b = theirs.Values!;
        if (a.Length != b.Length)
        {
            return new Verdict(Agreement.Disagreement, "result count");
        }

        var nanPayloads = false;
        for (var i = 0; i < a.Length; i++)
        {
            switch (CompareValue(a[i], b[i], expected is not null && i < expected.Count ? expected[i] : null))
            {
                case Agreement.Disagreement:
                    return new Verdict(Agreement.Disagreement, "value");
                case Agreement.Documented:
                    nanPayloads = true;
                    break;
            }
        }

        return nanPayloads ? DocumentedDifferences.NanPayload : Verdict.Same;
    }

    private static string Name(Outcome outcome) => outcome.Failure is null ? "success" : outcome.Class!.Value.ToString().ToLowerInvariant();

    private static Agreement CompareValue(WasmValue a, WasmValue b, SpecValue? expected)
    {
        if (a.Type != b.Type)
        {
            return Agreement.Disagreement;
        }

        switch (a.Type)
        {
            case WasmType.FuncRef:
                return a.IsNullReference == b.IsNullReference ? Agreement.Same : Agreement.Disagreement;
            case WasmType.ExternRef:
                return ReferenceEquals(a.Reference, b.Reference) ? Agreement.Same : Agreement.Disagreement;
            case WasmType.F32 or WasmType.F64 when a.Bits != b.Bits:
                return BothNan(a.Type, a.Bits, b.Bits) && NanExpectationAllows(expected, a, b) ? Agreement.Documented : Agreement.Disagreement;
            case WasmType.V128 when a.Vector != b.Vector:
                return V128NanLanesOnly(a.Vector, b.Vector, expected) ? Agreement.Documented : Agreement.Disagreement;
            default:
                return a.Bits == b.Bits && a.Vector == b.Vector ? Agreement.Same : Agreement.Disagreement;
        }
    }

    /// <summary>With an expectation, both values must satisfy it (only a nan:canonical/arithmetic one lets them differ).</summary>
    private static bool NanExpectationAllows(SpecValue? expected, WasmValue a, WasmValue b)
    {
        if (expected is null)
        {
            return true;
        }

        var values = new SpecValues();
        return values.Mismatch(expected, a) is null && values.Mismatch(expected, b) is null;
    }

    /// <summary>
    /// Vectors that differ only in lanes where both hold a NaN, read as f32 lanes or as f64 lanes (the shape the
    /// expectation gives, else either).
    /// </summary>
    private static bool V128NanLanesOnly(Vector128<byte> a, Vector128<byte> b, SpecValue? expected)
    {
        if (expected is not null)
        {
            return expected.LaneType is "f32" or "f64" && NanExpectationAllows(expected, WasmValue.V128(a), WasmValue.V128(b));
        }

        return DifferOnlyInNanLanes(a.AsUInt32(), b.AsUInt32(), WasmType.F32) || DifferOnlyInNanLanes(a.AsUInt64(), b.AsUInt64(), WasmType.F64);
    }

    private static bool DifferOnlyInNanLanes<T>(Vector128<T> a, Vector128<T> b, WasmType laneType)
        where T : struct
    {
        for (var lane = 0; lane < Vector128<T>.Count; lane++)
        {
            var x = Convert.ToUInt64(a.GetElement(lane));
            var y = Convert.ToUInt64(b.GetElement(lane));
            if (x != y && !BothNan(laneType, x, y))
            {
                return false;
            }
        }

        return true;
    }

    private static bool BothNan(WasmType type, ulong a, ulong b) => type == WasmType.F32
        ? float.IsNaN(BitConverter.UInt32BitsToSingle((uint)a)) && float.IsNaN(BitConverter.UInt32BitsToSingle((uint)b))
        : double.IsNaN(BitConverter.UInt64BitsToDouble(a)) && double.IsNaN(BitConverter.UInt64BitsToDouble(b));
}
