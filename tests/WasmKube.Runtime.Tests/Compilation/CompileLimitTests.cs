using WasmKube.Runtime.Compilation;

namespace WasmKube.Runtime.Tests.Compilation;

/// <summary>
/// Functions at the edges of what the code generator and the .NET JIT can take: deep operand stacks, deep nesting of
/// loops, and the compile budget that refuses a module before its code runs.
/// </summary>
public sealed class CompileLimitTests
{
    [Fact]
    public void AnOperandStackDeeperThanTheLimitIsRefusedAtCompileTime()
    {
        // One value more than the IL evaluation stack of the CLR holds: without the limit the module compiled and
        // failed at its first call with InvalidProgramException.
        var depth = 65_536;
        var error = Assert.Throws<CompileLimitException>(() => Module.FromBytes(new Engine(), PushThenDrop(depth)));
        Assert.Equal("operand stack limit", error.Limit);
        Assert.Equal(0u, error.Function);
        Assert.Contains($"{FunctionCompiler.MaxOperandStack:N0}", error.Message);
    }

    [Fact]
    public void AnOperandStackAtTheLimitRuns()
    {
        var engine = new Engine();
        var module = Module.FromBytes(engine, PushThenDrop(FunctionCompiler.MaxOperandStack));
        var instance = new Linker().Instantiate(new Store(engine), module);
        Assert.Empty(instance.GetFunction("f")!.Invoke());
    }

    [Theory]
    [InlineData(10_000, 0)]
    [InlineData(0, 5_000)]
    public void AFunctionTypeOfMoreParametersOrResultsThanTheLimitIsRefused(int parameters, int results)
    {
        // Without the limit such modules compiled, and then 10,000 parameters made the first call fail with
        // InvalidProgramException, and 5,000 results crashed the process with a stack overflow at the first call.
        List<byte> type = [0x60, .. Leb(parameters), .. Enumerable.Repeat((byte)0x7F, parameters), .. Leb(results), .. Enumerable.Repeat((byte)0x7F, results)];
        List<byte> body = [0x00];
        for (var i = 0; i < results; i++) body.AddRange([0x41, 0x00]);
        body.Add(0x0B);
        List<byte> code = [0x01, .. Leb(body.Count), .. body];
        List<byte> module =
        [
            0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
            0x01, .. Leb(type.Count + 1), 0x01, .. type,
            0x03, 0x02, 0x01, 0x00,
            0x0A, .. Leb(code.Count), .. code,
        ];
        var error = Assert.Throws<CompileLimitException>(() => Module.FromBytes(new Engine(), [.. module]));
        Assert.Equal("function type limit", error.Limit);
        Assert.Contains($"at most {ModuleCompiler.MaxFunctionParameters:N0} parameters and {ModuleCompiler.MaxFunctionResults:N0} results", error.Message);
    }

    [Fact]
    public void NestedLoopsNothingBranchesToCompileLikeNestedBlocks()
    {
        // Each loop head used to get an interrupt check with its own throw block, which cost the JIT kilobytes and
        // tens of microseconds per nesting level. A loop without a back edge runs once and needs no check.
        const int levels = 20_000;
        var loops = FunctionIL(Nested(0x03, levels, []));
        var blocks = FunctionIL(Nested(0x02, levels, []));
        Assert.Equal(blocks, loops);
    }

    [Fact]
    public void NestedLoopsWithBackEdgesShareOneThrowBlockPerTrapKind()
    {
        // br_if 0 at every level makes each a real loop with an interrupt check; the checks' stubs leave to a
        // single throw, so the IL per level stays a few instructions.
        const int levels = 10_000;
        var il = FunctionIL(Nested(0x03, levels, [0x41, 0x00, 0x0D, 0x00]));
        Assert.True(il < levels * 40, $"{il} bytes of IL for {levels} loops");

        var engine = new Engine();
        var store = new Store(engine);
        var run = new Linker().Instantiate(store, Module.FromBytes(engine, SingleFunction(Nested(0x03, levels, [0x41, 0x00, 0x0D, 0x00])))).GetFunction("f")!;
        Assert.Empty(run.Invoke());
        store.Interrupt();
        Assert.Equal(TrapKind.Interrupted, Assert.Throws<TrapException>(() => run.Invoke()).Kind);
    }

    [Fact]
    public void AFunctionTheJitWouldTakeTooLongForIsRefused()
    {
        // 8,000 operands live across 20 branches: the JIT spills the whole IL stack at every block boundary, and
        // its time grows with the square of the depth (seconds here).
        var body = new List<byte>();
        for (var i = 0; i < 8_000; i++) body.AddRange([0x41, 0x00]);
        for (var i = 0; i < 20; i++) body.AddRange([0x02, 0x40, 0x41, 0x00, 0x0D, 0x00, 0x0B]);
        for (var i = 0; i < 8_000; i++) body.Add(0x1A);
        var engine = new Engine(new EngineOptions { MaxCompileTime = TimeSpan.FromSeconds(2) });
        var error = Assert.Throws<CompileLimitException>(() => Module.FromBytes(engine, SingleFunction([.. body])));
        Assert.Equal("compile time budget", error.Limit);
        Assert.Contains("EngineOptions.MaxCompileTime", error.Message);
    }

    [Fact]
    public void ACompileMemoryBudgetTooSmallForTheModuleRefusesIt()
    {
        var engine = new Engine(new EngineOptions { MaxCompileMemoryBytes = 1024 });
        var error = Assert.Throws<CompileLimitException>(() => Module.FromBytes(engine, PushThenDrop(10)));
        Assert.Equal("compile memory budget", error.Limit);
        Assert.Contains("EngineOptions.MaxCompileMemoryBytes", error.Message);
    }

    private static byte[] PushThenDrop(int depth)
    {
        var body = new List<byte>();
        for (var i = 0; i < depth; i++) body.AddRange([0x41, 0x00]);
        for (var i = 0; i < depth; i++) body.Add(0x1A);
        return SingleFunction([.. body]);
    }

    /// <summary><paramref name="levels"/> nested blocks of <paramref name="opcode"/>, each starting with <paramref name="inner"/>.</summary>
    private static byte[] Nested(byte opcode, int levels, byte[] inner)
    {
        var body = new List<byte>();
        for (var i = 0; i < levels; i++)
        {
            body.AddRange([opcode, 0x40]);
            body.AddRange(inner);
        }

        for (var i = 0; i < levels; i++) body.Add(0x0B);
        return [.. body];
    }

    private static int FunctionIL(byte[] body)
    {
        var module = Module.FromBytes(new Engine(), SingleFunction(body));
        var code = module.Code.Trampoline(0).DeclaringType!;
        return code.GetMethod(CompiledCode.FunctionMethodName(0))!.GetMethodBody()!.GetILAsByteArray()!.Length;
    }

    /// <summary>A module with one exported function "f" of type [] → [] whose body (without locals and end) is given.</summary>
    private static byte[] SingleFunction(byte[] body)
    {
        var function = new List<byte> { 0x00 };
        function.AddRange(body);
        function.Add(0x0B);
        var code = new List<byte> { 0x01 };
        code.AddRange(Leb(function.Count));
        code.AddRange(function);
        var bytes = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        bytes.AddRange([0x01, 0x04, 0x01, 0x60, 0x00, 0x00]);
        bytes.AddRange([0x03, 0x02, 0x01, 0x00]);
        bytes.AddRange([0x07, 0x05, 0x01, 0x01, (byte)'f', 0x00, 0x00]);
        bytes.Add(0x0A);
        bytes.AddRange(Leb(code.Count));
        bytes.AddRange(code);
        return [.. bytes];
    }

    private static List<byte> Leb(int value)
    {
        var bytes = new List<byte>();
        var rest = (uint)value;
        do
        {
            var b = (byte)(rest & 0x7F);
            rest >>= 7;
            bytes.Add(rest == 0 ? b : (byte)(b | 0x80));
        }
        while (rest != 0);
        return bytes;
    }
}
