using WasmKube.Runtime.SpecTests.Differential;

namespace WasmKube.Runtime.SpecTests.Engines;

/// <summary>Both engines behind the seam on small hand-assembled modules: errors land in the same classes, fuel stops loops.</summary>
public sealed class EngineSeamTests : IDisposable
{
    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    // (func (export "f")) with the given parameter and result types and body (locals vector included).
    private static byte[] ExportF(byte[] resultTypes, byte[] body, byte[]? parameterTypes = null) =>
    [
        .. Header,
        0x01, (byte)(4 + (parameterTypes?.Length ?? 0) + resultTypes.Length), 0x01, 0x60,
        (byte)(parameterTypes?.Length ?? 0), .. parameterTypes ?? [], (byte)resultTypes.Length, .. resultTypes,
        0x03, 0x02, 0x01, 0x00,
        0x07, 0x05, 0x01, 0x01, (byte)'f', 0x00, 0x00,
        0x0A, (byte)(body.Length + 2), 0x01, (byte)body.Length, .. body,
    ];

    private readonly WasmKubeSpecEngine _ours = new(new EngineOptions { ConsumeFuel = true });
    private readonly WasmtimeSpecEngine _wasmtime = new(consumeFuel: true);

    public static TheoryData<string> Engines => ["wasmkube", "wasmtime"];

    [Theory]
    [MemberData(nameof(Engines))]
    public void AnInfiniteLoopRunsOutOfFuel(string engine)
    {
        using var session = Open(engine);
        var instance = session.Instantiate(session.Compile(ExportF([], [0x00, 0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B]), "loop"));
        session.SetFuel(10_000);

        var failure = Assert.Throws<EngineFailure>(() => session.Invoke(instance, "f", []));

        Assert.Equal((FailureClass.Trap, TrapClass.OutOfFuel), (failure.Class, failure.Trap));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void UnreachableTrapsAsUnreachable(string engine)
    {
        using var session = Open(engine);
        var instance = session.Instantiate(session.Compile(ExportF([], [0x00, 0x00, 0x0B]), "unreachable"));
        session.SetFuel(10_000);

        var failure = Assert.Throws<EngineFailure>(() => session.Invoke(instance, "f", []));

        Assert.Equal((FailureClass.Trap, TrapClass.Unreachable), (failure.Class, failure.Trap));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void FloatsPassThroughWithTheirPayloads(string engine)
    {
        using var session = Open(engine);
        // (param f32) (result f32) local.get 0: a signalling NaN must come back bit for bit.
        var instance = session.Instantiate(session.Compile(ExportF([0x7D], [0x00, 0x20, 0x00, 0x0B], parameterTypes: [0x7D]), "identity"));
        session.SetFuel(10_000);

        var result = Assert.Single(session.Invoke(instance, "f", [WasmValue.F32(0x7FA0_0001)]));

        Assert.Equal(WasmValue.F32(0x7FA0_0001), result);
    }

    [Fact]
    public void ABadVersionIsMalformedOnOursAndRejectedOnWasmtime()
    {
        byte[] module = [0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00];
        using var ours = _ours.OpenSession();
        using var wasmtime = _wasmtime.OpenSession();

        Assert.Equal(FailureClass.Malformed, Assert.Throws<EngineFailure>(() => ours.Compile(module, "bad")).Class);
        Assert.Equal(FailureClass.Rejected, Assert.Throws<EngineFailure>(() => wasmtime.Compile(module, "bad")).Class);
    }

    /// <summary>
    /// The README's one configuration gap: Wasmtime's Config cannot switch off extended constant expressions, so a
    /// 2.0-invalid global initializer with arithmetic is valid there. The 2.0 suite asserts no such module invalid.
    /// </summary>
    [Fact]
    public void ExtendedConstantExpressionsStayOnInWasmtime()
    {
        // (global i32 (i32.add (i32.const 1) (i32.const 2)))
        byte[] module = [.. Header, 0x06, 0x09, 0x01, 0x7F, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B];
        using var ours = _ours.OpenSession();
        using var wasmtime = _wasmtime.OpenSession();

        Assert.Equal(FailureClass.Invalid, Assert.Throws<EngineFailure>(() => ours.Compile(module, "extended-const")).Class);
        Assert.NotNull(wasmtime.Compile(module, "extended-const"));
    }

    [Fact]
    public void TheEnginesAgreeOnTheseModulesUnderTheDifferentialRules()
    {
        var tally = new DifferentialTally();

        Assert.Null(MutantRun.Compare(_ours, _wasmtime, ExportF([], [0x00, 0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B]), tally));
        Assert.Null(MutantRun.Compare(_ours, _wasmtime, ExportF([], [0x00, 0x00, 0x0B]), tally));
        Assert.Null(MutantRun.Compare(_ours, _wasmtime, [0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00], tally));
    }

    public void Dispose() => _wasmtime.Dispose();

    private ISpecSession Open(string engine) => engine == "wasmkube" ? _ours.OpenSession() : _wasmtime.OpenSession();
}
