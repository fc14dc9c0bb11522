using WasmKube.Runtime.SpecTests.Engines;

namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>The differential's own rules, checked without engines: what counts as agreement, and what the allow-list covers.</summary>
public sealed class ComparisonTests
{
    [Fact]
    public void EqualValuesAgreeAndDifferentBitsDisagree()
    {
        Assert.Equal(Agreement.Same, Compare(Values(WasmValue.I32(7)), Values(WasmValue.I32(7))).Agreement);
        Assert.Equal(Agreement.Disagreement, Compare(Values(WasmValue.I32(7)), Values(WasmValue.I32(8))).Agreement);
        Assert.Equal(Agreement.Disagreement, Compare(Values(WasmValue.F32(0x8000_0000)), Values(WasmValue.F32(0))).Agreement);
        Assert.Equal(Agreement.Disagreement, Compare(Values(WasmValue.I64(7)), Values(WasmValue.I32(7))).Agreement);
    }

    [Fact]
    public void NanPayloadsMayDifferUnlessTheScriptExpectsACanonicalNan()
    {
        var canonical = Values(WasmValue.F32(0x7FC0_0000));
        var arithmetic = Values(WasmValue.F32(0x7FC0_0001));

        Assert.Same(DocumentedDifferences.NanPayload, Compare(canonical, arithmetic));
        Assert.Same(DocumentedDifferences.NanPayload, Comparison.Compare(canonical, arithmetic, [new SpecValue("f32", null, ["nan:arithmetic"])]));
        Assert.Equal(Agreement.Disagreement, Comparison.Compare(canonical, arithmetic, [new SpecValue("f32", null, ["nan:canonical"])]).Agreement);
    }

    [Fact]
    public void TrapsCompareByKindAndRejectionsByClass()
    {
        Assert.Equal(Agreement.Same, Compare(Failure(FailureClass.Trap, TrapClass.Unreachable), Failure(FailureClass.Trap, TrapClass.Unreachable)).Agreement);
        Assert.Equal("trap kind", Compare(Failure(FailureClass.Trap, TrapClass.Unreachable), Failure(FailureClass.Trap, TrapClass.MemoryOutOfBounds)).Class);
        Assert.Equal(Agreement.Same, Compare(Failure(FailureClass.Malformed), Failure(FailureClass.Rejected)).Agreement);
        Assert.Equal(Agreement.Same, Compare(Failure(FailureClass.Invalid), Failure(FailureClass.Rejected)).Agreement);
        Assert.Equal(Agreement.Disagreement, Compare(Failure(FailureClass.Invalid), Values()).Agreement);
        Assert.Equal(Agreement.Disagreement, Compare(Failure(FailureClass.Unlinkable), Failure(FailureClass.Trap, TrapClass.Unreachable)).Agreement);
    }

    [Fact]
    public void OnlyTheAllowListExplainsDifferentOutcomes()
    {
        Assert.Same(DocumentedDifferences.Fuel, Compare(Failure(FailureClass.Trap, TrapClass.OutOfFuel), Values(WasmValue.I32(1))));
        Assert.Same(DocumentedDifferences.StackDepth, Compare(Values(), Failure(FailureClass.Trap, TrapClass.CallStackExhausted)));
        Assert.Same(DocumentedDifferences.ResourceLimit, Compare(Failure(FailureClass.Other, reason: "memory minimum size exceeds memory limits"), Failure(FailureClass.Trap, TrapClass.Other)));
        Assert.Equal(Agreement.Disagreement, Compare(Failure(FailureClass.Other, reason: "unsupported"), Values()).Agreement);
    }

    [Fact]
    public void MutationsAreDeterministicAndChangeTheModule()
    {
        byte[] module = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B];
        var random = new Random(5);
        var first = new List<byte[]>();
        for (var i = 0; i < 50; i++)
        {
            first.Add(Mutator.Mutate(module, random).Mutant);
        }

        var second = new Random(5);
        foreach (var mutant in first)
        {
            Assert.Equal(mutant, Mutator.Mutate(module, second).Mutant);
        }

        Assert.Contains(first, mutant => !mutant.SequenceEqual(module));
        Assert.All(first, mutant => Assert.Equal(module[..Math.Min(8, mutant.Length)], mutant[..Math.Min(8, mutant.Length)]));
    }

    private static Verdict Compare(Outcome ours, Outcome theirs) => Comparison.Compare(ours, theirs);

    private static Outcome Values(params WasmValue[] values) => new(values, null);

    private static Outcome Failure(FailureClass failure, TrapClass trap = TrapClass.None, string reason = "test") =>
        new(null, new EngineFailure(failure, reason, failure == FailureClass.Trap && trap == TrapClass.None ? TrapClass.Other : trap));
}
